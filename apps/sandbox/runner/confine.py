"""Stages A and B of one run: the confinement built between the zygote's fork and learner code.

Stage A (forked from the zygote, still trusted) starts a session, unshares mount, IPC and UTS
namespaces (the UTS namespace is a copy of the zygote's, whose hostname is "sandbox"), mounts
a private /tmp and joins the slot's cgroups. The run must be PID 1 of a PID namespace of its
own, so killing it kills everything it started; how it gets there depends on the mode:
- as root, the zygote itself unshares a fresh PID namespace for its next child just before
  the fork (returning to its own first, see Supervisor.fork_spare), so the forked process is
  already PID 1 and goes on as stage B in the same process (``spare``): one fork per run,
  made ahead of the run's request (after the previous run, while the slot is idle) so that
  the fork, the namespaces and the cgroup join are not on the run's path. The process waits
  with stage A done, holding no descriptor but its hand-over socket and its slot's cgroup
  membership files, until the zygote passes it the run's pipe ends and limits;
- in a user namespace the zygote may not return to the host's PID namespace, so stage A
  unshares the PID namespace too and forks B, telling the zygote B's pid (``stage_a``).

Stage B is PID 1 of the new PID namespace, so killing it kills everything the run started.
It puts its pipe ends on fixed descriptors, closes every other one, sets rlimits, drops to the
slot uid (or, in a user namespace, every capability), sets no_new_privs and loads the seccomp
allow-list. Then, and only then, it tells the pool "ready" over the setup pipe and closes that
pipe: from here on every byte, exit code and signal is the learner's, and nothing the learner
does can claim that setup failed. B reads its request (code and inputs) from its own pipe
after that point, so the zygote never sees it. A failure before "ready" is reported on the
setup pipe as "F" and a reason, which the pool treats as a broken sandbox.

Loaded in the zygote.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import math
import os
import resource
import select
import socket
import struct
import sys
from dataclasses import dataclass
from typing import NoReturn

from . import child, control, limits, rootfs
from . import syscalls as sc
from .cgroups import SlotCgroups
from .exchange import RUN_FD_NAMES, SETUP_FAILED, SETUP_READY

# What a spare says on its hand-over socket once it holds its run, before any learner code.
TAKEN = b"T"
# Where stage B puts the run's pipe ends (received in exchange.RUN_FD_NAMES order).
STDOUT_FD, STDERR_FD, RESULT_FD, REQUEST_FD, SETUP_FD = 1, 2, 3, 4, 5
RUN_ENV = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "HOME": "/tmp",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


@dataclass(frozen=True)
class RunFds:
    """The run's pipe ends, received from the pool."""

    request: int
    result: int
    stdout: int
    stderr: int
    setup: int

    def ends(self) -> list[int]:
        """In exchange.RUN_FD_NAMES order."""
        return [self.request, self.result, self.stdout, self.stderr, self.setup]

    def close(self) -> None:
        for fd in self.ends():
            with contextlib.suppress(OSError):
                os.close(fd)


@dataclass(frozen=True)
class RunLimits:
    """The limits the zygote enforces for one run (numbers from the pool, validated)."""

    cpu_seconds: float
    wall_seconds: float
    memory_mb: int

    def as_message(self) -> dict[str, float | int]:
        return {
            "cpu_seconds": self.cpu_seconds,
            "wall_seconds": self.wall_seconds,
            "memory_mb": self.memory_mb,
        }

    @classmethod
    def from_message(cls, message: dict[str, object]) -> RunLimits:
        """Raises ValueError unless every limit is a number within the hard caps."""
        values = [message.get(name) for name in ("cpu_seconds", "wall_seconds", "memory_mb")]
        numbers = [
            float(value)
            for value in values
            if isinstance(value, int | float) and not isinstance(value, bool)
        ]
        if len(numbers) != len(values):
            raise ValueError("limits must be numbers")
        cpu, wall, memory = numbers
        if not (
            limits.MIN_SECONDS <= cpu <= limits.MAX_CPU_SECONDS
            and limits.MIN_SECONDS <= wall <= limits.MAX_WALL_SECONDS
            and limits.MIN_MEMORY_MB <= memory <= limits.MAX_MEMORY_MB
        ):
            raise ValueError("limits out of range")
        return cls(cpu, wall, int(memory))


