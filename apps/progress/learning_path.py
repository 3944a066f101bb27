"""Reads of a learner's path: the course in teaching order, each step done or not.

A lesson is done once read, an exercise once passed. "Next up" is the first step not done,
in teaching order: each lesson, then the exercises that practise it, module after module.
Built from the standings the pages already hold, so it costs no query of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from apps.curriculum.selectors import Step, module_steps
from apps.progress.selectors import ExerciseStanding, LessonStanding, ModuleStanding


@dataclass(frozen=True)
class PathStep:
    step: Step
    standing: LessonStanding | ExerciseStanding

    @property
    def done(self) -> bool:
        if isinstance(self.standing, LessonStanding):
            return self.standing.read
        return self.standing.passed

    @property
    def started(self) -> bool:
        """An exercise tried but not passed (lessons are read or not)."""
        return isinstance(self.standing, ExerciseStanding) and self.standing.attempts > 0


def module_path(standing: ModuleStanding) -> list[PathStep]:
    """One module's steps in teaching order, each with the learner's standing on it."""
    lessons = {s.lesson.pk: s for s in standing.lessons}
    exercises = {s.exercise.pk: s for s in standing.exercises}
    return [
        PathStep(
            step,
            lessons[step.item.pk] if step.kind == "lesson" else exercises[step.item.pk],
        )
        for step in module_steps(standing.module)
    ]


def next_up(standings: Iterable[ModuleStanding]) -> PathStep | None:
    """The first step not done, in teaching order over ``standings``; None when all are."""
    for standing in standings:
        for path_step in module_path(standing):
            if not path_step.done:
                return path_step
    return None
