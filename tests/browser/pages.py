"""Every page type of the site, for the accessibility sweep (test_accessibility.py).

A page type names who opens it and how its path is found in the ``World`` the sweep builds:
a learner with some progress (a lesson read, an exercise passed, one tried with a graded
result and figures, hints revealed), an instructor with that learner in a cohort. Adding a
page to the site? Add its type here (and, if it needs data, to ``build_world``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from apps.curriculum.models import Exercise, Lesson
from apps.progress.deadlines import deadline_set
from apps.progress.models import Enrollment, ReviewCard, Role
from apps.progress.services import cohort_create, hint_reveal, lesson_mark_read, profile_ensure
from apps.sandbox.regrading import regrade_start
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
    regrade_id: int = 0  # a finished regrade of the cohort, waiting for a decision


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


INTERACTIVE_LESSON = "/learn/optimization/gradient-descent-and-momentum/"


def _use_the_interactive_lesson(page: Any) -> None:
    """Every widget in the state a learner leaves it: a slider moved, a try-it cell run (with
    its figure), a concept check answered wrong (the feedback showing)."""
    page.wait_for_selector('figure[data-figure="momentum"] .explorable-controls')
    page.evaluate(
        """() => { const input = document.querySelector('figure[data-figure="momentum"] input[data-param="lr"]');
            input.value = "2"; input.dispatchEvent(new Event("input")); }"""
    )
    page.click(".try-cell button[data-run]")
    page.wait_for_selector(".try-cell .run-figure .plot[data-drawn] .main-svg", timeout=60_000)
    page.fill("form#question-largest-step input[name=answer]", "12345")
    page.click("form#question-largest-step button[type=submit]")
    page.wait_for_selector('#question-largest-step [data-feedback][data-kind="warn"]')


def _run_on_my_input(page: Any) -> None:
    page.click("#try-input-run")
    page.wait_for_selector(
        "#try-input-result .run-value, #try-input-result .run-note", timeout=60_000
    )


def _run_the_scratchpad(page: Any) -> None:
    page.click(".try-cell button[data-run]")
    page.wait_for_selector(".try-cell .run-figure .plot[data-drawn] .main-svg", timeout=60_000)


PAGE_TYPES: list[PageType] = [
    PageType("course map", "anonymous", lambda _: "/learn/"),
    PageType("module", "anonymous", lambda _: "/learn/probability/"),
    PageType("lesson", "anonymous", _lesson_path, ready="figure.lesson-figure .main-svg"),
    PageType(
        "interactive lesson",
        "anonymous",
        lambda _: INTERACTIVE_LESSON,
        ready=".try-cell[data-ready] .cm-editor",
    ),
    PageType("log in", "anonymous", lambda _: "/accounts/login/"),
    PageType("sign up", "anonymous", lambda _: "/accounts/signup/"),
    PageType("not found", "anonymous", lambda _: "/learn/no-such-module/", status=404),
    PageType("API docs", "anonymous", lambda _: "/api/docs/", ready=".opblock"),
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
    PageType(
        "interactive lesson, used",
        "learner",
        lambda _: INTERACTIVE_LESSON,
        ready=".try-cell[data-ready] .cm-editor",
        prepare=_use_the_interactive_lesson,
    ),
    PageType(
        "exercise, run on my own input",
        "learner",
        lambda _: "/exercises/softmax/",
        ready="#try-input .cm-editor",
        prepare=_run_on_my_input,
    ),
    PageType(
        "scratchpad",
        "learner",
        lambda _: "/scratchpad/",
        ready=".try-cell[data-ready] .cm-editor",
        prepare=_run_the_scratchpad,
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
    # Course time (issue 20): spaced review, deadlines, regrading.
    PageType("review queue", "learner", lambda _: "/review/"),
    PageType("review", "learner", lambda _: "/review/entropy/", ready=".cm-editor"),
    PageType("deadlines", "instructor", lambda w: f"/dashboard/{w.cohort.pk}/deadlines/"),
    PageType("regrading", "instructor", lambda w: f"/dashboard/{w.cohort.pk}/regrades/"),
    PageType(
        "regrade",
        "instructor",
        lambda w: f"/dashboard/{w.cohort.pk}/regrades/{w.regrade_id}/",
        ready="#regrade-table",
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
    regrade_id = _course_time(learner, instructor, cohort, entropy)
    return World(
        learner=learner,
        instructor=instructor,
        cohort=cohort,
        lesson=lesson,
        submission_id=submission.pk,
        regrade_id=regrade_id,
    )


def _course_time(learner: Any, instructor: Any, cohort: Any, passed: Exercise) -> int:
    """The passed exercise due for review, a deadline for the cohort, and a regrade of the
    wrong softmax after its checks changed (finished: eager grading)."""
    card = ReviewCard.objects.get(user=learner, exercise=passed)
    shift = card.due - timezone.now() + timedelta(minutes=1)
    ReviewCard.objects.filter(pk=card.pk).update(
        due=card.due - shift, last_review=card.last_review - shift
    )
    deadline_set(
        cohort=cohort,
        instructor=instructor,
        due_at=timezone.now() + timedelta(days=2),
        module=passed.module,
    )
    Exercise.objects.filter(slug="softmax").update(check_version=F("check_version") + 1)
    softmax = Exercise.objects.get(slug="softmax")
    return regrade_start(exercise=softmax, cohort=cohort, started_by=instructor).pk
