"""The trusted side: a pool of zygote slots that run submissions one at a time each.

A slot owns one zygote (a warm ``python -I`` with NumPy imported, see zygote.py) and talks
to it over an AF_UNIX control socket that carries only numbers and descriptors. For each run
the slot creates the run's pipes, passes the run's ends to the zygote, and exchanges the
data with the run itself (exchange.py): the zygote never holds a submission's data. Every
zygote, the first and each replacement (recycled after RECYCLE_AFTER_RUNS runs, or after it
failed), is self-tested before it serves a submission; if the self-test finds a way out, the
slot refuses to grade (SandboxUnavailable).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import cgroups, control, wire
from .exchange import Exchange, RunPipes
from .interpret import interpret
from .limits import (
    MAX_CODE_BYTES,
    RECYCLE_AFTER_RUNS,
    REPLY_GRACE_SECONDS,
    STARTUP_TIMEOUT,
    Limits,
)
from .results import RunResult, SandboxUnavailable

PROJECT_ROOT = str(Path(__file__).resolve().parents[3])
# The zygote runs as a package module (so it shares this package's code and types) from an
# isolated interpreter that sees no environment, no user site and no current directory.
BOOTSTRAP = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from apps.sandbox.runner.zygote import bootstrap; bootstrap(sys.argv[1:])"
)
ZYGOTE_ENV = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    # glibc reads this once, at the zygote's start: threads share two malloc arenas instead of
    # reserving 64 MiB of address space each (which RLIMIT_AS would count, without cgroups).
    "MALLOC_ARENA_MAX": "2",
}
BASE_UID = 61000
ZYGOTE_EXIT_SECONDS = 1.0  # a zygote told to exit between runs has this long to do so
MAX_SLOTS = 256
USERNS_HINT = (
    "run the worker as root or enable unprivileged user namespaces: "
    "sysctl kernel.unprivileged_userns_clone=1 (and user.max_user_namespaces > 0)"
)


def _lock_dir() -> Path:
    if os.geteuid() == 0:
        return Path("/run/dlmath-sandbox")
    return Path(tempfile.gettempdir()) / f"dlmath-sandbox-{os.geteuid()}"


def _claim_slot() -> tuple[int, int]:
    """Lock the first free machine-wide slot index; returns (index, lock fd held for life)."""
    directory = _lock_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    for index in range(MAX_SLOTS):
        fd = os.open(directory / f"slot-{index}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return index, fd
    raise SandboxUnavailable(f"all {MAX_SLOTS} sandbox slots on this machine are in use")


class _Zygote:
    """One running zygote process and its control socket."""

    def __init__(self, python: str, slot: int) -> None:
        uid = BASE_UID + slot
        mode = "root" if os.geteuid() == 0 else "userns"
        self.channel, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        args = [PROJECT_ROOT, str(theirs.fileno()), str(slot), str(uid), str(uid), mode]
        with theirs:
            self.process = subprocess.Popen(
                [python, "-I", "-B", "-c", BOOTSTRAP, *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                env=ZYGOTE_ENV,
                close_fds=True,
                pass_fds=[theirs.fileno()],
                cwd="/",
            )
        self.runs = 0
        # A run interrupted before its report was read: the report still comes, by then.
        self.owes_report_by: float | None = None
        try:
            hello, _ = control.receive(self.channel, deadline=time.monotonic() + STARTUP_TIMEOUT)
        except control.ControlError as exc:
            self.kill()
            raise SandboxUnavailable(f"the sandbox zygote did not start: {exc}") from None
        if hello.get("status") != "ready":
            self.kill()
            hint = f"; {USERNS_HINT}" if mode == "userns" else ""
            reason = hello.get("reason", "unknown reason")
            raise SandboxUnavailable(f"cannot isolate learner code: {reason}{hint}")
        self.layers: list[str] = [str(layer) for layer in hello.get("layers", [])]
        self.budget = str(hello.get("budget"))

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        self.channel.close()

    def stop(self) -> None:
        """Let a zygote between runs exit on its own (it ends and reaps its spare, which a
        SIGKILL would leave to whoever adopts orphans), or kill it after a moment."""
        self.channel.close()
        try:
            self.process.wait(timeout=ZYGOTE_EXIT_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()

    def start(self, request: bytes, limits: Limits) -> _ZygoteRun:
        """Begin one run on this zygote (see _ZygoteRun). Raises ControlError or OSError if
        the zygote cannot take it."""
        if self.owes_report_by is not None:
            # The interrupted run's report, never this run's: read and dropped (its run was
            # held to its limits by the zygote meanwhile).
            control.receive(self.channel, deadline=self.owes_report_by)
            self.owes_report_by = None
        pipes = RunPipes.create()
        try:
            message = {"op": "run", **limits.as_dict()}
            control.send(self.channel, message, pipes.run_ends())
            pipes.close(pipes.run_ends())
            self.runs += 1
            deadline = time.monotonic() + limits.wall_seconds + REPLY_GRACE_SECONDS
            exchange = Exchange(self.channel, pipes, request, limits)
        except BaseException:
            pipes.close_all()
            raise
        return _ZygoteRun(self, exchange, pipes, limits, deadline)

    def run(self, request: bytes, limits: Limits) -> RunResult:
        """One run on this zygote. Raises ControlError if the zygote misbehaves."""
        return self.start(request, limits).finish()


class _ZygoteRun:
    """A run the zygote has been handed: it goes on in its own process while the pool's
    caller does other work, then ``finish`` collects and interprets it (exactly once)."""

    def __init__(
        self, zygote: _Zygote, exchange: Exchange, pipes: RunPipes, limits: Limits, deadline: float
    ) -> None:
        self.zygote, self.exchange, self.pipes = zygote, exchange, pipes
        self.limits, self.deadline = limits, deadline
        self.failure: BaseException | None = None
        self.exchange.pump()  # the request goes in now (what the pipe takes)

    def pump(self) -> None:
        """Move what is ready; a failure is kept for ``finish`` to raise."""
        if self.failure is None:
            try:
                self.exchange.pump()
            except (control.ControlError, OSError) as exc:
                self.failure = exc

    def finish(self) -> RunResult:
        """The run's result. Raises ControlError (or OSError) if the zygote misbehaved."""
        try:
            if self.failure is not None:
                raise self.failure
            collected = self.exchange.collect(self.deadline)
        finally:
            self.pipes.close_all()
        if collected.report.get("status") != "finished":
            raise control.ControlError(f"the zygote answered {collected.report.get('status')!r}")
        return interpret(collected, self.limits)


