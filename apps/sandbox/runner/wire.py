"""The wire format between the trusted side and a sandboxed child.

Plain data only, never pickle: a frame is a JSON header followed by raw ``.npy`` blobs.

    frame  := u32 header_length | header (UTF-8 JSON) | blob*
    blob   := u64 length | .npy bytes (numpy.lib.format, allow_pickle=False)

Inside the header a value is JSON, with a few tagged objects for what JSON lacks:

    {"__nd__": i}                  the i-th blob, a numeric or boolean ndarray
    {"__tuple__": [...]}           a tuple
    {"__dict__": [[key, value]]}   a dict with str keys
    {"__complex__": [re, im]}      a complex number
    {"__fn__": {...}}              a FnSpec: a callable built from declared source
    {"__unsupported__": "Type"}    something that is not plain data (only child -> trusted)

The decoder is the trust boundary: it bounds depth, node count, string length, array size
and total size, and refuses object dtypes, so nothing a learner returns can execute code or
exhaust the trusted process. This module imports only the standard library and numpy; it is
loaded both by the zygote (``python -I``, no Django) and by the Django side.
"""

from __future__ import annotations

import io
import json
import math
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

MAX_DEPTH = 16
MAX_NODES = 200_000
MAX_STRING = 4_096
MAX_ARRAY_BYTES = 64 * 1024 * 1024
ALLOWED_DTYPE_KINDS = frozenset("biufc")


class WireError(ValueError):
    """The bytes are not a valid frame, or break one of the limits."""


@dataclass(frozen=True)
class FnSpec:
    """A callable input, declared as source so it can be rebuilt inside the sandbox.

    ``source`` defines ``name`` (a ``def`` or an assignment); it runs with ``np`` (numpy)
    and every entry of ``env`` as globals. Exercise authors write it, never learners.
    """

    source: str
    name: str = "f"
    env: dict[str, Any] = field(default_factory=dict)

    def build(self) -> Callable[..., Any]:
        namespace: dict[str, Any] = {"np": np, "__name__": "exercise_input"}
        namespace.update(self.env)
        exec(compile(self.source, f"<input {self.name}>", "exec"), namespace)
        return namespace[self.name]


@dataclass(frozen=True)
class Unsupported:
    """What the child sends for a value that is not plain data (an object, a module...)."""

    type_name: str


def _encode_value(value: Any, blobs: list[bytes], depth: int, budget: list[int]) -> Any:
    if depth > MAX_DEPTH:
        raise WireError(f"value nested deeper than {MAX_DEPTH} levels")
    budget[0] -= 1
    if budget[0] < 0:
        raise WireError(f"value has more than {MAX_NODES} parts")
    # Exact type checks on purpose: a subclass of int or str could carry behaviour.
    kind = type(value)
    if value is None or kind is bool:
        return value
    if kind is int:
        if abs(value) >= 2**63:
            return float(value) if abs(value) < 2**1023 else math.copysign(math.inf, value)
        return value
    if kind is float:
        return value
    if kind is complex:
        return {"__complex__": [value.real, value.imag]}
    if kind is str:
        return value[:MAX_STRING]
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        if value.dtype.kind in ALLOWED_DTYPE_KINDS:
            return _encode_value(value.item(), blobs, depth, budget)
        return {"__unsupported__": f"numpy.{value.dtype}"}
    if kind is np.ndarray or isinstance(value, np.ndarray):
        array = np.asarray(value)
        if type(array) is not np.ndarray:
            array = np.array(array, copy=True).view(np.ndarray)
        if array.dtype.kind not in ALLOWED_DTYPE_KINDS:
            return {"__unsupported__": f"ndarray of dtype {array.dtype}"}
        if array.nbytes > MAX_ARRAY_BYTES:
            raise WireError(f"array of {array.nbytes} bytes is over {MAX_ARRAY_BYTES}")
        buffer = io.BytesIO()
        # np.ascontiguousarray would turn a 0-d array into shape (1,): keep the shape.
        contiguous = array if array.flags.c_contiguous else array.copy(order="C")
        np.lib.format.write_array(buffer, contiguous, allow_pickle=False)
        blobs.append(buffer.getvalue())
        return {"__nd__": len(blobs) - 1}
    if kind is list:
        return [_encode_value(item, blobs, depth + 1, budget) for item in value]
    if kind is tuple:
        return {"__tuple__": [_encode_value(item, blobs, depth + 1, budget) for item in value]}
    if kind is dict:
        items = []
        for key, item in value.items():
            if type(key) is not str:
                return {"__unsupported__": "dict with non-string keys"}
            items.append([key[:MAX_STRING], _encode_value(item, blobs, depth + 1, budget)])
        return {"__dict__": items}
    if kind is FnSpec:
        return {
            "__fn__": {
                "source": value.source,
                "name": value.name,
                "env": _encode_value(value.env, blobs, depth + 1, budget),
            }
        }
    if kind is Unsupported:
        return {"__unsupported__": value.type_name[:200]}
    return {"__unsupported__": _type_name(value)}


def _type_name(value: Any) -> str:
    try:
        cls = type(value)
        return f"{cls.__module__}.{cls.__qualname__}"[:200]
    except Exception:  # a hostile metaclass can make even this raise
        return "object"


