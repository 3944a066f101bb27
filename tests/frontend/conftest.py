"""Factories for the page tests: users with a profile, cohorts, and stored submissions."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

_counter = itertools.count(1)

XSS = "<script>alert(1)</script>"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The real curriculum, synced once per test database (a no-op if already synced)."""
    from apps.curriculum.models import Module

    with django_db_blocker.unblock():
        if not Module.objects.exists():
            call_command("sync_curriculum", verbosity=0)


@pytest.fixture
def learner_factory(db: Any) -> Callable[..., Any]:
    from django.contrib.auth import get_user_model

    from apps.progress.models import Role
    from apps.progress.services import profile_ensure

    def create(username: str | None = None, *, role: str = Role.LEARNER) -> Any:
        user = get_user_model().objects.create_user(
            username=username or f"page-user-{next(_counter)}", password="pw-for-pages-1"
        )
        profile_ensure(user=user, role=role)
        return user

    return create


@pytest.fixture
def instructor_factory(learner_factory: Callable[..., Any]) -> Callable[..., Any]:
    from apps.progress.models import Role

    def create(username: str | None = None) -> Any:
        return learner_factory(username or f"page-teacher-{next(_counter)}", role=Role.INSTRUCTOR)

    return create


@pytest.fixture
def cohort_factory(db: Any) -> Callable[..., Any]:
    from apps.progress.models import Enrollment
    from apps.progress.services import cohort_create

    def create(instructor: Any, learners: tuple[Any, ...] = (), name: str = "Spring") -> Any:
        cohort = cohort_create(name=name, instructor=instructor)
        for learner in learners:
            Enrollment.objects.create(cohort=cohort, user=learner)
        return cohort

    return create


@pytest.fixture
def submission_factory(db: Any) -> Callable[..., Any]:
    """A graded submission stored directly (no sandbox), recorded in the learner's progress."""
    from django.utils import timezone

    from apps.curriculum.models import Exercise
    from apps.progress.services import exercise_progress_record_attempt
    from apps.sandbox.models import Submission

    def create(
        user: Any,
        slug: str = "softmax",
        *,
        code: str = "def softmax(z):\n    return z\n",
        status: str = "failed",
        score: float = 0.5,
        message: str = "rows do not sum to one",
    ) -> Any:
        exercise = Exercise.objects.get(slug=slug)
        now = timezone.now()
        submission = Submission.objects.create(
            user=user,
            exercise=exercise,
            code=code,
            status=status,
            score=score,
            checks=[
                {"name": "shape", "passed": True, "message": "right shape", "points": 1},
                {"name": "rows sum to one", "passed": False, "message": message, "points": 1},
            ],
            stdout=code,
            stderr=code,
            started_at=now,
            finished_at=now,
        )
        exercise_progress_record_attempt(
            user=user,
            exercise=exercise,
            submission_id=submission.pk,
            score=score,
            passed=status == "passed",
            failed_checks=["rows sum to one"] if status != "passed" else [],
            at=now,
        )
        return submission

    return create