@dataclass(frozen=True)
class Confinement:
    """What every run of one zygote gets. Without cgroups, ``base_vm`` (the zygote's own
    address space) plus the memory limit becomes the run's RLIMIT_AS. ``pid_namespace``
    (root mode only) is a descriptor on the zygote's own PID namespace, which it returns to
    before unsharing each run's (see the module docstring); None: stage A forks B."""

    uid: int
    gid: int
    drop_uid: bool
    seccomp_program: sc.SeccompProgram
    cgroups: SlotCgroups | None
    base_vm: int
    pid_namespace: int | None = None


def _report_failure(fd: int, exc: BaseException) -> NoReturn:
    try:
        reason = f"{type(exc).__name__}: {exc}".encode()
        os.write(fd, SETUP_FAILED + reason[: limits.SETUP_REPORT_BYTES - 1])
    finally:
        os._exit(1)


def _enter_run_namespaces(conf: Confinement, new_pid: int) -> None:
    """Stage A's work: a session, the run's namespaces, its /tmp and its cgroups."""
    os.setsid()
    sc.unshare(sc.CLONE_NEWNS | sc.CLONE_NEWIPC | sc.CLONE_NEWUTS | new_pid)
    options = f"size={limits.TMPFS_BYTES},nr_inodes={limits.TMPFS_INODES},mode=0700"
    options += f",uid={conf.uid},gid={conf.gid}"
    sc.mount("tmpfs", "/tmp", "tmpfs", sc.MS_NOSUID | sc.MS_NODEV, options)
    rootfs.rebind_python_under_tmp()
    if conf.cgroups is not None:
        conf.cgroups.join()


def stage_a(conf: Confinement, fds: RunFds, pid_pipe: int, run: RunLimits) -> NoReturn:
    """User-namespace mode: build the run's namespaces and fork B; never returns."""
    try:
        _enter_run_namespaces(conf, sc.CLONE_NEWPID)
        stage_b_pid = os.fork()
        if stage_b_pid == 0:
            os.close(pid_pipe)
            stage_b(conf, fds, run)
        os.write(pid_pipe, struct.pack(">Q", stage_b_pid))
        os._exit(0)
    except BaseException as exc:
        _report_failure(fds.setup, exc)


def spare(conf: Confinement, handover: socket.socket) -> NoReturn:
    """Root mode, forked ahead of its run (see Supervisor.fork_spare) straight into the run's
    fresh PID namespace: build stage A's other namespaces now, keep no descriptor but
    ``handover`` and the slot's cgroup files, wait there for the run's pipe ends and limits,
    say TAKEN, then go on as stage B; never returns. Before its run it checks
    that it is still in the slot's cgroups (it joined them ahead of time, and may have been
    moved out since) and joins them again if not. A failure of stage A is reported on the
    run's setup pipe once it has one; the zygote closing ``handover`` (it exited, or was
    killed) ends this process."""
    failure: BaseException | None = None
    try:
        if os.getpid() != 1:
            raise RuntimeError("the run is not PID 1 of its own PID namespace")
        _enter_run_namespaces(conf, 0)
        if not select.select([handover], [], [], 0)[0]:
            child.rehearse()  # its page faults taken now, unless its run is already here
    except BaseException as exc:
        failure = exc
    try:
        keep = {handover.fileno(), *(conf.cgroups.descriptors() if conf.cgroups else ())}
        _close_all_but(keep)  # the zygote's control channel and anything else it holds
        message, received = control.receive(handover, max_fds=len(RUN_FD_NAMES))
        handover.send(TAKEN)  # the zygote's evidence that the run was taken (see Supervisor)
        handover.close()
        if len(received) != len(RUN_FD_NAMES):
            os._exit(1)
        fds = RunFds(*received)
        run = RunLimits.from_message(message)
    except BaseException:
        os._exit(1)  # the zygote went away, or sent something else than a run
    if failure is None:
        try:
            _back_in_slot_cgroups(conf)
        except BaseException as exc:
            failure = exc
    if failure is not None:
        _report_failure(fds.setup, failure)
    stage_b(conf, fds, run)


def _back_in_slot_cgroups(conf: Confinement) -> None:
    """A spare joined its slot's cgroups when it was forked; if it was moved out since, it
    joins them again (or fails: a run is never left without its budgets)."""
    if conf.cgroups is not None and not conf.cgroups.holds_caller():
        conf.cgroups.join()
        if not conf.cgroups.holds_caller():
            raise RuntimeError("the run's process is not in its slot's cgroups")


def _close_all_but(keep: set[int]) -> None:
    """Close every descriptor from 3 up except those in ``keep``."""
    low = 3
    for fd in sorted(fd for fd in keep if fd >= low):
        os.closerange(low, fd)
        low = fd + 1
    sc.close_fds_from(low)