class _Slot:
    def __init__(self, python: str) -> None:
        self.python = python
        self.index, self._lock_fd = _claim_slot()
        # A previous owner of this slot that died mid-run (its process killed, so nothing
        # ran _discard) may have left its run behind: it ends before the slot serves again.
        cgroups.kill_slot(self.index)
        self.zygote: _Zygote | None = None
        self.failures = 0  # zygotes replaced because they failed (not recycled)
        try:
            self._healthy_zygote()
        except BaseException:
            self.release()
            raise

    @property
    def uid(self) -> int:
        return BASE_UID + self.index

    def _healthy_zygote(self) -> _Zygote:
        """The slot's zygote; a new one (self-tested first) if it died or served its turn."""
        zygote = self.zygote
        if zygote is not None and zygote.alive() and zygote.runs < RECYCLE_AFTER_RUNS:
            return zygote
        if zygote is not None and not zygote.alive():
            self.failures += 1  # it died between runs
        self._discard()
        zygote = _Zygote(self.python, self.index)
        try:
            self.self_test(zygote)
        except (control.ControlError, OSError) as exc:
            # It failed under its own self-test (a probe's run lost, its channel broken):
            # the caller is told what every other failure to isolate tells it.
            zygote.kill()
            raise SandboxUnavailable(f"the sandbox failed its self-test: {exc}") from None
        except BaseException:
            zygote.kill()
            raise
        self.zygote = zygote
        return zygote

    def _discard(self, *, failed: bool = False) -> None:
        if self.zygote is not None:
            if failed:
                self.zygote.kill()
            else:
                self.zygote.stop()
            self.zygote = None
            # A run the zygote was supervising is not its child's any more: end it here, or
            # it would go on with nobody holding it to its CPU budget or wall-clock limit.
            cgroups.kill_slot(self.index)

    def self_test(self, zygote: _Zygote | None = None) -> None:
        from .selftest import run_self_test

        target = zygote or self._healthy_zygote()

        def run(code: str, calls: list[dict[str, Any]], limits: Limits) -> RunResult:
            return target.run(wire.encode_request(code, calls), limits.clamped())

        run_self_test(run, budget=target.budget)

    def start(self, request: bytes, limits: Limits) -> _SlotRun:
        return _SlotRun(self, request, limits)

    def run(self, request: bytes, limits: Limits) -> RunResult:
        return self.start(request, limits).result()

    def failed(self) -> None:
        """The zygote misbehaved: it is replaced, never trusted again."""
        self.failures += 1
        self._discard(failed=True)

    def release(self) -> None:
        self._discard()
        if self._lock_fd >= 0:
            cgroups.remove_slot(self.index)
            os.close(self._lock_fd)
            self._lock_fd = -1


