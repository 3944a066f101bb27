"""The trusted side's caps, each defined once; the runner enforces its own (runner.limits).

The curriculum validates an exercise's ``limits`` against these, the services and the API
cap submissions with them, and the engine turns an exercise's limits into the runner's.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping

from apps.sandbox.runner import Limits

# A submission's source, counted in UTF-8 bytes.
MAX_CODE_BYTES = 64 * 1024
# What is kept of a run's stdout and stderr (the runner caps them at the same size).
MAX_OUTPUT_CHARS = Limits().stdout_bytes

# The limits an exercise gets unless its exercise.yaml sets them, and the most it may set:
# the runner's defaults and the runner's hard caps (what it clamps an unbounded request to).
LIMIT_NAMES = ("cpu_seconds", "wall_seconds", "memory_mb")
_DEFAULTS = Limits()
_CAPS = Limits(cpu_seconds=math.inf, wall_seconds=math.inf, memory_mb=sys.maxsize).clamped()
DEFAULT_LIMITS: dict[str, float] = {name: getattr(_DEFAULTS, name) for name in LIMIT_NAMES}
HARD_LIMITS: dict[str, float] = {name: getattr(_CAPS, name) for name in LIMIT_NAMES}


# Celery's time limits for every task that runs the sandbox (a grading, a run, a regrade
# batch), defined here once. A task runs learner code once, for at most the runner's longest
# wall clock, plus the trusted side's work around it (cases, the reference, checks, figures):
# the soft limit leaves that room; the hard one kills a task that ignored the soft one.
TRUSTED_WORK_SECONDS = 15
TASK_SOFT_TIME_LIMIT = int(HARD_LIMITS["wall_seconds"]) + TRUSTED_WORK_SECONDS
TASK_TIME_LIMIT = TASK_SOFT_TIME_LIMIT + 15


def runner_limits(limits: Mapping[str, float]) -> Limits:
    """An exercise's limits (cpu_seconds, wall_seconds, memory_mb) as the runner's, clamped."""
    return Limits(
        cpu_seconds=float(limits["cpu_seconds"]),
        wall_seconds=float(limits["wall_seconds"]),
        memory_mb=int(limits["memory_mb"]),
    ).clamped()
