"""The one frame format for data between the trusted side and a run, and its value codec.

Plain data only, never pickle:

    frame := u32 header_length | header (UTF-8 JSON object) | u32 blob_count | blob*
    blob  := u64 length | bytes

The pool sends a run its request as one frame (header keys "code" and "value", the calls);
the run answers with one frame (header key "value"). A value is JSON, with tagged objects for
what JSON lacks:

    {"__nd__": i}                  the i-th blob: a numeric or boolean ndarray as .npy bytes
    {"__tuple__": [...]}           a tuple
    {"__dict__": [[key, value]]}   a dict with str keys
    {"__complex__": [re, im]}      a complex number
    {"__fn__": {...}}              a FnSpec; decoded only where the caller builds callables
                                   (the run's inputs), refused everywhere else
    {"__unsupported__": "Type"}    something that is not plain data (run -> trusted only)

The decoder is the trust boundary for results, so each cap is checked before the memory it
guards is allocated: frame and header bytes before JSON parsing, the blob count before any
blob is sliced, each .npy header (parsed once, by a strict pattern, itself capped) against its
blob's exact length, every blob used at most once, and a budget over the bytes of all decoded
arrays, the nodes, the depth and each string. Decoding costs at most a small multiple of the
frame's own size, whatever the frame claims. Results come out as plain data: no FnSpec, no
object with behaviour, and every string (dict keys and type names included) neutralised
(results.neutralise: control characters, bidi controls and lone surrogates escaped). The
encoder enforces the same caps, so what a run sends decodes.

Stdlib and numpy only: loaded by the trusted side and, before it isolates itself, by the zygote.
"""

from __future__ import annotations

import gc
import json
import math
import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np

from . import limits
from .results import neutralise

ALLOWED_DTYPE_KINDS = frozenset("biufc")
MAX_DEPTH = limits.MAX_DEPTH
MAX_NODES = limits.MAX_NODES
MAX_STRING = limits.MAX_STRING
MAX_ARRAY_BYTES = limits.MAX_ARRAY_BYTES
MAX_DIMS = 32
NPY_MAGIC = b"\x93NUMPY"
NPY_ALIGN = 64
_U16 = struct.Struct("<H")
_U32_LE = struct.Struct("<I")
_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")
# Exactly what numpy's writer (and ours) emits; anything else is refused unparsed.
_NPY_HEADER = re.compile(
    r"\{'descr': '([<>|][biufc]\d{1,2})', 'fortran_order': False, "
    r"'shape': \(((?:\d{1,19}, )*(?:\d{1,19},?)?)\), \} *\n"
)
_INT_DIGITS = 20  # JSON integers: 64-bit values only


class WireError(ValueError):
    """The bytes are not a valid frame, or break one of the caps."""


@dataclass(frozen=True)
class Caps:
    """Everything a frame may hold, checked before the memory it guards is allocated."""

    frame_bytes: int
    header_bytes: int
    blobs: int
    nodes: int
    depth: int
    string_chars: int
    array_bytes: int  # over all arrays of the frame
    header_keys: frozenset[str]
    # The frame comes from a run: every string in it (and every dict key) is the learner's,
    # so it is neutralised (results.neutralise) as it is decoded, before anyone keeps it.
    learner_text: bool = False


# A run's result: the trust boundary (see the module docstring).
RESULT_CAPS = Caps(
    frame_bytes=limits.RESULT_BYTES,
    header_bytes=limits.RESULT_HEADER_BYTES,
    blobs=limits.RESULT_BLOBS,
    nodes=limits.MAX_NODES,
    depth=limits.MAX_DEPTH + 4,  # the result's own structure wraps each value in 4 levels
    string_chars=limits.MAX_STRING,
    array_bytes=limits.RESULT_BYTES,
    header_keys=frozenset({"value"}),
    learner_text=True,
)
# Frames the trusted side built itself (a run's request, the graders' round trips).
TRUSTED_CAPS = Caps(
    frame_bytes=limits.MAX_REQUEST_BYTES,
    header_bytes=limits.MAX_REQUEST_BYTES,
    blobs=1 << 20,
    nodes=10 * limits.MAX_NODES,
    depth=limits.MAX_DEPTH + 4,
    string_chars=limits.MAX_CODE_BYTES,
    array_bytes=limits.MAX_REQUEST_BYTES,
    header_keys=frozenset({"value", "code"}),
)


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
        built: Callable[..., Any] = namespace[self.name]
        return built


