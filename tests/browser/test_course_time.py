"""Course time in Chromium: a learner reviews a due exercise from the queue, an instructor
regrades after a change of checks and accepts the table of changes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from apps.curriculum.models import Exercise
from apps.progress.models import Enrollment, ExerciseProgress, ReviewCard, Role
from apps.progress.services import cohort_create
from apps.sandbox.models import Submission
from apps.sandbox.services import submission_create
from tests.browser.harness import DESKTOP, open_context

pytestmark = pytest.mark.browser

SOFTMAX = (Path(settings.CURRICULUM_DIR) / "probability/exercises/softmax/solution.py").read_text()


def _due(user: Any, slug: str) -> None:
    card = ReviewCard.objects.get(user=user, exercise__slug=slug)
    shift = card.due - timezone.now() + timedelta(minutes=1)
    ReviewCard.objects.filter(pk=card.pk).update(
        due=card.due - shift, last_review=card.last_review - shift
    )


def test_a_learner_reviews_a_due_exercise_and_it_is_rated(
    browser: Any, site: str, make_account: Any
) -> None:
    learner = make_account("rev", "review-pass-42")
    submission_create(user=learner, exercise=Exercise.objects.get(slug="softmax"), code=SOFTMAX)
    _due(learner, "softmax")
    context, watch = open_context(browser, site, viewport=DESKTOP, user=learner, axe=False)
    page = context.new_page()
    try:
        page.goto(site + "/review/", wait_until="load")
        page.click("[data-review='softmax'] button[type=submit]")
        page.wait_for_url("**/review/softmax/")
        page.wait_for_function("() => window.dlmathEditor !== undefined")
        page.evaluate(
            """(code) => { const v = window.dlmathEditor;
                v.dispatch({changes: {from: 0, to: v.state.doc.length, insert: code}}); }""",
            SOFTMAX,
        )
        page.click("#submit-button")
        page.wait_for_selector("#review-state[data-concluded]")
        assert page.get_attribute("#review-state", "data-concluded") == "easy"
        assert "Next review" in page.inner_text("#review-state")
        assert page.is_visible("#result .verdict")
        assert page.is_disabled("#submit-button")
        problems = watch.take()
    finally:
        context.close()
    assert problems == []
    card = ReviewCard.objects.get(user=learner)
    assert card.reps == 1
    assert card.due > timezone.now()


def test_an_instructor_regrades_reviews_the_changes_and_accepts(
    browser: Any, site: str, make_account: Any
) -> None:
    learner = make_account("lee", "regrade-pass-42")
    teacher = make_account("tutor", "regrade-pass-42", role=Role.INSTRUCTOR)
    cohort = cohort_create(name="Regraded", instructor=teacher)
    Enrollment.objects.create(cohort=cohort, user=learner)
    softmax = Exercise.objects.get(slug="softmax")
    submission = submission_create(user=learner, exercise=softmax, code=SOFTMAX)
    # The old checks failed this correct solution; new checks have been synced since.
    Submission.objects.filter(pk=submission.pk).update(status="failed", score=0.5)
    ExerciseProgress.objects.filter(user=learner).update(best_score=0.5, first_passed_at=None)
    Exercise.objects.filter(pk=softmax.pk).update(check_version=softmax.check_version + 1)
    context, watch = open_context(browser, site, viewport=DESKTOP, user=teacher, axe=False)
    page = context.new_page()
    try:
        page.goto(f"{site}/dashboard/{cohort.pk}/", wait_until="load")
        assert "1 submission graded by older checks" in page.inner_text("#stale-count")
        page.click("#deadlines a[href$='/regrades/']")
        page.click("#stale-list button[type=submit]")
        page.wait_for_selector("#regrade-table")
        row = page.locator(f"#regrade-table tr[data-submission='{submission.pk}']")
        assert "Some checks failed" in row.inner_text() or "Failed" in row.inner_text()
        assert "Passed" in row.inner_text()
        assert page.inner_text("#regrade-summary").split()[0] == "1"
        page.click("#regrade-decision button[value=accept]")
        page.wait_for_selector(".message")
        assert "Accepted" in page.inner_text(".message")
        problems = watch.take()
    finally:
        context.close()
    assert problems == []
    assert Submission.objects.get(pk=submission.pk).status == "passed"
    assert ExerciseProgress.objects.get(user=learner).passed
