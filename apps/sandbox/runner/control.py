"""The pool <-> zygote control channel: one JSON object per AF_UNIX SOCK_SEQPACKET record.

Only numbers and short strings travel here (limits one way; readiness, wait status, wall
clock and cgroup counters the other), plus, when the pool hands the zygote a run, that run's
pipe ends as SCM_RIGHTS descriptors. Never code, inputs, results or output: those go through
pipes between the pool and the run, which the zygote holds only long enough to fork, so it
never has a submission's data in memory for a later run to find.

Stdlib only: imported by the trusted pool and by the zygote.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import socket
import time
from typing import Any

from .limits import CONTROL_MESSAGE_BYTES


class ControlError(RuntimeError):
    """The peer closed the channel, sent something malformed, or missed the deadline."""


def send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(message, separators=(",", ":")).encode()
    if len(data) > CONTROL_MESSAGE_BYTES:
        raise ControlError("control message too large")
    if fds:
        socket.send_fds(sock, [data], fds)
    else:
        sock.sendall(data)


def _close_all(fds: list[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def receive(
    sock: socket.socket, *, max_fds: int = 0, deadline: float | None = None
) -> tuple[dict[str, Any], list[int]]:
    """One message and the descriptors attached to it (at most ``max_fds``).

    ``deadline`` is a ``time.monotonic()`` value (None: wait forever).
    """
    if deadline is not None:
        timeout = deadline - time.monotonic()
        if timeout <= 0 or not select.select([sock], [], [], timeout)[0]:
            raise ControlError("the peer did not answer in time")
    try:
        data, fds, flags, _ = socket.recv_fds(sock, CONTROL_MESSAGE_BYTES, max(max_fds, 1))
    except OSError as exc:
        raise ControlError(f"the control channel failed: {exc}") from None
    if flags & (socket.MSG_TRUNC | socket.MSG_CTRUNC) or len(fds) > max_fds:
        _close_all(fds)
        raise ControlError("control message truncated or carrying unexpected descriptors")
    if not data:
        _close_all(fds)
        raise ControlError("the peer closed the control channel")
    try:
        message = json.loads(data)
    except ValueError:
        message = None
    if type(message) is not dict:
        _close_all(fds)
        raise ControlError("malformed control message")
    return message, fds
