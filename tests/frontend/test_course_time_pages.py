"""The course-time pages as a learner and an instructor see them: reviews, deadlines, regrades."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from apps.curriculum.models import Exercise, Module
from apps.progress.deadlines import deadline_set
from apps.progress.models import Deadline, ReviewCard
from apps.sandbox.models import Regrade, Submission

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "apps/curriculum/content/probability/exercises/softmax/solution.py").read_text()

pytestmark = pytest.mark.django_db


def make_due(user, slug="softmax"):
    card = ReviewCard.objects.get(user=user, exercise__slug=slug)
    shift = card.due - timezone.now() + timedelta(minutes=1)
    ReviewCard.objects.filter(pk=card.pk).update(
        due=card.due - shift, last_review=card.last_review - shift
    )


@pytest.fixture
def learner(learner_factory, submission_factory):
    """A learner who passed softmax; its review is due."""
    user = learner_factory()
    submission_factory(user, "softmax", status="passed", score=1.0)
    make_due(user)
    return user


# --- review ------------------------------------------------------------------------------------


def test_the_review_queue_lists_what_is_due(client, learner) -> None:
    client.force_login(learner)
    page = client.get("/review/").content.decode()
    assert 'data-review="softmax"' in page
    assert "Due now: 1 exercise" in page
    assert 'action="/review/softmax/start/"' in page


def test_the_course_map_and_menu_point_to_reviews(client, learner) -> None:
    client.force_login(learner)
    page = client.get("/learn/").content.decode()
    assert 'data-reviews-due="1"' in page
    assert 'href="/review/"' in page


def test_starting_a_review_opens_it_with_the_starter_code_and_no_hints(client, learner) -> None:
    client.force_login(learner)
    response = client.post("/review/softmax/start/")
    assert response.status_code == 302
    assert response["Location"] == "/review/softmax/"
    assert ReviewCard.objects.get(user=learner).review_started_at is not None
    page = client.get("/review/softmax/").content.decode()
    assert 'id="review-config"' in page
    assert "dist/review.js" in page
    assert 'id="hint-button"' not in page
    starter = Exercise.objects.get(slug="softmax").starter_code
    assert starter.splitlines()[0] in page


def test_i_forgot_reschedules_and_returns_to_the_queue(client, learner) -> None:
    client.force_login(learner)
    response = client.post("/review/softmax/forgot/", follow=True)
    assert "will come back for review" in response.content.decode()
    assert ReviewCard.objects.get(user=learner).lapses == 1


def test_a_review_not_due_says_when_and_has_no_editor(
    client, learner_factory, submission_factory
) -> None:
    user = learner_factory()
    submission_factory(user, "softmax", status="passed", score=1.0)
    client.force_login(user)
    page = client.get("/review/softmax/").content.decode()
    assert "Not due yet" in page
    assert 'id="editor"' not in page
    assert client.post("/review/softmax/start/").status_code == 302


def test_an_exercise_not_passed_has_no_review_page(client, learner) -> None:
    client.force_login(learner)
    assert client.get("/review/entropy/").status_code == 404


def test_review_pages_need_a_login(client) -> None:
    assert client.get("/review/").status_code == 302


# --- deadlines ---------------------------------------------------------------------------------


@pytest.fixture
def cohort(instructor_factory, cohort_factory, learner):
    return cohort_factory(instructor_factory(), (learner,))


def test_the_instructor_sets_a_deadline_in_their_local_time(client, cohort) -> None:
    teacher = cohort.instructors.get()
    client.force_login(teacher)
    assert client.get(f"/dashboard/{cohort.pk}/deadlines/").status_code == 200
    response = client.post(
        f"/dashboard/{cohort.pk}/deadlines/",
        {"target": "module:probability", "due_at": "2030-03-01T09:30", "tz_offset": "-60"},
    )
    assert response.status_code == 302
    deadline = Deadline.objects.get(cohort=cohort)
    assert deadline.module == Module.objects.get(slug="probability")
    assert deadline.due_at.isoformat() == "2030-03-01T08:30:00+00:00"  # 09:30 at UTC+1
    page = client.get(f"/dashboard/{cohort.pk}/deadlines/").content.decode()
    assert 'id="deadline-list"' in page
    client.post(f"/dashboard/{cohort.pk}/deadlines/{deadline.pk}/remove/")
    assert not Deadline.objects.filter(cohort=cohort).exists()


def test_deadline_pages_are_the_cohorts_instructors_only(
    client, cohort, learner, instructor_factory
) -> None:
    client.force_login(instructor_factory())
    assert client.get(f"/dashboard/{cohort.pk}/deadlines/").status_code == 404
    client.force_login(learner)
    assert client.get(f"/dashboard/{cohort.pk}/deadlines/").status_code == 403


def test_learners_see_their_deadlines_on_map_module_and_exercise(client, cohort, learner) -> None:
    deadline_set(
        cohort=cohort,
        instructor=cohort.instructors.get(),
        due_at=timezone.now() + timedelta(days=2),
        module=Module.objects.get(slug="probability"),
    )
    client.force_login(learner)
    course_map = client.get("/learn/").content.decode()
    assert 'id="due-soon"' in course_map
    assert 'data-deadline="entropy"' in course_map
    assert 'data-deadline="softmax"' not in course_map  # passed already
    module = client.get("/learn/probability/").content.decode()
    assert 'data-deadline="on_time"' in module
    assert 'data-deadline="open"' in module
    exercise = client.get("/exercises/entropy/").content.decode()
    assert 'id="exercise-course-time"' in exercise
    assert cohort.name in exercise


def test_the_dashboard_marks_each_learner_against_each_deadline(client, cohort, learner) -> None:
    teacher = cohort.instructors.get()
    deadline_set(
        cohort=cohort,
        instructor=teacher,
        due_at=timezone.now() - timedelta(days=1),
        exercise=Exercise.objects.get(slug="entropy"),
    )
    client.force_login(teacher)
    page = client.get(f"/dashboard/{cohort.pk}/").content.decode()
    assert 'id="deadline-marks"' in page
    assert 'data-mark="missing"' in page


# --- regrades ----------------------------------------------------------------------------------


@pytest.fixture
def stale(cohort, learner):
    submission = Submission.objects.filter(user=learner).get()
    Submission.objects.filter(pk=submission.pk).update(
        code=SOLUTION, status="failed", score=0.5, seed=3
    )
    Exercise.objects.filter(slug="softmax").update(check_version=2)
    return submission


def test_the_instructor_regrades_reviews_the_table_and_accepts(
    client, cohort, stale, django_capture_on_commit_callbacks
) -> None:
    client.force_login(cohort.instructors.get())
    page = client.get(f"/dashboard/{cohort.pk}/regrades/").content.decode()
    assert 'id="stale-list"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/dashboard/{cohort.pk}/regrades/", {"exercise": "softmax"})
    regrade = Regrade.objects.get()
    assert response["Location"] == f"/dashboard/{cohort.pk}/regrades/{regrade.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'id="regrade-table"' in page
    assert f'data-submission="{stale.pk}"' in page
    assert 'value="accept"' in page
    client.post(response["Location"], {"decision": "accept"})
    stale.refresh_from_db()
    assert stale.status == "passed"


def test_regrade_pages_are_the_cohorts_instructors_only(
    client, cohort, stale, learner, instructor_factory
) -> None:
    from apps.sandbox.regrading import regrade_start

    regrade = regrade_start(exercise=Exercise.objects.get(slug="softmax"), cohort=cohort)
    stranger = instructor_factory()
    client.force_login(stranger)
    assert client.get(f"/dashboard/{cohort.pk}/regrades/").status_code == 404
    assert client.get(f"/dashboard/{cohort.pk}/regrades/{regrade.pk}/").status_code == 404
    response = client.post(
        f"/dashboard/{cohort.pk}/regrades/{regrade.pk}/", {"decision": "discard"}
    )
    assert response.status_code == 404
    regrade.refresh_from_db()
    assert regrade.status == "running"


def test_the_cached_deadlines_panel_shows_a_new_deadline_at_once(
    client, cohort, settings, django_capture_on_commit_callbacks
) -> None:
    settings.SHARED_CACHE = True
    teacher = cohort.instructors.get()
    client.force_login(teacher)
    assert 'id="deadline-marks"' not in client.get(f"/dashboard/{cohort.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        deadline_set(
            cohort=cohort,
            instructor=teacher,
            due_at=timezone.now() + timedelta(days=1),
            exercise=Exercise.objects.get(slug="entropy"),
        )
    page = client.get(f"/dashboard/{cohort.pk}/").content.decode()
    assert 'data-mark="open"' in page
