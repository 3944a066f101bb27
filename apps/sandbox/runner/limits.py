"""Resource limits for one sandboxed run, and every cap the runner enforces, defined once.

Stdlib only: the trusted pool, the zygote and the run all read their numbers from here, so a
cap cannot drift between the side that enforces it and the side that stays under it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

MIB = 1024 * 1024

# ----- what a caller may ask for (Limits.clamped brings requests within these) ------------
MAX_CPU_SECONDS = 30.0
MAX_WALL_SECONDS = 60.0
MAX_MEMORY_MB = 2048
MAX_OUTPUT_BYTES = 1 * MIB
MIN_SECONDS = 0.1
MIN_MEMORY_MB = 64

# ----- the request (trusted -> run): code and inputs ---------------------------------------
MAX_CODE_BYTES = 1 * MIB
MAX_REQUEST_BYTES = 256 * MIB

# ----- the result (run -> trusted): checked before the trusted side allocates anything -----
RESULT_BYTES = 32 * MIB  # the whole frame, read from the pipe with this cap
RESULT_HEADER_BYTES = 256 * 1024  # the JSON tree (arrays travel as blobs); parsed only under this
RESULT_BLOBS = 4096  # arrays in one result, each used at most once
NPY_HEADER_BYTES = 4096  # one .npy header, parsed once
MAX_DEPTH = 16  # nesting of one returned value
MAX_NODES = 100_000  # parts of one frame's value tree
MAX_STRING = 8192  # characters in one string
MAX_ARRAY_BYTES = 64 * MIB  # one array, either direction
MAX_MESSAGE = 2000  # an exception message as shown to the learner
MAX_TRACEBACK = 8000  # the learner's part of a traceback
MAX_TYPE_NAME = 200  # the type name of a value that is not plain data
SETUP_REPORT_BYTES = 4096  # what a run may say about its own setup (trusted, before code)

# ----- one run's confinement -------------------------------------------------------------
CPU_QUOTA_CORES = 1  # cgroup cfs quota: one run never takes more than one core at a time
PIDS_MAX = 64  # processes and threads of one run (cgroup pids; RLIMIT_NPROC backs it)
TMPFS_BYTES = 16 * MIB
TMPFS_INODES = 1024
FILE_SIZE_LIMIT = 8 * MIB
OPEN_FILES = 64
STACK_BYTES = 16 * MIB
ADDRESS_SPACE_SLACK = 64 * MIB  # over the zygote's own size, single-process budget only

# ----- supervision -----------------------------------------------------------------------
CPU_POLL_MIN_SECONDS = 0.005  # the zygote rereads CPU usage no more often than this
OOM_POLL_SECONDS = 0.1  # ... and, with cgroups, the OOM kill count at least this often
DRAIN_GRACE_SECONDS = 2.0  # after the run ended, how long its pipes may stay open
REPLY_GRACE_SECONDS = 15.0  # past the wall limit, how long the pool waits for the zygote
STARTUP_TIMEOUT = 30.0  # for a zygote to import NumPy and isolate itself
RECYCLE_AFTER_RUNS = 500  # a zygote is replaced (and the new one self-tested) after this
CONTROL_MESSAGE_BYTES = 64 * 1024  # one pool <-> zygote control record


def _between(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


@dataclass(frozen=True)
class Limits:
    """What one submission may use. Always pass through :meth:`clamped` before enforcing."""

    cpu_seconds: float = 5.0
    wall_seconds: float = 10.0
    memory_mb: int = 512
    stdout_bytes: int = 65536
    stderr_bytes: int = 65536

    def clamped(self) -> Limits:
        """These limits brought within the hard caps (and above sane minimums)."""
        return replace(
            self,
            cpu_seconds=_between(float(self.cpu_seconds), MIN_SECONDS, MAX_CPU_SECONDS),
            wall_seconds=_between(float(self.wall_seconds), MIN_SECONDS, MAX_WALL_SECONDS),
            memory_mb=int(_between(int(self.memory_mb), MIN_MEMORY_MB, MAX_MEMORY_MB)),
            stdout_bytes=int(_between(int(self.stdout_bytes), 1, MAX_OUTPUT_BYTES)),
            stderr_bytes=int(_between(int(self.stderr_bytes), 1, MAX_OUTPUT_BYTES)),
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "cpu_seconds": self.cpu_seconds,
            "wall_seconds": self.wall_seconds,
            "memory_mb": self.memory_mb,
            "stdout_bytes": self.stdout_bytes,
            "stderr_bytes": self.stderr_bytes,
        }
