"""One CPU and one memory budget per run, shared by all its processes and threads (cgroups).

Each slot owns one cgroup per controller; a run's stage A joins them and everything the run
starts follows. The zygote opens the control files once, before it pivots into the sandbox
root (where no cgroup filesystem exists), keeps the descriptors, and per run only resets what
it must (the memory limit when it changes, the peak) and takes a snapshot of the counters it
reports as differences: CPU time, OOM kills. No mkdir/rmdir per run.

- cpu: a CFS quota of ``CPU_QUOTA_CORES`` cores, so one run never takes every core;
- cpuacct (v2: cpu.stat): the run's CPU time, which the zygote polls and compares with the
  budget, killing the run's PID namespace when it is spent;
- memory (+ memsw, so no swap): the limit; the kernel's OOM kill count is the only evidence
  of a ``memory`` verdict;
- pids: processes and threads.

cgroup v1 (as on these machines) or v2 (a unified hierarchy with cpu, memory and pids). When
neither is usable (no root), :func:`open_slot` raises OSError and the run falls back to the
single-process budget (see supervisor.py). Stdlib only.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass, field

from .limits import CPU_QUOTA_CORES, MIB, PIDS_MAX

CGROUP_ROOT = "/sys/fs/cgroup"
GROUP = "dlmath"
CFS_PERIOD_US = 100_000
V1_CONTROLLERS = ("memory", "pids", "cpu", "cpuacct")
V2_CONTROLLERS = ("cpu", "memory", "pids")


def _slot_name(slot: int) -> str:
    return f"slot-{slot}"


def slot_dirs(slot: int) -> list[str]:
    """Every cgroup directory a slot may own (v1 controllers, and the v2 directory)."""
    name = _slot_name(slot)
    dirs = [os.path.join(CGROUP_ROOT, controller, GROUP, name) for controller in V1_CONTROLLERS]
    return [*dirs, os.path.join(CGROUP_ROOT, GROUP, name)]


def remove_slot(slot: int) -> None:
    """Best effort: remove the slot's (empty) cgroups, and the parents if nobody else uses them."""
    for path in slot_dirs(slot):
        for directory in (path, os.path.dirname(path)):
            with contextlib.suppress(OSError):
                os.rmdir(directory)


def slot_pids(slot: int) -> set[int]:
    """The processes in the slot's cgroups (every process of its run, never its zygote)."""
    pids: set[int] = set()
    for path in slot_dirs(slot):
        procs = os.path.join(path, "cgroup.procs")
        with contextlib.suppress(OSError, ValueError), open(procs) as listing:
            pids.update(int(line) for line in listing if line.strip())
    return pids


def kill_slot(slot: int, attempts: int = 50) -> bool:
    """SIGKILL every process in the slot's cgroups; True once none is left.

    For a zygote that was killed mid-run: its run (PID 1 of a namespace of its own, so
    killing it ends every process of the run) would otherwise go on with nobody holding it
    to its wall-clock limit. Processes that exit linger in cgroup.procs until reaped by init:
    look again a few times.
    """
    for _ in range(attempts):
        pids = slot_pids(slot)
        if not pids:
            return True
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)
    return not slot_pids(slot)


def _open(directory: str, name: str) -> int:
    return os.open(os.path.join(directory, name), os.O_RDWR | os.O_CLOEXEC)


def _open_dir(directory: str) -> int:
    return os.open(directory, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)


def _write(fd: int, text: str) -> None:
    os.pwrite(fd, text.encode(), 0)


def _set(directory: str, name: str, text: str) -> None:
    """Write a setting once (the descriptor is not kept)."""
    fd = _open(directory, name)
    try:
        _write(fd, text)
    finally:
        os.close(fd)


def _read(fd: int) -> str:
    return os.pread(fd, 4096, 0).decode()


def _field(fd: int, name: str) -> int:
    for line in _read(fd).splitlines():
        key, _, value = line.partition(" ")
        if key == name:
            return int(value)
    return 0


