"""Isolated execution of learner code (no Django here: this package must never hold secrets).

from apps.sandbox.runner import Limits, ZygotePool, default_pool
result = default_pool().run(code, [{"key": "k", "func": "softmax", "args": [z]}])

A pool starts a warm zygote per slot and self-tests it before use (and every replacement).
Each run is forked from the zygote, confined, and fed its request through its own pipes;
``result.status`` is "ok", "error", "timeout", "memory" or "crashed", the last three decided
only on what the supervisor measured (``result.cpu_seconds``, its clock, OOM kills).
"""

from .limits import Limits
from .pool import PendingRun, ZygotePool, default_pool
from .results import CallOutcome, LearnerError, RunResult, SandboxUnavailable

__all__ = [
    "CallOutcome",
    "LearnerError",
    "Limits",
    "PendingRun",
    "RunResult",
    "SandboxUnavailable",
    "ZygotePool",
    "default_pool",
]