@dataclass(frozen=True)
class Unsupported:
    """What the child sends for a value that is not plain data (an object, a module...)."""

    type_name: str


# ----- framing -----------------------------------------------------------------------------


def pack(header: dict[str, Any], blobs: Sequence[bytes] = ()) -> bytes:
    """One frame: ``header`` as JSON, then each blob with its length."""
    return _pack_json(json.dumps(header, allow_nan=True, separators=(",", ":")).encode(), blobs)


def _pack_json(encoded: bytes, blobs: Sequence[bytes]) -> bytes:
    parts = [_U32.pack(len(encoded)), encoded, _U32.pack(len(blobs))]
    for blob in blobs:
        parts += [_U64.pack(len(blob)), blob]
    return b"".join(parts)


def _bounded_int(text: str) -> int:
    if len(text) > _INT_DIGITS:
        raise WireError("integer out of range")
    return int(text)


def _parse_header(raw: memoryview, caps: Caps) -> dict[str, Any]:
    try:
        header = json.loads(str(raw, "utf-8"), parse_int=_bounded_int)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise WireError(f"frame header is not valid JSON: {exc}") from None
    if type(header) is not dict or not header.keys() <= caps.header_keys:
        raise WireError("frame header is not an object with known keys")
    return header


def unpack(data: bytes | bytearray, caps: Caps) -> tuple[dict[str, Any], list[memoryview]]:
    """Split a frame into its parsed header and its blobs (views into ``data``)."""
    size = len(data)
    if size > caps.frame_bytes:
        raise WireError(f"frame of {size} bytes is over the {caps.frame_bytes}-byte cap")
    view = memoryview(data)
    if size < 4:
        raise WireError("frame is truncated")
    (header_length,) = _U32.unpack_from(view, 0)
    if header_length > caps.header_bytes:
        raise WireError(f"frame header of {header_length} bytes is over {caps.header_bytes}")
    offset = 4 + header_length
    if offset + 4 > size:
        raise WireError("frame header is truncated")
    (count,) = _U32.unpack_from(view, offset)
    offset += 4
    if count > caps.blobs or count * 8 > size - offset:
        raise WireError(f"frame claims {count} blobs (cap {caps.blobs})")
    header = _parse_header(view[4 : 4 + header_length], caps)
    blobs = []
    for _ in range(count):
        if offset + 8 > size:
            raise WireError("blob length is truncated")
        (length,) = _U64.unpack_from(view, offset)
        offset += 8
        if length > size - offset:
            raise WireError("blob is truncated")
        blobs.append(view[offset : offset + length])
        offset += length
    if offset != size:
        raise WireError("frame has trailing bytes")
    return header, blobs


# ----- .npy blobs --------------------------------------------------------------------------


def npy_bytes(array: np.ndarray[Any, Any]) -> bytes:
    """``array`` (C-contiguous, allowed dtype) in .npy v1.0 format, as numpy writes it."""
    header = f"{{'descr': {array.dtype.str!r}, 'fortran_order': False, 'shape': {array.shape!r}, }}"
    padding = -(len(NPY_MAGIC) + 4 + len(header) + 1) % NPY_ALIGN
    text = (header + " " * padding + "\n").encode("latin-1")
    return NPY_MAGIC + b"\x01\x00" + _U16.pack(len(text)) + text + array.tobytes()


@lru_cache(maxsize=128)
def _dtype(descr: str) -> np.dtype[Any]:
    try:
        dtype = np.dtype(descr)
    except TypeError:
        raise WireError(f"array dtype {descr!r} is not allowed") from None
    if dtype.kind not in ALLOWED_DTYPE_KINDS:
        raise WireError(f"array dtype {descr!r} is not allowed")
    return dtype


def npy_header(blob: memoryview) -> tuple[np.dtype[Any], tuple[int, ...], int]:
    """(dtype, shape, data offset) of a .npy blob, parsed once, header capped."""
    if len(blob) < 10 or blob[:6] != NPY_MAGIC:
        raise WireError("array blob is not .npy data")
    version = (blob[6], blob[7])
    if version == (1, 0):
        (length,), start = _U16.unpack_from(blob, 8), 10
    elif version == (2, 0) and len(blob) >= 12:
        (length,), start = _U32_LE.unpack_from(blob, 8), 12
    else:
        raise WireError(f"unsupported .npy version {version}")
    if length > limits.NPY_HEADER_BYTES or start + length > len(blob):
        raise WireError("array header is too long or truncated")
    dtype, shape = _npy_dict(str(blob[start : start + length], "latin-1"))
    return dtype, shape, start + length


