"""Per-slot cgroup v1 limits (memory + swap, pids). Stdlib only.

The zygote opens the control files once, before it pivots into the sandbox root (where no
cgroup filesystem exists), and keeps the descriptors; the pool removes the directories when
it closes.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass

CGROUP_ROOT = "/sys/fs/cgroup"
GROUP = "dlmath"
PIDS_MAX = 64


def slot_dirs(slot: int) -> tuple[str, str]:
    """The (memory, pids) cgroup directories of a slot."""
    name = f"slot-{slot}"
    return (
        os.path.join(CGROUP_ROOT, "memory", GROUP, name),
        os.path.join(CGROUP_ROOT, "pids", GROUP, name),
    )


def remove_slot(slot: int) -> None:
    """Best effort: remove the slot's (empty) cgroups, and the parents if nobody else uses them."""
    for path in slot_dirs(slot):
        for directory in (path, os.path.dirname(path)):
            with contextlib.suppress(OSError):
                os.rmdir(directory)


def _write(fd: int, text: str) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, text.encode())


def _read(fd: int) -> str:
    return os.pread(fd, 4096, 0).decode()


@dataclass
class SlotCgroups:
    """Open descriptors on one slot's control files."""

    memory_limit: int
    memsw_limit: int | None
    oom_control: int
    memory_procs: int
    pids_max: int
    pids_procs: int

    @classmethod
    def open(cls, slot: int) -> SlotCgroups:
        """Create (if needed) and open the slot's cgroups. Raises OSError when unavailable."""
        memory_dir, pids_dir = slot_dirs(slot)
        os.makedirs(memory_dir, exist_ok=True)
        os.makedirs(pids_dir, exist_ok=True)

        def control(directory: str, name: str) -> int:
            return os.open(os.path.join(directory, name), os.O_RDWR | os.O_CLOEXEC)

        memsw_path = os.path.join(memory_dir, "memory.memsw.limit_in_bytes")
        groups = cls(
            memory_limit=control(memory_dir, "memory.limit_in_bytes"),
            memsw_limit=control(memory_dir, "memory.memsw.limit_in_bytes")
            if os.path.exists(memsw_path)
            else None,
            oom_control=control(memory_dir, "memory.oom_control"),
            memory_procs=control(memory_dir, "cgroup.procs"),
            pids_max=control(pids_dir, "pids.max"),
            pids_procs=control(pids_dir, "cgroup.procs"),
        )
        _write(groups.pids_max, str(PIDS_MAX))
        return groups

    def set_memory(self, megabytes: int) -> None:
        limit = str(megabytes * 1024 * 1024)
        # memsw must stay >= the memory limit at every step, so open it up first.
        if self.memsw_limit is not None:
            _write(self.memsw_limit, "-1")
        _write(self.memory_limit, limit)
        if self.memsw_limit is not None:
            _write(self.memsw_limit, limit)

    def oom_kills(self) -> int:
        for line in _read(self.oom_control).splitlines():
            name, _, value = line.partition(" ")
            if name == "oom_kill":
                return int(value)
        return 0

    def join(self) -> None:
        """Move the calling process into both cgroups (its children follow)."""
        _write(self.memory_procs, "0")
        _write(self.pids_procs, "0")