def encode(value: Any) -> bytes:
    """Encode ``value`` as one frame. Raises WireError if it breaks a limit."""
    blobs: list[bytes] = []
    tree = _encode_value(value, blobs, 0, [MAX_NODES])
    header = json.dumps({"value": tree, "blobs": len(blobs)}, allow_nan=True).encode()
    parts = [struct.pack(">I", len(header)), header]
    for blob in blobs:
        parts.append(struct.pack(">Q", len(blob)))
        parts.append(blob)
    return b"".join(parts)


def decode(
    data: bytes,
    *,
    max_bytes: int = 128 * 1024 * 1024,
    build_fn: Callable[[FnSpec], Any] | None = None,
) -> Any:
    """Decode one frame into plain values.

    FnSpec nodes stay FnSpec objects unless ``build_fn`` is given (the child passes
    ``FnSpec.build`` to turn them into callables). Raises WireError on anything malformed.
    """
    if len(data) > max_bytes:
        raise WireError(f"frame of {len(data)} bytes is over the {max_bytes}-byte cap")
    if len(data) < 4:
        raise WireError("frame is truncated")
    (header_length,) = struct.unpack(">I", data[:4])
    if 4 + header_length > len(data):
        raise WireError("frame header is truncated")
    try:
        header = json.loads(data[4 : 4 + header_length].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise WireError(f"frame header is not valid JSON: {exc}") from None
    if not isinstance(header, dict) or not isinstance(header.get("blobs"), int):
        raise WireError("frame header has no blob count")
    blobs: list[bytes] = []
    offset = 4 + header_length
    for _ in range(header["blobs"]):
        if offset + 8 > len(data):
            raise WireError("blob length is truncated")
        (length,) = struct.unpack(">Q", data[offset : offset + 8])
        offset += 8
        if offset + length > len(data):
            raise WireError("blob is truncated")
        blobs.append(data[offset : offset + length])
        offset += length
    if offset != len(data):
        raise WireError("frame has trailing bytes")
    return _decode_value(header.get("value"), blobs, 0, [MAX_NODES], build_fn)


def _check_array_header(stream: io.BytesIO, blob_length: int) -> None:
    """Refuse a header whose shape claims more data than the blob holds.

    ``read_array`` allocates the claimed size before reading, so without this a forged
    header could make the trusted process allocate gigabytes.
    """
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(stream)
    elif version == (2, 0):
        shape, _, dtype = np.lib.format.read_array_header_2_0(stream)
    else:
        raise WireError(f"unsupported .npy version {version}")
    if dtype.kind not in ALLOWED_DTYPE_KINDS:
        raise WireError(f"array dtype {dtype} is not allowed")
    claimed = math.prod(shape) * dtype.itemsize
    if claimed > MAX_ARRAY_BYTES or claimed > blob_length - stream.tell():
        raise WireError(f"array header claims {claimed} bytes, more than the blob holds")
    stream.seek(0)


def _load_array(blob: bytes) -> np.ndarray:
    try:
        stream = io.BytesIO(blob)
        _check_array_header(stream, len(blob))
        array = np.lib.format.read_array(stream, allow_pickle=False)
    except WireError:
        raise
    except Exception as exc:
        raise WireError(f"array blob is not valid .npy data: {exc}") from None
    if array.dtype.kind not in ALLOWED_DTYPE_KINDS:
        raise WireError(f"array dtype {array.dtype} is not allowed")
    return array


def _decode_value(
    node: Any,
    blobs: list[bytes],
    depth: int,
    budget: list[int],
    build_fn: Callable[[FnSpec], Any] | None,
) -> Any:
    if depth > MAX_DEPTH:
        raise WireError(f"value nested deeper than {MAX_DEPTH} levels")
    budget[0] -= 1
    if budget[0] < 0:
        raise WireError(f"value has more than {MAX_NODES} parts")
    if node is None or isinstance(node, bool | int | float):
        return node
    if isinstance(node, str):
        if len(node) > MAX_STRING:
            raise WireError(f"string longer than {MAX_STRING} characters")
        return node
    if isinstance(node, list):
        return [_decode_value(item, blobs, depth + 1, budget, build_fn) for item in node]
    if not isinstance(node, dict) or len(node) != 1:
        raise WireError("unknown value node")
    ((tag, payload),) = node.items()
    if tag == "__nd__":
        if not isinstance(payload, int) or not 0 <= payload < len(blobs):
            raise WireError("array reference out of range")
        return _load_array(blobs[payload])
    if tag == "__tuple__" and isinstance(payload, list):
        return tuple(_decode_value(item, blobs, depth + 1, budget, build_fn) for item in payload)
    if tag == "__dict__" and isinstance(payload, list):
        result = {}
        for pair in payload:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise WireError("malformed dict entry")
            result[pair[0]] = _decode_value(pair[1], blobs, depth + 1, budget, build_fn)
        return result
    if tag == "__complex__" and isinstance(payload, list) and len(payload) == 2:
        return complex(float(payload[0]), float(payload[1]))
    if tag == "__unsupported__" and isinstance(payload, str):
        return Unsupported(payload[:200])
    if tag == "__fn__" and isinstance(payload, dict):
        env = _decode_value(payload.get("env", {"__dict__": []}), blobs, depth + 1, budget, None)
        spec = FnSpec(str(payload["source"]), str(payload.get("name", "f")), env)
        return build_fn(spec) if build_fn else spec
    raise WireError(f"unknown value tag {tag!r}")
