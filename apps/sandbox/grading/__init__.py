"""Grading: the check library for exercise authors and the engine that applies it."""

from apps.sandbox.grading.grader import Call, CheckFailed, FnSpec, Grader, Outcome

__all__ = ["Call", "CheckFailed", "FnSpec", "Grader", "Outcome"]
