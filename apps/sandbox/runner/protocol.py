"""Framing between the pool and its zygote: one message is a JSON header plus raw blobs.

    message := u32 header_length | header (UTF-8 JSON) | u32 blob_count | (u64 length | bytes)*

Stdlib only: this module is imported by the trusted pool (as part of the package) and by the
zygote (by file name, from its own directory).
"""

from __future__ import annotations

import json
import os
import select
import struct
import time
from typing import Any

# Exit status of a child whose SIGXCPU handler fired. The child is PID 1 of its namespace, and
# the kernel does not deliver a default-action SIGXCPU to a namespace init, so the child
# installs a handler that exits with this code (the hard RLIMIT_CPU SIGKILL still backs it).
CPU_LIMIT_EXIT_CODE = 128 + 24


class ProtocolError(RuntimeError):
    """The peer closed the pipe, sent a malformed message, or missed the deadline."""


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def send(fd: int, header: dict[str, Any], blobs: list[bytes] | tuple[bytes, ...] = ()) -> None:
    encoded = json.dumps(header).encode()
    parts = [struct.pack(">I", len(encoded)), encoded, struct.pack(">I", len(blobs))]
    for blob in blobs:
        parts.append(struct.pack(">Q", len(blob)))
        parts.append(blob)
    _write_all(fd, b"".join(parts))


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        if deadline is not None:
            timeout = deadline - time.monotonic()
            if timeout <= 0 or not select.select([fd], [], [], timeout)[0]:
                raise ProtocolError("the zygote did not answer in time")
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise ProtocolError("the zygote closed its pipe")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def receive(
    fd: int, *, max_bytes: int = 256 * 1024 * 1024, deadline: float | None = None
) -> tuple[dict[str, Any], list[bytes]]:
    """Read one message. ``deadline`` is a ``time.monotonic()`` value (None: wait forever)."""
    (header_length,) = struct.unpack(">I", _read_exact(fd, 4, deadline))
    if header_length > max_bytes:
        raise ProtocolError("message header too large")
    try:
        header = json.loads(_read_exact(fd, header_length, deadline))
    except ValueError as exc:
        raise ProtocolError(f"malformed message header: {exc}") from None
    (count,) = struct.unpack(">I", _read_exact(fd, 4, deadline))
    blobs: list[bytes] = []
    total = header_length
    for _ in range(count):
        (length,) = struct.unpack(">Q", _read_exact(fd, 8, deadline))
        total += length
        if total > max_bytes:
            raise ProtocolError("message too large")
        blobs.append(_read_exact(fd, length, deadline))
    if not isinstance(header, dict):
        raise ProtocolError("message header is not an object")
    return header, blobs
