"""Isolated execution of learner code (no Django here: this package must never hold secrets).

from apps.sandbox.runner import Limits, ZygotePool, default_pool
result = default_pool().run(code, [{"key": "k", "func": "softmax", "args": [z]}])
"""

from .limits import Limits
from .pool import ZygotePool, default_pool
from .results import CallOutcome, LearnerError, RunResult, SandboxUnavailable

__all__ = [
    "CallOutcome",
    "LearnerError",
    "Limits",
    "RunResult",
    "SandboxUnavailable",
    "ZygotePool",
    "default_pool",
]
