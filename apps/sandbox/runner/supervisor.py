"""Per-submission fork, confinement and supervision, inside the zygote.

Stage A (forked from the zygote, still trusted) starts a session, unshares mount, IPC, UTS and
PID namespaces, mounts a private /tmp, joins the slot cgroups and forks B, reporting B's pid.
Stage B is PID 1 of the new PID namespace: killing it kills everything the learner started.
B closes inherited descriptors, sets rlimits, drops to the slot uid, sets no_new_privs, loads
seccomp and only then runs :func:`child.run_submission`. The zygote enforces the wall clock
and drains B's pipes with caps. Loaded only in the zygote.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import math
import os
import resource
import select
import signal
import struct
import sys
import time
import traceback
from dataclasses import dataclass
from typing import Any

import child
import rootfs
import seccomp
import syscalls as sc
from cgroups import SlotCgroups

RESULT_CAP = 32 * 1024 * 1024
TMPFS_BYTES = 16 * 1024 * 1024
TMPFS_INODES = 1024
FILE_SIZE_LIMIT = 8 * 1024 * 1024
OPEN_FILES = 64
PROCESSES = 64
STACK_BYTES = 16 * 1024 * 1024
SETUP_FAILED = 71
DRAIN_GRACE_SECONDS = 5.0
SETUP_ENV = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "HOME": "/tmp",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
RESULT_FD, STDOUT_FD, STDERR_FD = 3, 1, 2


def virtual_memory_bytes() -> int:
    """This process's address-space size (needs /proc: call before the pivot)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


@dataclass
class _Pipes:
    result: tuple[int, int]
    stdout: tuple[int, int]
    stderr: tuple[int, int]
    report: tuple[int, int]

    @classmethod
    def create(cls) -> _Pipes:
        return cls(os.pipe(), os.pipe(), os.pipe(), os.pipe())

    def close_write_ends(self) -> None:
        for _, write_end in (self.result, self.stdout, self.stderr, self.report):
            os.close(write_end)


class _CappedReader:
    """Keeps the first ``cap`` bytes of a pipe and drains the rest so the writer never blocks."""

    def __init__(self, fd: int, cap: int) -> None:
        self.fd, self.cap = fd, cap
        self.chunks: list[bytes] = []
        self.size = 0
        self.overflow = False
        os.set_blocking(fd, False)

    def read(self) -> bool:
        """Read what is available; False at end of file."""
        try:
            chunk = os.read(self.fd, 1 << 16)
        except BlockingIOError:
            return True
        if not chunk:
            return False
        room = self.cap - self.size
        if len(chunk) > room:
            self.overflow = True
            chunk = chunk[: max(room, 0)]
        if chunk:
            self.chunks.append(chunk)
            self.size += len(chunk)
        return True

    def data(self) -> bytes:
        return b"".join(self.chunks)


