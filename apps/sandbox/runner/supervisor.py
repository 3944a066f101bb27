"""Per-run supervision inside the zygote: fork the run, hold its budgets, report numbers.

The zygote receives from the pool only a run's limits and the run's pipe ends (descriptors).
As root, the run's process was forked before the run came (the *spare*, see fork_spare:
straight into a fresh PID namespace, stage A and B in one process, stage A already done
while the slot was idle); the zygote passes it the pipe ends and limits over the spare's
own socket. In a user namespace it forks stage A, which forks B (see confine.py). Either
way it closes its own copies of the pipe ends at once and never reads or writes them, so
no request, result or output of any run ever exists in its memory, where a later run (a fork
of it) could find it by walking frames, scanning the heap or any other memory read.

It enforces the budgets on evidence it gathers itself, never on anything the run says:
- wall clock: its own monotonic clock from the moment it hands the run over (or forks it);
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

import contextlib
import os
import select
import signal
import socket
import struct
import time
from typing import Any

from . import confine, control
from . import syscalls as sc
from .confine import Confinement, RunFds, RunLimits
from .limits import CPU_POLL_MIN_SECONDS, CPU_QUOTA_CORES, OOM_POLL_SECONDS

# How long a spare may take to say it took its run (it is waiting for it: milliseconds).
TAKE_SECONDS = 2.0
CPUCLOCK_SCHED = 2  # the kernel's per-process CPU clock id: ((~pid) << 3) | CPUCLOCK_SCHED


def _process_cpu_seconds(pid: int) -> float:
    try:
        return time.clock_gettime(((~pid) << 3) | CPUCLOCK_SCHED)
    except OSError:
        return 0.0  # exited meanwhile: wait4's rusage has the final figure


def _taken(handover: socket.socket) -> bool:
    """Whether the spare said it took its run (confine.TAKEN), read without waiting."""
    try:
        return handover.recv(len(confine.TAKEN), socket.MSG_DONTWAIT) == confine.TAKEN
    except OSError:
        return False


def _end_spare(pid: int, channel: socket.socket) -> None:
    """Close a spare's hand-over socket, kill it and reap it (it is this process's child)."""
    channel.close()
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


class Supervisor:
    """Runs submissions for one slot, one at a time."""

    def __init__(self, confinement: Confinement) -> None:
        self.conf = confinement
        self.cgroups = confinement.cgroups
        # How fast a run can spend CPU: its cgroup quota, or every core for a lone process.
        self.cores = CPU_QUOTA_CORES if self.cgroups else len(os.sched_getaffinity(0))
        # Root mode: the next run's process, forked ahead (pid, hand-over socket).
        self.spare: tuple[int, socket.socket] | None = None

    @property
    def budget(self) -> str:
        return "cgroup" if self.cgroups else "process"

    def run(self, limits: RunLimits, fds: RunFds) -> dict[str, Any]:
        """Start the run with ``fds`` (closed here at once) and supervise it to the end."""
        if self.cgroups is not None:
            self.cgroups.prepare(limits.memory_mb)
        started = time.monotonic()
        if self.conf.pid_namespace is not None:
            try:
                run, handover = self._hand_over(limits, fds)
            finally:
                fds.close()
            with handover:
                return self._watch(run, limits, started, handover)
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

    def fork_spare(self) -> None:
        """Root mode: fork the next run's process now, between runs (confine.spare).

        It becomes PID 1 of a fresh PID namespace: unshare(CLONE_NEWPID) only moves where
        this process's *next child* goes, and only from its own namespace, so return there
        first (the previous run's namespace is left behind, empty), then unshare a fresh one.
        The zygote itself never changes namespace. The spare builds its other namespaces,
        its /tmp and its cgroup membership while the slot is idle: joining a cgroup v1 waits
        for an RCU grace period (10-11 ms measured on an idle 2-core host, against 0.06 ms
        when another join happened just before), and the fork of this process costs 1-2 ms.
        """
        if self.conf.pid_namespace is None or self.spare is not None:
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            sc.setns(self.conf.pid_namespace, sc.CLONE_NEWPID)
            sc.unshare(sc.CLONE_NEWPID)
            pid = os.fork()
            if pid == 0:
                ours.close()
                confine.spare(self.conf, theirs)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.spare = (pid, ours)

    def discard_spare(self) -> None:
        """End the waiting spare and reap it (the zygote is exiting): none is left behind
        for whoever adopts orphans to reap."""
        if self.spare is not None:
            _end_spare(*self.spare)
            self.spare = None

    def _hand_over(self, limits: RunLimits, fds: RunFds) -> tuple[int, socket.socket]:
        """Pass the run's pipe ends and limits to the waiting spare (forked now if there is
        none, or again if it is gone); returns its pid and hand-over socket."""
        for _attempt in range(2):
            self.fork_spare()
            assert self.spare is not None
            pid, channel = self.spare
            self.spare = None
            try:
                control.send(channel, limits.as_message(), fds.ends())
                return pid, channel
            except (OSError, control.ControlError):
                # It died before its run (killed from outside): reap it, fork another.
                _end_spare(pid, channel)
        raise RuntimeError("no spare process took the run")

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

    def _watch(
        self,
        stage_b: int,
        limits: RunLimits,
        started: float,
        handover: socket.socket | None = None,
    ) -> dict[str, Any]:
        """Hold the run to its budgets until it ends; its report.

        ``handover``: a spare's socket, watched until the spare says it took the run. One
        that has not within TAKE_SECONDS (stopped, or killed as it was handed over) is
        killed, and the run, which never started, is reported ``lost`` (the pool runs it
        again on a fresh zygote) instead of being held for its whole wall clock.
        """
        pidfd = os.pidfd_open(stage_b)
        deadline = started + limits.wall_seconds
        take_by = started + TAKE_SECONDS
        try:
            while not (killed_for := self._verdict_so_far(stage_b, limits, deadline)):
                wait = self._next_look(stage_b, limits, deadline)
                watched = [pidfd]
                if handover is not None:
                    watched.append(handover.fileno())
                    wait = min(wait, take_by - time.monotonic())
                ready = select.select(watched, [], [], max(wait, 0.0))[0]
                if pidfd in ready:
                    break
                if handover is not None:
                    said = handover.fileno() in ready
                    if said and _taken(handover):
                        handover = None  # from here on, only the run's own budgets
                        continue
                    if said or time.monotonic() >= take_by:
                        break  # said something else, closed it (died), or took too long
            # Not taken by now: whatever stopped the watch, no learner code has run.
            lost = handover is not None and not _taken(handover)
            if killed_for or lost:
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        finally:
            os.close(pidfd)
        # PID 1 of the namespace: when it is reaped, every process of the run is gone.
        _, status, usage = os.wait4(stage_b, 0)
        if lost:
            return {"status": "lost", "budget": self.budget}
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