@lru_cache(maxsize=256)
def _npy_dict(text: str) -> tuple[np.dtype[Any], tuple[int, ...]]:
    """(dtype, shape) a .npy header's text declares: a pure function of the (capped) text,
    so one parse serves every array of that dtype and shape. A refused text raises each time
    (nothing is cached for it)."""
    match = _NPY_HEADER.fullmatch(text)
    if match is None:
        raise WireError("array header is not in the expected form")
    dims = [part for part in match.group(2).split(",") if part.strip()]
    if len(dims) > MAX_DIMS:
        raise WireError(f"array has more than {MAX_DIMS} dimensions")
    return _dtype(match.group(1)), tuple(int(part) for part in dims)


# ----- encoding ----------------------------------------------------------------------------


def _type_name(value: object) -> str:
    try:
        cls = type(value)
        return f"{cls.__module__}.{cls.__qualname__}"[: limits.MAX_TYPE_NAME]
    except Exception:  # a hostile metaclass can make even this raise
        return "object"


class Encoder:
    """Builds one frame from one or more values, within ``caps`` (so the frame decodes).

    ``add`` returns a value's tree and keeps its arrays; a value that breaks a cap raises
    WireError and leaves the encoder as it was, so a run can refuse one outcome and go on.
    """

    def __init__(self, caps: Caps = TRUSTED_CAPS) -> None:
        self.caps = caps
        self.blobs: list[bytes] = []
        self.nodes_left = caps.nodes
        self.array_bytes = 0
        self.header_bytes = 0

    @property
    def size(self) -> int:
        """Bytes of the frame so far (JSON of the trees added, plus the blobs)."""
        return self.header_bytes + sum(len(blob) + 8 for blob in self.blobs) + 8

    def add(self, value: object) -> Any:
        return self._add(value)[0]

    def _add(self, value: object) -> tuple[Any, str]:
        """``value``'s tree and its JSON text (as ``pack`` writes it)."""
        mark = (len(self.blobs), self.nodes_left, self.array_bytes, self.header_bytes)
        try:
            tree = self._value(value, 0)
            text = json.dumps(tree, allow_nan=True, separators=(",", ":"))
            self.header_bytes += len(text)
            if self.header_bytes > self.caps.header_bytes:
                raise WireError(
                    f"the values hold more than {self.caps.header_bytes} bytes of numbers and "
                    "text outside arrays (return NumPy arrays rather than long lists)"
                )
            if self.size > self.caps.frame_bytes:
                raise WireError(f"the values are larger than {self.caps.frame_bytes} bytes")
            return tree, text
        except BaseException:
            del self.blobs[mark[0] :]
            _, self.nodes_left, self.array_bytes, self.header_bytes = mark
            raise

    def frame(self, header: dict[str, Any]) -> bytes:
        return pack(header, self.blobs)

    def _value(self, value: object, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise WireError(f"value nested deeper than {MAX_DEPTH} levels")
        self.nodes_left -= 1
        if self.nodes_left < 0:
            raise WireError(f"value has more than {self.caps.nodes} parts")
        # Exact type checks on purpose: a subclass of int or str could carry behaviour.
        kind = type(value)
        if value is None or kind is bool or kind is float:
            return value
        if isinstance(value, int) and kind is int:
            return _encode_int(value)
        if isinstance(value, str) and kind is str:
            return value[:MAX_STRING]  # the same cut in both directions
        if isinstance(value, complex) and kind is complex:
            return {"__complex__": [value.real, value.imag]}
        if isinstance(value, np.generic | np.ndarray):
            return self._numpy(value, depth)
        return self._container(value, depth)

    def _numpy(self, value: np.generic | np.ndarray[Any, Any], depth: int) -> Any:
        if isinstance(value, np.generic):
            if type(value).__module__ != "numpy" or value.dtype.kind not in ALLOWED_DTYPE_KINDS:
                return {"__unsupported__": f"numpy.{value.dtype}"[: limits.MAX_TYPE_NAME]}
            return self._value(value.item(), depth)
        array = np.asarray(value)
        if type(array) is not np.ndarray:  # a subclass: keep the data, drop the behaviour
            array = np.array(array, copy=True).view(np.ndarray)
        if array.dtype.kind not in ALLOWED_DTYPE_KINDS:
            return {"__unsupported__": f"ndarray of dtype {array.dtype}"}
        if array.nbytes > MAX_ARRAY_BYTES:
            raise WireError(f"array of {array.nbytes} bytes is over {MAX_ARRAY_BYTES}")
        if len(self.blobs) >= self.caps.blobs:
            raise WireError(f"more than {self.caps.blobs} arrays")
        self.array_bytes += array.nbytes
        if self.array_bytes > self.caps.array_bytes:
            raise WireError(f"the arrays are larger than {self.caps.array_bytes} bytes")
        # np.ascontiguousarray would turn a 0-d array into shape (1,): keep the shape.
        contiguous = array if array.flags.c_contiguous else array.copy(order="C")
        self.blobs.append(npy_bytes(contiguous))
        return {"__nd__": len(self.blobs) - 1}

    def _container(self, value: object, depth: int) -> Any:
        if isinstance(value, list) and type(value) is list:
            return [self._value(item, depth + 1) for item in value]
        if isinstance(value, tuple) and type(value) is tuple:
            return {"__tuple__": [self._value(item, depth + 1) for item in value]}
        if isinstance(value, dict) and type(value) is dict:
            items = []
            for key, item in value.items():
                if type(key) is not str:
                    return {"__unsupported__": "dict with non-string keys"}
                items.append([key[:MAX_STRING], self._value(item, depth + 1)])
            return {"__dict__": items}
        if isinstance(value, FnSpec) and type(value) is FnSpec:
            env = self._value(value.env, depth + 1)
            return {"__fn__": {"source": value.source, "name": value.name, "env": env}}
        if isinstance(value, Unsupported) and type(value) is Unsupported:
            return {"__unsupported__": value.type_name[: limits.MAX_TYPE_NAME]}
        return {"__unsupported__": _type_name(value)}


def _encode_int(value: int) -> int | float:
    if abs(value) < 2**63:
        return value
    return float(value) if abs(value) < 2**1023 else math.copysign(math.inf, value)


def encode(value: object) -> bytes:
    """Encode ``value`` as one frame. Raises WireError if it breaks a limit.

    The header is the value's JSON text as ``add`` measured it, inside ``{"value":...}``:
    the same bytes ``pack({"value": tree})`` writes, without encoding the tree twice."""
    encoder = Encoder()
    _, text = encoder._add(value)
    return _pack_json(f'{{"value":{text}}}'.encode(), encoder.blobs)


# ----- decoding ----------------------------------------------------------------------------


class _Decoder:
    """One frame's value tree, walked within the frame's budgets (see the module docstring)."""

    def __init__(
        self, blobs: list[memoryview], caps: Caps, build_fn: Callable[[FnSpec], Any] | None
    ) -> None:
        self.blobs, self.caps, self.build_fn = blobs, caps, build_fn
        self.nodes_left = caps.nodes
        self.array_bytes_left = caps.array_bytes
        self.used = bytearray(len(blobs))

    def value(self, node: Any, depth: int) -> Any:
        if depth > self.caps.depth:
            raise WireError(f"value nested deeper than {self.caps.depth} levels")
        self.nodes_left -= 1
        if self.nodes_left < 0:
            raise WireError(f"value has more than {self.caps.nodes} parts")
        kind = type(node)
        if node is None or kind is bool or kind is int or kind is float:
            return node
        if kind is str:
            if len(node) > self.caps.string_chars:
                raise WireError(f"string longer than {self.caps.string_chars} characters")
            return neutralise(node) if self.caps.learner_text else node
        if kind is list:  # decoded in place: the parsed list becomes the value
            for index, item in enumerate(node):
                node[index] = self.value(item, depth + 1)
            return node
        if kind is dict and len(node) == 1:
            ((tag, payload),) = node.items()
            return self._tagged(tag, payload, depth)
        raise WireError("unknown value node")

    def _tagged(self, tag: str, payload: Any, depth: int) -> Any:
        kind = type(payload)
        if tag == "__nd__":
            return self._array(payload)
        if tag == "__tuple__" and kind is list:
            return tuple(self.value(item, depth + 1) for item in payload)
        if tag == "__dict__" and kind is list:
            return self._dict(payload, depth)
        if tag == "__complex__" and kind is list and len(payload) == 2:
            real, imag = (self.value(part, depth + 1) for part in payload)
            if not all(type(part) in (int, float) for part in (real, imag)):
                raise WireError("malformed complex number")
            return complex(real, imag)
        if tag == "__unsupported__" and kind is str:
            # A class name is the learner's text like any other (ESC, RLO, lone surrogates).
            return Unsupported(neutralise(payload[: limits.MAX_TYPE_NAME]))
        if tag == "__fn__" and kind is dict:
            return self._fn(payload, depth)
        raise WireError(f"unknown value tag {tag[:40]!r}")

    def _dict(self, pairs: list[Any], depth: int) -> dict[str, Any]:
        result = {}
        for pair in pairs:
            if not (type(pair) is list and len(pair) == 2 and type(pair[0]) is str):
                raise WireError("malformed dict entry")
            result[self.value(pair[0], depth + 1)] = self.value(pair[1], depth + 1)
        return result

    def _fn(self, payload: dict[str, Any], depth: int) -> Any:
        if self.build_fn is None:
            raise WireError("a callable spec is not accepted here")
        if not payload.keys() <= {"source", "name", "env"}:
            raise WireError("malformed callable spec")
        source = self.value(payload.get("source"), depth + 1)
        name = self.value(payload.get("name", "f"), depth + 1)
        env = self.value(payload.get("env", {"__dict__": []}), depth + 1)
        if type(source) is not str or type(name) is not str or type(env) is not dict:
            raise WireError("malformed callable spec")
        return self.build_fn(FnSpec(source, name, env))

    def _array(self, index: Any) -> np.ndarray[Any, Any]:
        if type(index) is not int or not 0 <= index < len(self.blobs):
            raise WireError("array reference out of range")
        if self.used[index]:
            raise WireError("an array blob is referenced more than once")
        self.used[index] = 1
        blob = self.blobs[index]
        dtype, shape, offset = npy_header(blob)
        count = math.prod(shape)
        nbytes = count * dtype.itemsize
        if nbytes != len(blob) - offset or nbytes > MAX_ARRAY_BYTES:
            raise WireError(f"array header claims {nbytes} bytes, not what the blob holds")
        self.array_bytes_left -= nbytes
        if self.array_bytes_left < 0:
            raise WireError(f"the arrays hold more than {self.caps.array_bytes} bytes")
        flat = np.frombuffer(blob, dtype=dtype, count=count, offset=offset)
        return flat.reshape(shape).copy()


def decode(
    data: bytes | bytearray,
    *,
    max_bytes: int | None = None,
    build_fn: Callable[[FnSpec], Any] | None = None,
    caps: Caps = TRUSTED_CAPS,
) -> Any:
    """Decode one frame into plain values, within ``caps`` (and ``max_bytes`` if smaller).

    FnSpec nodes are decoded only when ``build_fn`` is given (the run passes
    ``FnSpec.build`` to turn its inputs into callables); otherwise they are refused.
    Raises WireError on anything malformed or over a cap.
    """
    if max_bytes is not None and max_bytes < caps.frame_bytes:
        caps = replace(caps, frame_bytes=max_bytes)
    header, blobs = unpack(data, caps)
    if "value" not in header:
        raise WireError("frame has no value")
    return _Decoder(blobs, caps, build_fn).value(header["value"], 0)


def encode_request(code: str, calls: object) -> bytes:
    """A run's request: the learner's code and the calls (FnSpec inputs allowed)."""
    encoder = Encoder()
    return encoder.frame({"code": code, "value": encoder.add(calls)})


def decode_request(data: bytes) -> tuple[str, Any]:
    """(code, calls) from a request frame, FnSpec inputs built into callables (in the run)."""
    header, blobs = unpack(data, TRUSTED_CAPS)
    code = header.get("code")
    if type(code) is not str or "value" not in header:
        raise WireError("malformed request")
    return code, _Decoder(blobs, TRUSTED_CAPS, FnSpec.build).value(header["value"], 0)


def decode_result(data: bytes | bytearray) -> Any:
    """A run's result frame, decoded at the trust boundary (RESULT_CAPS, no callables).

    The cyclic garbage collector is paused meanwhile: the tens of thousands of containers a
    frame may hold (acyclic: JSON cannot express a cycle) would otherwise trigger collections
    whose cost grows with the trusted process's heap rather than with the frame.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return decode(data, caps=RESULT_CAPS)
    finally:
        if collecting:
            gc.enable()
