"""The grading library: the check helpers exercise authors write checks.py against, the figure
helpers, the result types and the engine that applies them. No Django imports (like the
runner): the Django side hands it an exercise spec and a runner, and stores what it returns.

checks.py files import from here only:
``from apps.sandbox.grading import Call, CheckFailed, FnSpec, Grader, Mistake, plots``, and
``PlainFigure`` and ``subplots`` (plain.py) to draw a figure of their own without Plotly.
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
from apps.sandbox.grading.plain import PlainFigure, subplots

__all__ = [
    "Call",
    "CheckFailed",
    "FnSpec",
    "Grader",
    "Mistake",
    "Outcome",
    "PlainFigure",
    "changes_argument",
    "conditioned",
    "subplots",
    "tolerance",
]