class _SlotRun:
    """One submission on a slot: a first attempt begun at once, finished by ``result``.

    A zygote that fails (a control channel error, a missing or malformed report) is replaced
    and the submission run again on a fresh one, once; a second failure is
    SandboxUnavailable, as is a run whose isolation failed (never retried).
    """

    def __init__(self, slot: _Slot, request: bytes, limits: Limits) -> None:
        self.slot, self.request, self.limits = slot, request, limits
        self.error: BaseException | None = None
        self.running = self._attempt()

    def _attempt(self) -> _ZygoteRun | None:
        zygote = self.slot._healthy_zygote()
        try:
            return zygote.start(self.request, self.limits)
        except (control.ControlError, OSError) as exc:
            self.slot.failed()
            self.error = exc
            return None

    def pump(self) -> None:
        if self.running is not None:
            self.running.pump()

    def result(self) -> RunResult:
        for attempt in (1, 2):
            running, self.running = self.running, None
            if running is None and attempt == 2:
                running = self._attempt()
            if running is None:
                if attempt == 2:
                    raise SandboxUnavailable(f"the sandbox zygote failed twice: {self.error}")
                continue
            try:
                return running.finish()
            except (control.ControlError, OSError) as exc:
                self.slot.failed()
                self.error = exc
                if attempt == 2:
                    raise SandboxUnavailable(f"the sandbox zygote failed twice: {exc}") from None
            except SandboxUnavailable:
                self.slot.failed()
                raise
            except BaseException:
                # Interrupted (a task's time limit, say): if the zygote's report has not been
                # read, the zygote's next run reads it first, so no run gets another's report.
                if running.exchange.report is None:
                    running.zygote.owes_report_by = running.deadline
                raise
        raise AssertionError("unreachable")


class PendingRun:
    """A submission running in the sandbox while the caller does other work (the trusted
    side of its grading): ``pump()`` between steps moves its pipes along, ``result()`` waits
    for it and frees the slot. ``result()`` must be called, once the caller is done or when
    it fails: until then the slot serves no one else."""

    def __init__(self, pool: ZygotePool, slot: _Slot, request: bytes, limits: Limits) -> None:
        self._pool = pool
        self._slot: _Slot | None = slot
        self._run: _SlotRun | None = None
        self._outcome: RunResult | BaseException | None = None
        try:
            self._run = slot.start(request, limits)
        except BaseException:
            self._release()
            raise

    def _release(self) -> None:
        slot, self._slot = self._slot, None
        if slot is not None:
            self._pool._free.put(slot)

    def pump(self) -> None:
        if self._run is not None:
            self._run.pump()

    def result(self) -> RunResult:
        if self._run is not None:
            run, self._run = self._run, None
            try:
                self._outcome = run.result()
            except BaseException as exc:
                self._outcome = exc
            finally:
                self._release()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        assert self._outcome is not None
        return self._outcome

    def abandon(self) -> None:
        """The caller failed and will not use the result: wait for the run's end (within its
        limits, like any run) and free the slot; an error of the run's own is dropped."""
        with contextlib.suppress(Exception):
            self.result()