class Supervisor:
    """Runs submissions for one slot. ``drop_uid`` is False in user-namespace mode."""

    def __init__(
        self,
        *,
        uid: int,
        gid: int,
        drop_uid: bool,
        cgroups: SlotCgroups | None,
        base_vm: int,
    ) -> None:
        self.uid, self.gid, self.drop_uid, self.cgroups = uid, gid, drop_uid, cgroups
        self.seccomp_program = seccomp.build_filter()
        self.base_vm = base_vm
        self.layers = [
            "mount/ipc/uts/pid namespaces per run",
            "private tmpfs /tmp",
            "rlimits",
            "uid drop" if drop_uid else "capabilities dropped",
            "no_new_privs",
            "seccomp",
        ]
        os.environ.clear()
        os.environ.update(SETUP_ENV)

    # ----- the trusted side of one run --------------------------------------------------

    def run(self, request: dict[str, Any], calls_frame: bytes) -> tuple[dict[str, Any], list]:
        limits = request["limits"]
        if self.cgroups is not None:
            self.cgroups.set_memory(int(limits["memory_mb"]))
        oom_before = self.cgroups.oom_kills() if self.cgroups else 0
        pipes = _Pipes.create()
        started = time.monotonic()
        stage_a = os.fork()
        if stage_a == 0:
            self._stage_a(pipes, request["code"], calls_frame, limits)  # never returns
        pipes.close_write_ends()
        try:
            stage_b, failure = self._read_report(stage_a, pipes.report[0])
            if failure:
                return {"status": "setup_failed", "reason": failure}, []
            reply, outputs = self._supervise(stage_b, pipes, limits, started)
        finally:
            for read_end, _ in (pipes.result, pipes.stdout, pipes.stderr, pipes.report):
                os.close(read_end)
        if self.cgroups is not None:
            reply["oom_killed"] = self.cgroups.oom_kills() > oom_before
        return reply, outputs

    @staticmethod
    def _read_report(stage_a: int, report_fd: int) -> tuple[int, str]:
        _, status = os.waitpid(stage_a, 0)
        os.set_blocking(report_fd, False)
        try:
            report = os.read(report_fd, 65536)
        except BlockingIOError:
            report = b""
        if report[:1] == b"P" and len(report) == 9 and os.waitstatus_to_exitcode(status) == 0:
            return struct.unpack(">Q", report[1:])[0], ""
        reason = report[1:].decode(errors="replace") or f"stage A exited with {status}"
        return 0, reason

    def _supervise(
        self, stage_b: int, pipes: _Pipes, limits: dict[str, Any], started: float
    ) -> tuple[dict[str, Any], list[bytes]]:
        readers = {
            reader.fd: reader
            for reader in (
                _CappedReader(pipes.result[0], RESULT_CAP),
                _CappedReader(pipes.stdout[0], int(limits["stdout_bytes"])),
                _CappedReader(pipes.stderr[0], int(limits["stderr_bytes"])),
            )
        }
        result, stdout, stderr = readers.values()
        pidfd = os.pidfd_open(stage_b)
        poller = select.poll()
        for fd in [*readers, pidfd]:
            poller.register(fd, select.POLLIN)
        deadline = started + float(limits["wall_seconds"])
        wall_killed = exited = False
        open_fds = set(readers)
        try:
            while open_fds or not exited:
                now = time.monotonic()
                if wall_killed and now > deadline + DRAIN_GRACE_SECONDS:
                    break  # killed long ago and a pipe is still open: stop waiting for it
                events = poller.poll(max(0.0, deadline - now) * 1000 if not wall_killed else 100)
                if not events and not wall_killed and time.monotonic() >= deadline:
                    signal.pidfd_send_signal(pidfd, signal.SIGKILL)
                    wall_killed = True
                for fd, _ in events:
                    if fd == pidfd:
                        exited = True
                        poller.unregister(pidfd)
                    elif not readers[fd].read():
                        poller.unregister(fd)
                        open_fds.discard(fd)
        finally:
            os.close(pidfd)
        _, status, usage = os.wait4(stage_b, 0)
        duration_ms = (time.monotonic() - started) * 1000
        reply = {
            "status": "finished",
            "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "wall_killed": wall_killed,
            "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "duration_ms": duration_ms,
            "result_overflow": result.overflow,
            "stdout_truncated": stdout.overflow,
            "stderr_truncated": stderr.overflow,
            "oom_killed": False,
        }
        if reply["exit_code"] == SETUP_FAILED:
            return {"status": "setup_failed", "reason": stderr.data().decode(errors="replace")}, []
        return reply, [result.data(), stdout.data(), stderr.data()]

    # ----- stage A: still trusted, builds the per-run namespaces --------------------------

    def _stage_a(self, pipes: _Pipes, code: str, calls_frame: bytes, limits: dict) -> None:
        report = pipes.report[1]
        try:
            os.setsid()
            sc.unshare(sc.CLONE_NEWNS | sc.CLONE_NEWIPC | sc.CLONE_NEWUTS | sc.CLONE_NEWPID)
            options = f"size={TMPFS_BYTES},nr_inodes={TMPFS_INODES},mode=0700"
            options += f",uid={self.uid},gid={self.gid}"
            sc.mount("tmpfs", "/tmp", "tmpfs", sc.MS_NOSUID | sc.MS_NODEV, options)
            rootfs.rebind_python_under_tmp()
            if self.cgroups is not None:
                self.cgroups.join()
            stage_b = os.fork()
            if stage_b == 0:
                self._stage_b(pipes, code, calls_frame, limits)
            os.write(report, b"P" + struct.pack(">Q", stage_b))
            os._exit(0)
        except BaseException as exc:
            try:
                os.write(report, b"E" + f"{type(exc).__name__}: {exc}".encode()[:4000])
            finally:
                os._exit(SETUP_FAILED)

    # ----- stage B: PID 1 of the run's namespace, confines itself, then runs the code -----

    def _stage_b(self, pipes: _Pipes, code: str, calls_frame: bytes, limits: dict) -> None:
        try:
            self._confine(pipes, limits)
        except BaseException as exc:
            try:
                os.write(STDERR_FD, f"sandbox setup failed: {type(exc).__name__}: {exc}".encode())
            finally:
                os._exit(SETUP_FAILED)
        try:
            child.install_cpu_limit_handler()
            child.reseed()
            child.run_submission(code, calls_frame, RESULT_FD)
        except BaseException:
            # Only reachable through a runner bug (learner exceptions are caught inside):
            # say what happened on the child's stderr; the run reports "crashed".
            with contextlib.suppress(BaseException):
                os.write(STDERR_FD, traceback.format_exc().encode()[-4000:])
        finally:
            os._exit(1)

    def _confine(self, pipes: _Pipes, limits: dict) -> None:
        # Park the pipe ends high first so the dup2 calls below cannot clobber each other.
        result = fcntl.fcntl(pipes.result[1], fcntl.F_DUPFD, 100)
        out = fcntl.fcntl(pipes.stdout[1], fcntl.F_DUPFD, 100)
        err = fcntl.fcntl(pipes.stderr[1], fcntl.F_DUPFD, 100)
        null = os.open("/dev/null", os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out, STDOUT_FD)
        os.dup2(err, STDERR_FD)
        os.dup2(result, RESULT_FD)
        sc.close_fds_from(RESULT_FD + 1)
        self._set_rlimits(limits)
        if self.drop_uid:
            os.setgroups([])
            os.setresgid(self.gid, self.gid, self.gid)
            os.setresuid(self.uid, self.uid, self.uid)
            if os.getuid() != self.uid or os.geteuid() != self.uid:
                raise RuntimeError("the uid drop did not take effect")
        else:
            sc.drop_capabilities()
        sc.prctl(sc.PR_SET_NO_NEW_PRIVS, 1)
        sc.install_seccomp(self.seccomp_program)
        os.chdir("/tmp")
        self._rebind_std_streams()

    def _set_rlimits(self, limits: dict) -> None:
        cpu = math.ceil(float(limits["cpu_seconds"]))
        memory = int(limits["memory_mb"]) * 1024 * 1024
        address_space = self.base_vm + memory + 64 * 1024 * 1024
        for limit, soft, hard in (
            (resource.RLIMIT_CPU, cpu, cpu + 1),
            (resource.RLIMIT_AS, address_space, address_space),
            (resource.RLIMIT_FSIZE, FILE_SIZE_LIMIT, FILE_SIZE_LIMIT),
            (resource.RLIMIT_NOFILE, OPEN_FILES, OPEN_FILES),
            (resource.RLIMIT_NPROC, PROCESSES, PROCESSES),
            (resource.RLIMIT_CORE, 0, 0),
            (resource.RLIMIT_STACK, STACK_BYTES, STACK_BYTES),
            (resource.RLIMIT_MEMLOCK, 0, 0),
            (resource.RLIMIT_MSGQUEUE, 0, 0),
        ):
            resource.setrlimit(limit, (soft, hard))

    @staticmethod
    def _rebind_std_streams() -> None:
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        for name, fd in (("stdout", STDOUT_FD), ("stderr", STDERR_FD)):
            stream = io.TextIOWrapper(
                io.FileIO(fd, "w", closefd=False), encoding="utf-8", errors="backslashreplace"
            )
            setattr(sys, name, stream)
            setattr(sys, f"__{name}__", stream)
