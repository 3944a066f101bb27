"""Learning records reach a real LRS (Ralph): what a learner did, as statements about them.

Each test reads back what Ralph stored, filtered by the learner as an xAPI client would.
"""

from __future__ import annotations

import json
import logging
import socket
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "apps/curriculum/content/probability/exercises/softmax/solution.py").read_text()
WRONG = "import numpy as np\ndef softmax(z):\n    return np.exp(z)\n"
ADL = "http://adlnet.gov/expapi/verbs/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(make_user):
    """A learner with a name no other test uses (Ralph keeps statements across tests)."""

    def factory(name: str):
        return make_user(f"{name}-{uuid.uuid4().hex[:8]}")

    return factory


@pytest.fixture
def act(api_client, django_capture_on_commit_callbacks):
    """Do something over the API as a user, with everything queued on commit run (eager)."""

    def run(user, method: str, url: str, data: dict | None = None):
        api_client.force_authenticate(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = getattr(api_client, method)(url, data or {}, format="json")
        assert response.status_code < 300, response.content[:300]
        return response.json()

    return run


def _agent(user) -> str:
    return json.dumps({"account": {"homePage": "https://dlmath.test", "name": user.username}})


def _submission(user, act, code: str) -> dict:
    from apps.sandbox.models import Submission

    act(user, "post", "/api/v1/exercises/softmax/submissions/", {"code": code})
    submission = Submission.objects.filter(user=user).latest("id")
    return {"status": submission.status, "score": submission.score, "checks": submission.checks,
            "duration_ms": submission.duration_ms}  # fmt: skip


def test_a_learners_reading_hint_and_graded_attempts_reach_the_lrs_as_their_own(
    lrs, learner, act
) -> None:
    from apps.curriculum.models import Exercise, Lesson

    alice, bob = learner("alice"), learner("bob")
    lesson = Lesson.objects.filter(module__slug="probability", retired=False).first()
    act(alice, "post", f"/api/v1/modules/probability/lessons/{lesson.slug}/read/")
    act(alice, "post", "/api/v1/exercises/softmax/hints/")
    failed = _submission(alice, act, WRONG)
    passed = _submission(alice, act, SOLUTION)
    _submission(bob, act, WRONG)

    stored = lrs.statements(agent=_agent(alice))
    assert {s["actor"]["account"]["name"] for s in stored} == {alice.username}
    verbs = sorted(s["verb"]["id"].rsplit("/", 1)[-1] for s in stored)
    assert verbs == ["answered", "answered", "experienced", "passed", "viewed"]

    exercise = Exercise.objects.get(slug="softmax")
    exercise_iri = f"https://dlmath.test/xapi/activities/exercises/{exercise.uuid}"
    answered = sorted(
        (s for s in stored if s["verb"]["id"] == ADL + "answered"),
        key=lambda s: s["result"]["success"],
    )
    for statement, submission in zip(answered, [failed, passed], strict=True):
        assert statement["object"]["id"] == exercise_iri
        result = statement["result"]
        assert result["success"] is (submission["status"] == "passed")
        assert result["score"]["scaled"] == pytest.approx(submission["score"], abs=1e-4)
        assert result["score"]["raw"] == pytest.approx(submission["score"] * 10, abs=1e-3)
        assert result["score"]["max"] == 10
        assert result["duration"].startswith("PT")
        assert result["duration"].endswith("S")
        checks = result["extensions"]["https://dlmath.test/xapi/extensions/checks"]
        assert [(c["name"], c["passed"]) for c in checks] == [
            (c["name"], c["passed"]) for c in submission["checks"]
        ]
        parent = statement["context"]["contextActivities"]["parent"][0]
        assert parent["id"] == f"https://dlmath.test/xapi/activities/modules/{exercise.module.uuid}"
    assert answered[0]["result"]["success"] is False
    assert any(not c["passed"] for c in answered[0]["result"]["extensions"][
        "https://dlmath.test/xapi/extensions/checks"])  # fmt: skip

    (read,) = [s for s in stored if s["verb"]["id"] == ADL + "experienced"]
    assert read["object"]["id"] == f"https://dlmath.test/xapi/activities/lessons/{lesson.uuid}"
    (hint,) = [s for s in stored if s["verb"]["id"].endswith("viewed")]
    assert hint["object"]["id"] == f"{exercise_iri}/hints/1"

    bobs = lrs.statements(agent=_agent(bob))
    assert [s["actor"]["account"]["name"] for s in bobs] == [bob.username]
    assert not {s["id"] for s in bobs} & {s["id"] for s in stored}


def test_an_unreachable_lrs_never_blocks_grading_and_loses_nothing(lrs, learner, act, settings):
    from apps.xapi.models import DeliveryStatus, StatementDelivery

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    settings.XAPI_LRS_ENDPOINT = f"http://127.0.0.1:{closed_port}/xAPI"
    carol = learner("carol")
    assert _submission(carol, act, SOLUTION)["status"] == "passed"

    deliveries = list(StatementDelivery.objects.filter(event__user=carol))
    assert len(deliveries) == 2  # answered, passed
    assert {d.status for d in deliveries} == {DeliveryStatus.FAILED}
    assert all(d.attempts == 1 and "ConnectionError" in d.last_error for d in deliveries)
    assert lrs.statements(agent=_agent(carol)) == []

    settings.XAPI_LRS_ENDPOINT = lrs.endpoint
    call_command("xapi_flush", "--now", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert {d.status for d in StatementDelivery.objects.filter(event__user=carol)} == {
        DeliveryStatus.SENT
    }
    stored = lrs.statements(agent=_agent(carol))
    assert sorted(s["id"] for s in stored) == sorted(str(d.statement_id) for d in deliveries)


def test_the_sweep_sends_events_whose_hand_off_was_lost(lrs, learner, settings) -> None:
    """An event committed while the broker was down has no delivery yet: the sweep finds it."""
    from apps.curriculum.models import Exercise
    from apps.progress.services import hint_reveal

    dave = learner("dave")
    settings.LEARNING_EVENT_TASKS = []  # nobody hears about the event
    hint_reveal(user=dave, exercise=Exercise.objects.get(slug="softmax"))
    assert lrs.statements(agent=_agent(dave)) == []
    call_command("xapi_flush", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (statement,) = lrs.statements(agent=_agent(dave))
    assert statement["verb"]["id"] == "http://id.tincanapi.com/verb/viewed"


def test_the_lrs_password_reaches_neither_logs_nor_stored_errors(
    lrs, learner, act, settings, caplog
) -> None:
    from apps.xapi.models import StatementDelivery

    caplog.set_level(logging.DEBUG)
    erin = learner("erin")
    _submission(erin, act, SOLUTION)  # sent, with every library logging at DEBUG
    settings.XAPI_LRS_ENDPOINT = "http://127.0.0.1:9/xAPI"
    _submission(erin, act, WRONG)  # fails
    assert lrs.statements(agent=_agent(erin))
    assert StatementDelivery.objects.filter(event__user=erin, status="failed").exists()
    assert lrs.password not in caplog.text
    assert not StatementDelivery.objects.filter(last_error__contains=lrs.password).exists()


QUESTIONS = "/api/v1/modules/rnn/lessons/lyapunov-spectrum-and-the-edge-of-chaos/questions"


def test_concept_checks_answered_reach_the_lrs_with_their_question_and_lesson(
    lrs, learner, act
) -> None:
    from apps.curriculum.models import Question
    from apps.curriculum.selectors import question_variant
    from apps.sandbox.grading.questions import format_answer

    fay = learner("fay")
    question = Question.objects.select_related("lesson__module").get(
        name="eigenvalues-of-w", retired=False
    )
    right = format_answer(question_variant(question=question, user_id=fay.pk, variant=0).built)
    wrong = act(fay, "post", f"{QUESTIONS}/eigenvalues-of-w/answers/", {"answer": "100, 200"})
    assert wrong["correct"] is False
    assert act(fay, "post", f"{QUESTIONS}/eigenvalues-of-w/answers/", {"answer": right})["correct"]

    stored = lrs.statements(agent=_agent(fay))
    assert [s["verb"]["id"] for s in stored] == [ADL + "answered"] * 2
    lesson = question.lesson
    lesson_iri = f"https://dlmath.test/xapi/activities/lessons/{lesson.uuid}"
    answers = sorted(stored, key=lambda s: s["result"]["success"])
    for statement, correct in zip(answers, [False, True], strict=True):
        assert statement["actor"]["account"]["name"] == fay.username
        assert statement["object"]["id"] == f"{lesson_iri}/questions/eigenvalues-of-w"
        assert statement["result"]["success"] is correct
        assert statement["result"]["score"]["scaled"] == (1.0 if correct else 0.0)
        assert statement["result"]["score"]["max"] == question.points
        context = statement["context"]["contextActivities"]
        assert [a["id"] for a in context["parent"]] == [lesson_iri]
        assert [a["id"] for a in context["grouping"]] == [
            f"https://dlmath.test/xapi/activities/modules/{lesson.module.uuid}"
        ]
    assert answers[0]["result"]["response"] == "100, 200"


def test_a_review_attempt_reaches_the_lrs_marked_as_a_review_not_as_a_new_attempt(
    lrs, learner, act
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from apps.progress.models import ExerciseProgress, ReviewCard

    gus = learner("gus")
    _submission(gus, act, SOLUTION)
    card = ReviewCard.objects.get(user=gus)
    shift = card.due - timezone.now() + timedelta(minutes=1)
    ReviewCard.objects.filter(pk=card.pk).update(
        due=card.due - shift, last_review=card.last_review - shift
    )
    act(gus, "post", "/api/v1/reviews/softmax/start/")
    act(gus, "post", "/api/v1/reviews/softmax/submissions/", {"code": SOLUTION})

    progress = ExerciseProgress.objects.get(user=gus)
    assert (progress.attempts, progress.attempts_to_pass) == (1, 1)
    stored = lrs.statements(agent=_agent(gus))
    verbs = sorted(s["verb"]["id"].rsplit("/", 1)[-1] for s in stored)
    assert verbs == ["answered", "answered", "passed"], "a review is no new pass"
    review_iri = "https://dlmath.test/xapi/extensions/review"
    reviews = [s for s in stored if s["context"].get("extensions", {}).get(review_iri)]
    (review,) = reviews
    assert review["verb"]["id"] == ADL + "answered"
    assert review["result"]["success"] is True
    assert review["result"]["score"]["scaled"] == 1.0
    extensions = review["context"]["extensions"]
    assert extensions["https://dlmath.test/xapi/extensions/review-rating"] == "easy"
    (practice,) = [s for s in stored if s["verb"]["id"] == ADL + "answered" and s is not review]
    assert review_iri not in practice["context"].get("extensions", {})


def test_a_regrade_that_changes_a_best_score_reaches_the_lrs_as_scored(
    lrs, learner, django_capture_on_commit_callbacks
) -> None:
    from django.utils import timezone

    from apps.curriculum.models import Exercise
    from apps.progress.models import ExerciseProgress
    from apps.progress.services import exercise_progress_record_attempt
    from apps.sandbox import regrading
    from apps.sandbox.models import Submission

    hal = learner("hal")
    exercise = Exercise.objects.get(slug="softmax")
    now = timezone.now()
    # Graded by older checks that gave the wrong code 0.9; counted then.
    old = Submission.objects.create(
        user=hal, exercise=exercise, code=WRONG, status="failed", score=0.9, seed=4242,
        checks=[{"name": "old check", "passed": False, "message": "", "points": 1}],
        check_version=exercise.check_version, started_at=now, finished_at=now,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        exercise_progress_record_attempt(
            user=hal, exercise=exercise, submission_id=old.pk, score=0.9, passed=False,
            failed_checks=["old check"], at=now,
        )  # fmt: skip
    exercise.check_version += 1
    exercise.save(update_fields=["check_version"])
    with django_capture_on_commit_callbacks(execute=True):
        regrade = regrading.regrade_start(exercise=exercise)
    with django_capture_on_commit_callbacks(execute=True):
        regrading.regrade_accept(regrade=regrade, by=None)

    new_best = ExerciseProgress.objects.get(user=hal).best_score
    assert new_best < 0.9
    stored = lrs.statements(agent=_agent(hal))
    (scored,) = [s for s in stored if s["verb"]["id"] == ADL + "scored"]
    assert (
        scored["object"]["id"] == f"https://dlmath.test/xapi/activities/exercises/{exercise.uuid}"
    )
    assert scored["result"]["score"]["scaled"] == pytest.approx(new_best, abs=1e-4)
    assert scored["result"]["success"] is False
    extensions = scored["result"]["extensions"]
    assert extensions["https://dlmath.test/xapi/extensions/previous-score"] == 0.9
    assert extensions["https://dlmath.test/xapi/extensions/regrade"] == regrade.pk
    # Nothing else was reported: the regrade counted no attempt.
    assert sorted(s["verb"]["id"].rsplit("/", 1)[-1] for s in stored) == ["answered", "scored"]