@dataclass
class SlotCgroups:
    """Open descriptors on one slot's control files, and the counters at the run's start."""

    version: int
    procs: list[int]  # cgroup.procs of each hierarchy (one on v2)
    dirs: list[int]  # each hierarchy's directory (O_PATH), in the same order
    memory_limit: int
    memsw_limit: int | None  # v1 memory.memsw.limit_in_bytes / v2 memory.swap.max
    oom_events: int  # v1 memory.oom_control / v2 memory.events
    memory_peak: int | None  # v1 memory.max_usage_in_bytes / v2 memory.peak
    cpu_usage: int  # v1 cpuacct.usage (ns) / v2 cpu.stat (usage_usec)
    current_memory_mb: int = 0
    baseline: tuple[int, int] = field(default=(0, 0))  # (cpu ns, oom kills) at prepare()

    # ----- per run, in the zygote ---------------------------------------------------------

    def prepare(self, memory_mb: int) -> None:
        """Before a run: its memory limit, a fresh peak, and the counters to subtract."""
        if memory_mb != self.current_memory_mb:
            self._set_memory(memory_mb)
        if self.memory_peak is not None:
            with contextlib.suppress(OSError):  # v2 kernels before 6.12 cannot reset it
                _write(self.memory_peak, "0")
        self.baseline = (self._cpu_ns(), self._oom_kills())

    def _set_memory(self, megabytes: int) -> None:
        limit = str(megabytes * MIB)
        if self.version == 1:
            # memsw must stay >= the memory limit at every step, so open it up first.
            if self.memsw_limit is not None:
                _write(self.memsw_limit, "-1")
            _write(self.memory_limit, limit)
            if self.memsw_limit is not None:
                _write(self.memsw_limit, limit)
        else:
            _write(self.memory_limit, limit)
            if self.memsw_limit is not None:
                _write(self.memsw_limit, "0")
        self.current_memory_mb = megabytes

    def _cpu_ns(self) -> int:
        if self.version == 1:
            return int(_read(self.cpu_usage))
        return _field(self.cpu_usage, "usage_usec") * 1000

    def _oom_kills(self) -> int:
        return _field(self.oom_events, "oom_kill")

    def cpu_seconds(self) -> float:
        """CPU time of every process and thread of the run since :meth:`prepare`."""
        return (self._cpu_ns() - self.baseline[0]) / 1e9

    def oom_kills(self) -> int:
        """Processes of the run the kernel killed for memory since :meth:`prepare`."""
        return self._oom_kills() - self.baseline[1]

    def memory_peak_bytes(self) -> int | None:
        if self.memory_peak is None:
            return None
        with contextlib.suppress(OSError, ValueError):
            return int(_read(self.memory_peak))
        return None

    # ----- in stage A ---------------------------------------------------------------------

    def join(self) -> None:
        """Move the calling process into every hierarchy (its children follow)."""
        for fd in self.procs:
            _write(fd, "0")

    def holds_caller(self) -> bool:
        """Whether the calling process is in every hierarchy still, read afresh.

        A process that joined ahead of its run (a spare, see confine.spare) may have been
        moved out since (by an administrator, a service manager, a container runtime):
        its run would then have no memory, CPU or process budget. Each file is opened anew:
        a cgroup v1 ``cgroup.procs`` serves a kept list to a descriptor already read. Pids
        are as the caller's PID namespace sees them."""
        me = str(os.getpid())
        for directory in self.dirs:
            fd = os.open("cgroup.procs", os.O_RDONLY | os.O_CLOEXEC, dir_fd=directory)
            try:
                listed = os.read(fd, 1 << 16).decode().split()
            finally:
                os.close(fd)
            if me not in listed:
                return False
        return True

    def descriptors(self) -> set[int]:
        """The descriptors a run's process needs before it is confined (join, holds_caller)."""
        return {*self.procs, *self.dirs}