def stage_b(conf: Confinement, fds: RunFds, run: RunLimits) -> NoReturn:
    """Confine this process, report "ready", then run the learner's code; never returns."""
    setup = [fds.setup]  # where the setup pipe is: moved to SETUP_FD during confinement
    try:
        _confine(conf, fds, run, setup)
    except BaseException as exc:
        _report_failure(setup[0], exc)
    try:
        os.write(SETUP_FD, SETUP_READY)
        os.close(SETUP_FD)
        child.reseed()
        child.run_submission(REQUEST_FD, RESULT_FD)
    except BaseException as exc:
        # Learner exceptions are caught inside: this is the learner closing or replacing the
        # result pipe (or a runner bug). Say what failed in one line, with no runner paths;
        # the run is reported as crashed.
        with contextlib.suppress(BaseException):
            line = f"\n[sandbox] the results could not be sent back: {type(exc).__name__}: {exc}\n"
            os.write(STDERR_FD, line.encode(errors="replace")[: limits.MAX_MESSAGE])
    finally:
        os._exit(1)


def _place_descriptors(fds: RunFds, setup: list[int]) -> None:
    # Park every end high first so the dup2 calls below cannot clobber each other.
    parked = [
        fcntl.fcntl(fd, fcntl.F_DUPFD, 100)
        for fd in (fds.stdout, fds.stderr, fds.result, fds.request, fds.setup)
    ]
    null = os.open("/dev/null", os.O_RDONLY)
    os.dup2(null, 0)
    targets = (STDOUT_FD, STDERR_FD, RESULT_FD, REQUEST_FD, SETUP_FD)
    for target, fd in zip(targets, parked, strict=True):
        os.dup2(fd, target)
    setup[0] = SETUP_FD
    sc.close_fds_from(SETUP_FD + 1)


def _confine(conf: Confinement, fds: RunFds, run: RunLimits, setup: list[int]) -> None:
    _place_descriptors(fds, setup)
    _set_rlimits(conf, run)
    if conf.drop_uid:
        os.setgroups([])
        os.setresgid(conf.gid, conf.gid, conf.gid)
        os.setresuid(conf.uid, conf.uid, conf.uid)
        if os.getuid() != conf.uid or os.geteuid() != conf.uid:
            raise RuntimeError("the uid drop did not take effect")
    else:
        sc.drop_capabilities()
    sc.prctl(sc.PR_SET_NO_NEW_PRIVS, 1)
    conf.seccomp_program.install()
    os.chdir("/tmp")
    _rebind_std_streams()
    _forget_the_command_line()


def _forget_the_command_line() -> None:
    """What the learner's module sees as its command line is the module's name, not the
    zygote's (the project path, slot, uid), and sys.path holds only the directories bound
    into the sandbox root (the standard library and site-packages)."""
    sys.argv[:] = [child.SUBMISSION_FILE]
    sys.orig_argv[:] = [child.SUBMISSION_FILE]
    bound = rootfs.bound_dirs()
    sys.path[:] = [
        entry
        for entry in sys.path
        if any(rootfs.is_under(entry, parent) for parent in bound) and os.path.exists(entry)
    ]


def _set_rlimits(conf: Confinement, run: RunLimits) -> None:
    # Per process, a backstop: the zygote stops the run at its budget (see supervisor.py).
    cpu = math.ceil(run.cpu_seconds) + 1
    settings = [
        (resource.RLIMIT_CPU, cpu),
        (resource.RLIMIT_FSIZE, limits.FILE_SIZE_LIMIT),
        (resource.RLIMIT_NOFILE, limits.OPEN_FILES),
        (resource.RLIMIT_NPROC, limits.PIDS_MAX),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_STACK, limits.STACK_BYTES),
        (resource.RLIMIT_MEMLOCK, 0),
        (resource.RLIMIT_MSGQUEUE, 0),
    ]
    if conf.cgroups is None:
        # Single-process budget (seccomp refuses fork): the address space is the memory cap.
        memory = conf.base_vm + run.memory_mb * limits.MIB + limits.ADDRESS_SPACE_SLACK
        settings.append((resource.RLIMIT_AS, memory))
    for limit, value in settings:
        resource.setrlimit(limit, (value, value))


def _rebind_std_streams() -> None:
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    for name, fd in (("stdout", STDOUT_FD), ("stderr", STDERR_FD)):
        stream = io.TextIOWrapper(
            io.FileIO(fd, "w", closefd=False), encoding="utf-8", errors="backslashreplace"
        )
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
