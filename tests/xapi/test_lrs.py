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
