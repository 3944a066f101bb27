"""The trusted side: a pool of zygote slots that run submissions one at a time each."""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from . import cgroups, protocol, wire
from .interpret import interpret
from .limits import Limits
from .results import RunResult, SandboxUnavailable

ZYGOTE_SCRIPT = str(Path(__file__).resolve().with_name("zygote.py"))
ZYGOTE_ENV = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
BASE_UID = 61000
MAX_SLOTS = 256
RECYCLE_AFTER_RUNS = 500
STARTUP_TIMEOUT = 30.0
REPLY_GRACE_SECONDS = 15.0
MAX_CODE_BYTES = 1024 * 1024
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
    """One running zygote process and its control pipes."""

    def __init__(self, python: str, slot: int) -> None:
        uid = BASE_UID + slot
        mode = "root" if os.geteuid() == 0 else "userns"
        self.process = subprocess.Popen(
            [python, "-I", "-B", ZYGOTE_SCRIPT, str(slot), str(uid), str(uid), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=ZYGOTE_ENV,
            close_fds=True,
            cwd="/",
        )
        self.runs = 0
        assert self.process.stdout is not None  # stdout=PIPE
        try:
            hello, _ = protocol.receive(
                self.process.stdout.fileno(), deadline=time.monotonic() + STARTUP_TIMEOUT
            )
        except protocol.ProtocolError as exc:
            self.kill()
            raise SandboxUnavailable(f"the sandbox zygote did not start: {exc}") from None
        if hello.get("status") != "ready":
            self.kill()
            reason = hello.get("reason", "unknown reason")
            hint = f"; {USERNS_HINT}" if mode == "userns" else ""
            raise SandboxUnavailable(f"cannot isolate learner code: {reason}{hint}")
        self.layers: list[str] = list(hello.get("layers", []))

    def alive(self) -> bool:
        return self.process.poll() is None

    def request(self, header: dict[str, Any], blob: bytes, deadline: float):
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None  # both are PIPEs
        protocol.send(stdin.fileno(), header, [blob])
        self.runs += 1
        return protocol.receive(stdout.fileno(), deadline=deadline)

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is None:
                continue
            with contextlib.suppress(OSError):
                pipe.close()


class _Slot:
    def __init__(self, python: str) -> None:
        self.python = python
        self.index, self._lock_fd = _claim_slot()
        self.zygote: _Zygote | None = None
        try:
            self.zygote = _Zygote(python, self.index)
        except BaseException:
            self.release()
            raise

    @property
    def uid(self) -> int:
        return BASE_UID + self.index

    def _healthy_zygote(self) -> _Zygote:
        zygote = self.zygote
        if zygote is None or not zygote.alive() or zygote.runs >= RECYCLE_AFTER_RUNS:
            if zygote is not None:
                zygote.kill()
            self.zygote = None
            self.zygote = zygote = _Zygote(self.python, self.index)
        return zygote

    def run(self, code: str, calls_frame: bytes, limits: Limits) -> RunResult:
        header = {"op": "run", "code": code, "limits": limits.as_dict()}
        deadline_margin = limits.wall_seconds + REPLY_GRACE_SECONDS
        for attempt in (1, 2):
            zygote = self._healthy_zygote()
            try:
                deadline = time.monotonic() + deadline_margin
                reply, blobs = zygote.request(header, calls_frame, deadline)
                break
            except (protocol.ProtocolError, OSError) as exc:
                zygote.kill()  # a zygote that misbehaves is replaced, never trusted again
                if attempt == 2:
                    raise SandboxUnavailable(f"the sandbox zygote failed twice: {exc}") from None
        if reply.get("status") == "setup_failed":
            zygote.kill()
            raise SandboxUnavailable(f"isolation failed for this run: {reply.get('reason')}")
        if reply.get("status") != "finished":
            zygote.kill()
            raise SandboxUnavailable(f"the sandbox zygote answered {reply.get('status')!r}")
        return interpret(reply, blobs, limits)

    def release(self) -> None:
        if self.zygote is not None:
            self.zygote.kill()
            self.zygote = None
        if self._lock_fd >= 0:
            cgroups.remove_slot(self.index)
            os.close(self._lock_fd)
            self._lock_fd = -1


class ZygotePool:
    """Runs learner code in isolated children of warm zygotes, ``slots`` at a time.

    Thread-safe: :meth:`run` blocks until a slot is free. Creating a pool starts its zygotes
    (raising :class:`SandboxUnavailable` if isolation cannot be set up) but does not self-test;
    call :meth:`self_test` (``default_pool()`` does) before trusting it with grading.
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
        if self._closed:
            raise SandboxUnavailable("the sandbox pool is closed")
        if len(code.encode("utf-8", errors="surrogatepass")) > MAX_CODE_BYTES:
            raise ValueError(f"code is larger than {MAX_CODE_BYTES} bytes")
        calls_frame = wire.encode([dict(call) for call in calls])
        slot = self._free.get()
        try:
            return slot.run(code, calls_frame, limits.clamped())
        finally:
            self._free.put(slot)

    def self_test(self) -> None:
        """Try known escapes in every slot; raise SandboxUnavailable naming any that worked."""
        from .selftest import run_self_test

        for _ in self._slots:
            run_self_test(self)

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
    """The process-wide pool (1 slot), created and self-tested on first use.

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
            try:
                pool.self_test()
            except BaseException:
                pool.close()
                raise
        except SandboxUnavailable as exc:
            _default_failure = str(exc)
            raise
        _default_pool = pool
        # Release the slot lock and remove the slot cgroups when the worker exits.
        atexit.register(pool.close)
        return pool
