"""Per-run supervision inside the zygote: fork the run, hold its budgets, report numbers.

The zygote receives from the pool only a run's limits and the run's pipe ends (descriptors).
It forks the run with them (as root straight into a fresh PID namespace, so the child is
stage A and B in one process; in a user namespace stage A, which forks B: see confine.py),
closes its own copies at once and never reads or writes them, so
no request, result or output of any run ever exists in its memory, where a later run (a fork
of it) could find it by walking frames, scanning the heap or any other memory read.

It enforces the budgets on evidence it gathers itself, never on anything the run says:
- wall clock: its own monotonic clock from the fork;
- CPU: one budget for every process and thread of the run. With cgroups, the slot's cpuacct
  usage; without (the single-process budget: seccomp refuses fork), the run's own process CPU
  clock. It rereads the usage no earlier than the budget could possibly be spent (at the
  quota's rate), so a short run costs no poll at all, and kills the run's PID namespace
  within CPU_POLL_MIN_SECONDS of the budget;
- memory: the cgroup's OOM kill count (the only evidence of a ``memory`` verdict), reread
  at least every OOM_POLL_SECONDS while the run lasts: an OOM kill of any of its processes
  ends the whole run, as its one memory budget is spent.
Its report to the pool: wait status, who killed the run and why, CPU time, OOM kills, peak.

Loaded in the zygote.
"""

from __future__ import annotations

import os
import select
import signal
import struct
import time
from typing import Any

from . import confine
from . import syscalls as sc
from .confine import Confinement, RunFds, RunLimits
from .limits import CPU_POLL_MIN_SECONDS, CPU_QUOTA_CORES, OOM_POLL_SECONDS

CPUCLOCK_SCHED = 2  # the kernel's per-process CPU clock id: ((~pid) << 3) | CPUCLOCK_SCHED


def _process_cpu_seconds(pid: int) -> float:
    try:
        return time.clock_gettime(((~pid) << 3) | CPUCLOCK_SCHED)
    except OSError:
        return 0.0  # exited meanwhile: wait4's rusage has the final figure


class Supervisor:
    """Runs submissions for one slot, one at a time."""

    def __init__(self, confinement: Confinement) -> None:
        self.conf = confinement
        self.cgroups = confinement.cgroups
        # How fast a run can spend CPU: its cgroup quota, or every core for a lone process.
        self.cores = CPU_QUOTA_CORES if self.cgroups else len(os.sched_getaffinity(0))

    @property
    def budget(self) -> str:
        return "cgroup" if self.cgroups else "process"

    def run(self, limits: RunLimits, fds: RunFds) -> dict[str, Any]:
        """Fork the run with ``fds`` (closed here at once) and supervise it to the end."""
        if self.cgroups is not None:
            self.cgroups.prepare(limits.memory_mb)
        started = time.monotonic()
        if self.conf.pid_namespace is not None:
            return self._run_as_pid1(limits, fds, started)
        pid_read, pid_write = os.pipe()
        try:
            stage_a = os.fork()
            if stage_a == 0:
                os.close(pid_read)
                confine.stage_a(self.conf, fds, pid_write, limits)
        finally:
            fds.close()
            os.close(pid_write)
        try:
            stage_b = self._stage_b_pid(stage_a, pid_read)
        finally:
            os.close(pid_read)
        if stage_b is None:
            return {"status": "finished", "stage_a_failed": True, "budget": self.budget}
        return self._watch(stage_b, limits, started)

    def _run_as_pid1(self, limits: RunLimits, fds: RunFds, started: float) -> dict[str, Any]:
        """Root mode: one fork, straight into a PID namespace of the run's own.

        unshare(CLONE_NEWPID) only moves where this process's *next child* goes, and only
        from its own namespace: so return there first (the previous run's namespace is left
        behind, empty), then unshare a fresh one. The zygote itself never changes namespace.
        """
        assert self.conf.pid_namespace is not None
        try:
            sc.setns(self.conf.pid_namespace, sc.CLONE_NEWPID)
            sc.unshare(sc.CLONE_NEWPID)
            run = os.fork()
            if run == 0:
                confine.stage_ab(self.conf, fds, limits)
        finally:
            fds.close()
        return self._watch(run, limits, started)

    @staticmethod
    def _stage_b_pid(stage_a: int, pid_read: int) -> int | None:
        _, status = os.waitpid(stage_a, 0)
        data = os.read(pid_read, 8) if os.waitstatus_to_exitcode(status) == 0 else b""
        return struct.unpack(">Q", data)[0] if len(data) == 8 else None

    def _cpu_used(self, stage_b: int) -> float:
        if self.cgroups is not None:
            return self.cgroups.cpu_seconds()
        return _process_cpu_seconds(stage_b)

    def _verdict_so_far(self, stage_b: int, limits: RunLimits, deadline: float) -> str:
        """Why the run must stop now ("cpu", "wall", "memory"), or "" to let it go on."""
        if self._cpu_used(stage_b) >= limits.cpu_seconds:
            return "cpu"
        if time.monotonic() >= deadline:
            return "wall"
        if self.cgroups is not None and self.cgroups.oom_kills() > 0:
            return "memory"
        return ""

    def _next_look(self, stage_b: int, limits: RunLimits, deadline: float) -> float:
        """Seconds until the budget could first be spent (at the quota's rate)."""
        cpu_room = (limits.cpu_seconds - self._cpu_used(stage_b)) / self.cores
        wait = min(deadline - time.monotonic(), max(cpu_room, CPU_POLL_MIN_SECONDS))
        return min(wait, OOM_POLL_SECONDS) if self.cgroups is not None else wait

    def _watch(self, stage_b: int, limits: RunLimits, started: float) -> dict[str, Any]:
        pidfd = os.pidfd_open(stage_b)
        deadline = started + limits.wall_seconds
        try:
            while not (killed_for := self._verdict_so_far(stage_b, limits, deadline)):
                wait = self._next_look(stage_b, limits, deadline)
                if select.select([pidfd], [], [], max(wait, 0.0))[0]:
                    break
            if killed_for:
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        finally:
            os.close(pidfd)
        # PID 1 of the namespace: when it is reaped, every process of the run is gone.
        _, status, usage = os.wait4(stage_b, 0)
        return self._report(status, usage, killed_for, started)

    def _report(self, status: int, usage: Any, killed_for: str, started: float) -> dict[str, Any]:
        report: dict[str, Any] = {
            "status": "finished",
            "budget": self.budget,
            "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "killed_for": killed_for,
            "duration_ms": (time.monotonic() - started) * 1000,
            "oom_kills": 0,
            "memory_peak_bytes": None,
        }
        if self.cgroups is not None:
            report["cpu_seconds"] = self.cgroups.cpu_seconds()
            report["oom_kills"] = self.cgroups.oom_kills()
            report["memory_peak_bytes"] = self.cgroups.memory_peak_bytes()
        else:
            # The run had no other process (fork is refused): its rusage is the whole run.
            report["cpu_seconds"] = usage.ru_utime + usage.ru_stime
        return report
