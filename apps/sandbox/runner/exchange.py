"""The pool's side of one run: the pipes it creates and the bytes it moves, each capped.

Per run the pool (the trusted worker process) creates five pipes: request (pool -> run),
result, stdout and stderr (run -> pool), and setup (run -> pool: "ready" just before learner
code starts, or why setup failed). It hands the run's ends to the zygote as descriptors and
closes its copies; it writes the request and reads everything else itself, so the data of a
submission passes between the trusted process and the run only. Every stream is read with a
cap (the result at RESULT_BYTES, output at the caller's limits); past a cap the bytes are
drained and dropped so the writer never blocks. The zygote's report (numbers) arrives on the
control socket. The exchange ends when the report has arrived and every pipe is at end of
file, or DRAIN_GRACE_SECONDS after the report (a learner can keep a pipe open by passing its
descriptor around; the run is over regardless).
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from . import control
from .limits import DRAIN_GRACE_SECONDS, RESULT_BYTES, SETUP_REPORT_BYTES, Limits

# What the run writes on the setup pipe: "ready" just before learner code, or a failure.
SETUP_READY = b"R"
SETUP_FAILED = b"F"
# The run's pipe ends as they travel to the zygote (SCM_RIGHTS order).
RUN_FD_NAMES = ("request", "result", "stdout", "stderr", "setup")


class CappedReader:
    """Keeps the first ``cap`` bytes of a pipe and drains the rest so the writer never blocks.

    One growing buffer, so holding a capped stream costs about the cap, not twice it.
    """

    def __init__(self, fd: int, cap: int, chunk: int = 1 << 16) -> None:
        self.fd, self.cap, self.chunk = fd, cap, chunk
        self.buffer = bytearray()
        self.overflow = False
        os.set_blocking(fd, False)

    def read(self) -> bool:
        """Read what is available; False at end of file."""
        try:
            data = os.read(self.fd, self.chunk)
        except BlockingIOError:
            return True
        if not data:
            return False
        room = self.cap - len(self.buffer)
        if len(data) > room:
            self.overflow = True
            data = data[: max(room, 0)]
        self.buffer += data
        return True


@dataclass
class RunPipes:
    """The five pipes of one run: (read end, write end) each."""

    request: tuple[int, int]
    result: tuple[int, int]
    stdout: tuple[int, int]
    stderr: tuple[int, int]
    setup: tuple[int, int]
    closed: set[int] = field(default_factory=set)

    @classmethod
    def create(cls) -> RunPipes:
        return cls(os.pipe(), os.pipe(), os.pipe(), os.pipe(), os.pipe())

    def run_ends(self) -> list[int]:
        """The run's ends, in the order RUN_FD_NAMES names them."""
        return [self.request[0], self.result[1], self.stdout[1], self.stderr[1], self.setup[1]]

    def close(self, fds: list[int]) -> None:
        for fd in fds:
            if fd not in self.closed:
                self.closed.add(fd)
                with contextlib.suppress(OSError):
                    os.close(fd)

    def close_all(self) -> None:
        self.close([fd for pair in (self.request, self.result, self.stdout, self.stderr,
                                    self.setup) for fd in pair])  # fmt: skip


@dataclass
class Collected:
    """Everything the pool gathered about one run, before any of it is interpreted."""

    report: dict[str, Any]
    setup: bytearray
    result: bytearray
    result_overflow: bool
    stdout: bytearray
    stdout_truncated: bool
    stderr: bytearray
    stderr_truncated: bool


class Exchange:
    """Feeds one run its request and collects what comes back (see the module docstring)."""

    def __init__(
        self, channel: socket.socket, pipes: RunPipes, request: bytes, limits: Limits
    ) -> None:
        self.channel, self.pipes = channel, pipes
        self.pending = memoryview(request)
        self.readers = {
            reader.fd: reader
            for reader in (
                CappedReader(pipes.result[0], RESULT_BYTES, chunk=1 << 20),
                CappedReader(pipes.stdout[0], limits.stdout_bytes),
                CappedReader(pipes.stderr[0], limits.stderr_bytes),
                CappedReader(pipes.setup[0], SETUP_REPORT_BYTES),
            )
        }
        self.report: dict[str, Any] | None = None
        self.reported_at: float | None = None
        os.set_blocking(pipes.request[1], False)
        self.poller = select.poll()
        self.poller.register(channel.fileno(), select.POLLIN)
        self.poller.register(pipes.request[1], select.POLLOUT)
        for fd in self.readers:
            self.poller.register(fd, select.POLLIN)
        self.open_readers = set(self.readers)

    def _write_request(self) -> bool:
        """Write what the pipe takes; False once done (all written, or the run is gone)."""
        try:
            written = os.write(self.pipes.request[1], self.pending[: 1 << 20])
        except BlockingIOError:
            return True
        except OSError:  # EPIPE: the run ended without reading all of it
            written = len(self.pending)
        self.pending = self.pending[written:]
        return bool(self.pending)

    def _handle(self, fd: int) -> None:
        if fd == self.channel.fileno():
            self.report, _ = control.receive(self.channel)
            self.reported_at = time.monotonic()
            self.poller.unregister(fd)
        elif fd == self.pipes.request[1]:
            if not self._write_request():
                self.poller.unregister(fd)
                self.pipes.close([fd])  # end of file: the run stops reading
        elif not self.readers[fd].read():
            self.poller.unregister(fd)
            self.open_readers.discard(fd)

    def _done(self) -> bool:
        return self.report is not None and not self.open_readers

    def pump(self) -> None:
        """Move what is ready now (request bytes in, results and output out), never waiting.

        The caller does other work while the run goes on and pumps between its steps, so the
        run does not stall on a full pipe meanwhile."""
        if not self._done():
            for fd, _ in self.poller.poll(0):
                self._handle(fd)

    def collect(self, deadline: float) -> Collected:
        """Run the exchange; raises ControlError if the zygote has not reported by ``deadline``."""
        while not self._done():
            now = time.monotonic()
            end = deadline if self.reported_at is None else self.reported_at + DRAIN_GRACE_SECONDS
            if now >= end:
                if self.report is None:
                    raise control.ControlError("the zygote did not report in time")
                break
            for fd, _ in self.poller.poll((end - now) * 1000):
                self._handle(fd)
        return self._collected()

    def _collected(self) -> Collected:
        result, stdout, stderr, setup = self.readers.values()
        assert self.report is not None
        return Collected(
            report=self.report,
            setup=setup.buffer,
            result=result.buffer,
            result_overflow=result.overflow,
            stdout=stdout.buffer,
            stdout_truncated=stdout.overflow,
            stderr=stderr.buffer,
            stderr_truncated=stderr.overflow,
        )
