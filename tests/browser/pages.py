"""Every page type of the site, for the accessibility sweep (test_accessibility.py).

A page type names who opens it and how its path is found in the ``World`` the sweep builds:
a learner with some progress (a lesson read, an exercise passed, one tried with a graded
result and figures, hints revealed), an instructor with that learner in a cohort. Adding a
page to the site? Add its type here (and, if it needs data, to ``build_world``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from apps.curriculum.models import Exercise, Lesson
from apps.progress.models import Enrollment, Role
from apps.progress.services import cohort_create, hint_reveal, lesson_mark_read, profile_ensure
from apps.sandbox.services import submission_create

PASSWORD = "a11y-sweep-pass-42"

WRONG_SOFTMAX = """import numpy as np


def softmax(z):
    z = np.asarray(z, dtype=float)
    return np.exp(z) / np.exp(z).sum()
"""


@dataclass
class World:
    learner: Any
    instructor: Any
    cohort: Any
    lesson: Lesson  # one with figures
    submission_id: int


@dataclass(frozen=True)
class PageType:
    name: str
    who: str  # "anonymous", "learner" or "instructor"
    path: Callable[[World], str]
    ready: str | None = None  # a selector that is there once the page has finished drawing
    # Something to do before the check (open a <details>, show a result...)
    prepare: Callable[[Any], None] | None = None
    status: int = 200


def _open_first_details(page: Any) -> None:
    page.locator("details summary").first.click()


def _view_first_attempt(page: Any) -> None:
    page.locator("[data-submission]").first.click()
    page.wait_for_selector("#attempt-body .verdict")


def _lesson_path(world: World) -> str:
    return f"/learn/{world.lesson.module.slug}/{world.lesson.slug}/"


PAGE_TYPES: list[PageType] = [
    PageType("course map", "anonymous", lambda _: "/learn/"),
    PageType("module", "anonymous", lambda _: "/learn/probability/"),
    PageType("lesson", "anonymous", _lesson_path, ready="figure.lesson-figure .main-svg"),
    PageType("log in", "anonymous", lambda _: "/accounts/login/"),
    PageType("sign up", "anonymous", lambda _: "/accounts/signup/"),
    PageType("not found", "anonymous", lambda _: "/learn/no-such-module/", status=404),
    PageType("course map", "learner", lambda _: "/learn/"),
    PageType("module", "learner", lambda _: "/learn/probability/"),
    PageType("lesson", "learner", _lesson_path, ready="figure.lesson-figure .main-svg"),
    PageType(
        "exercise with a result",
        "learner",
        lambda _: "/exercises/softmax/",
        ready="#result .verdict",
    ),
    PageType(
        "exercise, new", "learner", lambda _: "/exercises/power-iteration/", ready=".cm-editor"
    ),
    PageType("progress", "learner", lambda _: "/progress/", prepare=_open_first_details),
    PageType("join a cohort", "learner", lambda _: "/cohorts/join/"),
    PageType("dashboard", "instructor", lambda _: "/dashboard/"),
    PageType(
        "dashboard cohort",
        "instructor",
        lambda w: f"/dashboard/{w.cohort.pk}/",
        ready="#heatmap table",
    ),
    PageType(
        "dashboard learner",
        "instructor",
        lambda w: f"/dashboard/{w.cohort.pk}/learners/{w.learner.pk}/",
        prepare=_view_first_attempt,
    ),
]


def build_world() -> World:
    users = get_user_model().objects
    learner = users.create_user(username="ada", password=PASSWORD)
    profile_ensure(user=learner, role=Role.LEARNER)
    instructor = users.create_user(username="teacher", password=PASSWORD)
    profile_ensure(user=instructor, role=Role.INSTRUCTOR)
    cohort = cohort_create(name="Autumn cohort", instructor=instructor)
    Enrollment.objects.create(cohort=cohort, user=learner)
    lesson = next(
        lesson
        for lesson in Lesson.objects.filter(retired=False, module__slug="probability")
        if lesson.figures
    )
    lesson_mark_read(user=learner, lesson=lesson)
    softmax = Exercise.objects.get(slug="softmax")
    hint_reveal(user=learner, exercise=softmax)
    submission = submission_create(user=learner, exercise=softmax, code=WRONG_SOFTMAX)
    # A passed exercise, so the "Passed" badge is on the module and progress pages.
    entropy = Exercise.objects.get(slug="entropy")
    solution = Path(settings.CURRICULUM_DIR) / "probability" / "exercises" / "entropy"
    submission_create(user=learner, exercise=entropy, code=(solution / "solution.py").read_text())
    return World(
        learner=learner,
        instructor=instructor,
        cohort=cohort,
        lesson=lesson,
        submission_id=submission.pk,
    )