def _open_v1(slot: int) -> SlotCgroups:
    dirs = {}
    for controller in V1_CONTROLLERS:
        directory = os.path.join(CGROUP_ROOT, controller, GROUP, _slot_name(slot))
        os.makedirs(directory, exist_ok=True)
        dirs[controller] = directory
    memory, cpu = dirs["memory"], dirs["cpu"]
    # cpu and cpuacct may be one hierarchy (cpu,cpuacct): join each hierarchy once.
    hierarchies = sorted({os.path.realpath(directory) for directory in dirs.values()})
    memsw = os.path.join(memory, "memory.memsw.limit_in_bytes")
    groups = SlotCgroups(
        version=1,
        procs=[_open(directory, "cgroup.procs") for directory in hierarchies],
        dirs=[_open_dir(directory) for directory in hierarchies],
        memory_limit=_open(memory, "memory.limit_in_bytes"),
        memsw_limit=_open(memory, "memory.memsw.limit_in_bytes") if os.path.exists(memsw) else None,
        oom_events=_open(memory, "memory.oom_control"),
        memory_peak=_open(memory, "memory.max_usage_in_bytes"),
        cpu_usage=_open(dirs["cpuacct"], "cpuacct.usage"),
    )
    _set(dirs["pids"], "pids.max", str(PIDS_MAX))
    # Every slot shares the parent's weight against the rest of the machine: give it a
    # process's weight per core, so a run is not starved more than a plain process would be.
    _set(os.path.dirname(cpu), "cpu.shares", str(1024 * (os.cpu_count() or 1)))
    _set(cpu, "cpu.cfs_period_us", str(CFS_PERIOD_US))
    _set(cpu, "cpu.cfs_quota_us", str(CFS_PERIOD_US * CPU_QUOTA_CORES))
    return groups


def _v2_available() -> bool:
    try:
        with open(os.path.join(CGROUP_ROOT, "cgroup.controllers")) as controllers:
            return set(V2_CONTROLLERS) <= set(controllers.read().split())
    except OSError:
        return False


def _open_v2(slot: int) -> SlotCgroups:
    parent = os.path.join(CGROUP_ROOT, GROUP)
    enable = " ".join(f"+{controller}" for controller in V2_CONTROLLERS)
    os.makedirs(parent, exist_ok=True)
    for directory in (CGROUP_ROOT, parent):
        with open(os.path.join(directory, "cgroup.subtree_control"), "w") as control:
            control.write(enable)
    _set(parent, "cpu.weight", str(min(100 * (os.cpu_count() or 1), 10_000)))
    directory = os.path.join(parent, _slot_name(slot))
    os.makedirs(directory, exist_ok=True)
    peak = os.path.join(directory, "memory.peak")
    swap = os.path.join(directory, "memory.swap.max")
    groups = SlotCgroups(
        version=2,
        procs=[_open(directory, "cgroup.procs")],
        dirs=[_open_dir(directory)],
        memory_limit=_open(directory, "memory.max"),
        memsw_limit=_open(directory, "memory.swap.max") if os.path.exists(swap) else None,
        oom_events=_open(directory, "memory.events"),
        memory_peak=_open(directory, "memory.peak") if os.path.exists(peak) else None,
        cpu_usage=_open(directory, "cpu.stat"),
    )
    _set(directory, "pids.max", str(PIDS_MAX))
    _set(directory, "cpu.max", f"{CFS_PERIOD_US * CPU_QUOTA_CORES} {CFS_PERIOD_US}")
    return groups


def open_slot(slot: int) -> SlotCgroups:
    """Create (if needed) and open the slot's cgroups. Raises OSError when unavailable."""
    if os.path.isdir(os.path.join(CGROUP_ROOT, "memory")) and os.path.isdir(
        os.path.join(CGROUP_ROOT, "cpuacct")
    ):
        return _open_v1(slot)
    if _v2_available():
        return _open_v2(slot)
    raise OSError("no usable cgroup v1 (memory, pids, cpu, cpuacct) or v2 hierarchy")
