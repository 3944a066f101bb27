"""The grading library: the check helpers exercise authors write checks.py against, the figure
helpers, the result types and the engine that applies them. No Django imports (like the
runner): the Django side hands it an exercise spec and a runner, and stores what it returns.

checks.py files import from here only:
``from apps.sandbox.grading import Call, CheckFailed, FnSpec, Grader, Mistake, plots``.
"""

from apps.sandbox.grading.grader import (
    Call,
    CheckFailed,
    FnSpec,
    Grader,
    Outcome,
    conditioned,
    tolerance,
)
from apps.sandbox.grading.mistakes import Mistake, changes_argument

__all__ = [
    "Call",
    "CheckFailed",
    "FnSpec",
    "Grader",
    "Mistake",
    "Outcome",
    "changes_argument",
    "conditioned",
    "tolerance",
]