class ZygotePool:
    """Runs learner code in isolated runs forked from warm zygotes, ``slots`` at a time.

    Thread-safe: :meth:`run` blocks until a slot is free. Creating a pool starts its zygotes
    and self-tests each (raising :class:`SandboxUnavailable` if isolation cannot be set up or
    a probe escapes), as does every restart; :meth:`self_test` runs the probes again.
    """

    def __init__(self, slots: int = 1, *, python: str = sys.executable) -> None:
        self._slots: list[_Slot] = []
        self._free: queue.Queue[_Slot] = queue.Queue()
        self._closed = False
        try:
            for _ in range(max(1, slots)):
                slot = _Slot(python)
                self._slots.append(slot)
                self._free.put(slot)
        except BaseException:
            self.close()
            raise

    @property
    def slot_uids(self) -> list[int]:
        """The unprivileged uids learner code runs as (one per slot)."""
        return [slot.uid for slot in self._slots]

    @property
    def zygote_failures(self) -> int:
        """How many zygotes were replaced because they failed (recycling is not counted).

        Nothing a learner's run does should make this grow.
        """
        return sum(slot.failures for slot in self._slots)

    @property
    def layers(self) -> list[str]:
        """The isolation layers the zygotes reported as active."""
        zygote = self._slots[0].zygote if self._slots else None
        return list(zygote.layers) if zygote else []

    def run(
        self,
        code: str,
        calls: list[dict[str, Any]],
        limits: Limits = Limits(),  # noqa: B008 - frozen dataclass, safe as a default
    ) -> RunResult:
        """Execute ``code`` as module ``submission`` and call each ``calls`` entry on it.

        Each call is ``{"key", "func", "args", "kwargs"}`` with values ``wire.encode`` accepts
        (FnSpec inputs arrive as callables). Raises SandboxUnavailable, never runs unconfined.
        """
        return self.start(code, calls, limits).result()

    def start(
        self,
        code: str,
        calls: list[dict[str, Any]],
        limits: Limits = Limits(),  # noqa: B008 - frozen dataclass, safe as a default
    ) -> PendingRun:
        """Like :meth:`run`, but returns once the run is handed to a zygote: the caller works
        meanwhile (pumping the run between its steps) and then asks for ``result()``, which it
        must do in every case (the slot stays taken until then)."""
        if self._closed:
            raise SandboxUnavailable("the sandbox pool is closed")
        if len(code.encode("utf-8", errors="surrogatepass")) > MAX_CODE_BYTES:
            raise ValueError(f"code is larger than {MAX_CODE_BYTES} bytes")
        request = wire.encode_request(code, [dict(call) for call in calls])
        return PendingRun(self, self._free.get(), request, limits.clamped())

    @contextlib.contextmanager
    def _slot(self) -> Iterator[_Slot]:
        slot = self._free.get()
        try:
            yield slot
        finally:
            self._free.put(slot)

    def self_test(self) -> None:
        """Try known escapes in every slot; raise SandboxUnavailable naming any that worked."""
        for _ in range(len(self._slots)):
            with self._slot() as slot:
                slot.self_test()

    def close(self) -> None:
        """Stop every zygote, release the slot locks and remove the slot cgroups."""
        self._closed = True
        for slot in self._slots:
            slot.release()
        self._slots.clear()

    def __enter__(self) -> ZygotePool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_default_lock = threading.Lock()
_default_pool: ZygotePool | None = None
_default_failure: str | None = None


def default_pool() -> ZygotePool:
    """The process-wide pool (1 slot), created (and so self-tested) on first use.

    A failure is remembered: later calls raise the same SandboxUnavailable without retrying.
    """
    global _default_pool, _default_failure
    with _default_lock:
        if _default_pool is not None:
            return _default_pool
        if _default_failure is not None:
            raise SandboxUnavailable(_default_failure)
        try:
            pool = ZygotePool(1)
        except SandboxUnavailable as exc:
            _default_failure = str(exc)
            raise
        _default_pool = pool
        # Release the slot lock and remove the slot cgroups when the worker exits.
        atexit.register(pool.close)
        return pool
