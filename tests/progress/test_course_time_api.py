"""The review and deadline APIs from the outside: who reads and changes what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.curriculum.models import Exercise
from apps.progress.models import Deadline, ReviewCard
from apps.progress.services import exercise_progress_record_attempt

pytestmark = pytest.mark.django_db


def pass_exercise(user, slug="softmax", submission_id=1):
    exercise_progress_record_attempt(
        user=user,
        exercise=Exercise.objects.get(slug=slug),
        submission_id=submission_id,
        score=1.0,
        passed=True,
        failed_checks=[],
        at=timezone.now(),
    )


def make_due(user, slug="softmax"):
    card = ReviewCard.objects.get(user=user, exercise__slug=slug)
    shift = card.due - timezone.now() + timedelta(minutes=1)
    ReviewCard.objects.filter(pk=card.pk).update(
        due=card.due - shift, last_review=card.last_review - shift
    )


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


# --- reviews ----------------------------------------------------------------------------------


def test_the_review_queue_is_the_requesters_own(as_user, alice, bob) -> None:
    pass_exercise(alice)
    make_due(alice)
    body = as_user(alice).get("/api/v1/reviews/").json()
    assert [item["exercise"] for item in body["due"]] == ["softmax"]
    assert body["due"][0]["last_rating"] == "good"
    assert 0 < body["due"][0]["retention"] <= 1
    bob_view = as_user(bob).get("/api/v1/reviews/").json()
    assert bob_view == {"due": [], "upcoming": []}
    assert as_user(bob).get("/api/v1/reviews/softmax/").status_code == 404


def test_starting_a_review_needs_it_due_and_forgot_reschedules(as_user, alice) -> None:
    client = as_user(alice)
    assert client.post("/api/v1/reviews/softmax/start/").status_code == 409
    pass_exercise(alice)
    assert client.post("/api/v1/reviews/softmax/start/").status_code == 409
    make_due(alice)
    started = client.post("/api/v1/reviews/softmax/start/").json()
    assert started["in_progress"]
    assert started["is_due"]
    forgot = client.post("/api/v1/reviews/softmax/forgot/").json()
    assert forgot["lapses"] == 1
    assert forgot["last_rating"] == "again"
    assert not forgot["is_due"]


def test_an_unknown_exercise_is_404(as_user, alice) -> None:
    assert as_user(alice).post("/api/v1/reviews/no-such-thing/start/").status_code == 404


def test_progress_reports_retention_and_both_masteries(as_user, alice) -> None:
    pass_exercise(alice)
    body = as_user(alice).get("/api/v1/progress/me/").json()
    probability = next(m for m in body["modules"] if m["slug"] == "probability")
    softmax = next(e for e in probability["exercises"] if e["slug"] == "softmax")
    assert softmax["retention"] == pytest.approx(1.0)
    assert softmax["review_due"] is False
    assert probability["earned"] == pytest.approx(probability["mastery"])


# --- deadlines --------------------------------------------------------------------------------


@pytest.fixture
def cohort(teacher, alice, make_cohort):
    return make_cohort(teacher, [alice])


def due_in(days: float) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


def test_instructors_set_deadlines_and_learners_of_the_cohort_read_them(
    as_user, teacher, alice, cohort
) -> None:
    url = f"/api/v1/cohorts/{cohort.pk}/deadlines/"
    created = as_user(teacher).post(
        url, {"module": "probability", "due_at": due_in(3)}, format="json"
    )
    assert created.status_code == 200
    assert created.json()["module"] == "probability"
    listed = as_user(alice).get(url)
    assert listed.status_code == 200
    assert [d["module"] for d in listed.json()] == ["probability"]
    mine = as_user(alice).get("/api/v1/deadlines/me/").json()
    assert {d["exercise"] for d in mine} >= {"softmax", "entropy"}
    assert {d["mark"] for d in mine} == {"open"}


def test_a_learner_cannot_read_the_deadlines_of_a_cohort_they_are_not_in(
    as_user, teacher, bob, cohort
) -> None:
    Deadline.objects.create(
        cohort=cohort, exercise=Exercise.objects.get(slug="softmax"), due_at=timezone.now()
    )
    assert as_user(bob).get(f"/api/v1/cohorts/{cohort.pk}/deadlines/").status_code == 404
    assert as_user(bob).get("/api/v1/deadlines/me/").json() == []


def test_learners_cannot_set_or_remove_deadlines(as_user, alice, bob, cohort) -> None:
    url = f"/api/v1/cohorts/{cohort.pk}/deadlines/"
    body = {"exercise": "softmax", "due_at": due_in(1)}
    assert as_user(alice).post(url, body, format="json").status_code == 403
    assert as_user(bob).post(url, body, format="json").status_code == 404
    deadline = Deadline.objects.create(
        cohort=cohort, exercise=Exercise.objects.get(slug="softmax"), due_at=timezone.now()
    )
    assert as_user(alice).delete(f"{url}{deadline.pk}/").status_code == 404
    assert Deadline.objects.filter(pk=deadline.pk).exists()


def test_another_instructor_is_a_stranger_to_the_cohort(as_user, make_user, cohort) -> None:
    stranger = make_user("stranger", role="instructor")
    url = f"/api/v1/cohorts/{cohort.pk}/deadlines/"
    assert as_user(stranger).get(url).status_code == 404
    assert (
        as_user(stranger)
        .post(url, {"module": "probability", "due_at": due_in(1)}, format="json")
        .status_code
        == 404
    )
    assert as_user(stranger).get(f"/api/v1/cohorts/{cohort.pk}/deadline-marks/").status_code == 404


def test_deadline_input_is_validated(as_user, teacher, cohort) -> None:
    url = f"/api/v1/cohorts/{cohort.pk}/deadlines/"
    client = as_user(teacher)
    both = {"module": "probability", "exercise": "softmax", "due_at": due_in(1)}
    assert client.post(url, both, format="json").status_code == 400
    unknown = {"exercise": "no-such-exercise", "due_at": due_in(1)}
    assert client.post(url, unknown, format="json").status_code == 400
    assert client.post(url, {"module": "probability"}, format="json").status_code == 400


def test_the_instructor_removes_a_deadline_and_reads_the_marks(
    as_user, teacher, alice, cohort
) -> None:
    client = as_user(teacher)
    url = f"/api/v1/cohorts/{cohort.pk}/deadlines/"
    past = (timezone.now() - timedelta(days=1)).isoformat()
    deadline_id = client.post(url, {"exercise": "softmax", "due_at": past}, format="json").json()[
        "id"
    ]
    marks = client.get(f"/api/v1/cohorts/{cohort.pk}/deadline-marks/").json()
    assert [e["exercise"] for e in marks["exercises"]] == ["softmax"]
    assert marks["learners"] == [
        {"learner": "alice", "marks": ["missing"], "on_time": 0, "late": 0, "missing": 1}
    ]
    assert client.delete(f"{url}{deadline_id}/").status_code == 204
    assert client.get(url).json() == []
