"""The learning-event outbox hands an event only to the consumers that want it: with no LRS
and no LMS taking scores, a graded attempt sends no task at all (each was a broker round
trip and a task run per submission); with them, each consumer gets what it acts on."""

from __future__ import annotations

from typing import Any

import pytest
from celery import current_app
from django.utils import timezone
from lti_tool.models import LtiContext, LtiDeployment, LtiMembership, LtiRegistration, LtiUser

from apps.curriculum.models import Exercise
from apps.progress import services
from apps.progress.models import LearningEvent

pytestmark = pytest.mark.django_db

CONSUMERS = ["xapi.event_publish", "lti.event_passback"]


@pytest.fixture
def handed(monkeypatch: Any, settings: Any) -> list[tuple[str, int]]:
    """The hand-offs to the broker, by task name (the broker itself is what is replaced)."""
    settings.LEARNING_EVENT_TASKS = CONSUMERS
    sent: list[tuple[str, int]] = []
    for name in CONSUMERS:
        task = current_app.tasks[name]
        monkeypatch.setattr(
            task,
            "apply_async",
            lambda args, name=name, **_: sent.append((name, args[0])),
        )
    return sent


def graded(user: Any, django_capture_on_commit_callbacks: Any) -> list[int]:
    """A passed attempt, committed: the ids of the events it recorded."""
    with django_capture_on_commit_callbacks(execute=True):
        services.exercise_progress_record_attempt(
            user=user,
            exercise=Exercise.objects.get(slug="softmax"),
            submission_id=7,
            score=1.0,
            passed=True,
            failed_checks=[],
            at=timezone.now(),
        )
    return sorted(LearningEvent.objects.filter(user=user).values_list("pk", flat=True))


def lms_learner(user: Any, *, scores: bool = True) -> None:
    """``user`` a learner in a course of an LMS of their own (taking scores or not)."""
    host = f"https://lms-{user.username}.example"
    registration = LtiRegistration.objects.create(
        name=host,
        issuer=host,
        client_id="tool",
        auth_url=f"{host}/auth",
        token_url=f"{host}/token",
        keyset_url=f"{host}/jwks",
    )
    deployment = LtiDeployment.objects.create(registration=registration, deployment_id="d1")
    context = LtiContext.objects.create(deployment=deployment, can_publish_scores=scores)
    lti_user = LtiUser.objects.create(registration=registration, sub="s1", auth_user=user)
    LtiMembership.objects.create(user=lti_user, context=context, is_learner=True)


def test_no_lrs_and_no_lms_hand_off_nothing(
    alice: Any, handed: list, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.XAPI_LRS_ENDPOINT = ""
    assert len(graded(alice, django_capture_on_commit_callbacks)) == 2  # attempt + passed
    assert handed == []


def test_an_lrs_is_handed_every_event(
    alice: Any, handed: list, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.XAPI_LRS_ENDPOINT = "http://127.0.0.1:9/xAPI"
    ids = graded(alice, django_capture_on_commit_callbacks)
    assert sorted(handed) == [("xapi.event_publish", pk) for pk in ids]


def test_a_learner_in_a_course_that_takes_scores_has_graded_events_passed_back(
    alice: Any, bob: Any, handed: list, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.XAPI_LRS_ENDPOINT = ""
    lms_learner(alice)
    lms_learner(bob, scores=False)
    ids = graded(alice, django_capture_on_commit_callbacks)
    assert sorted(handed) == [("lti.event_passback", pk) for pk in ids]
    handed.clear()
    graded(bob, django_capture_on_commit_callbacks)
    assert handed == []  # bob's course does not take scores


def test_events_no_passback_acts_on_are_not_handed_to_it(
    alice: Any, handed: list, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.XAPI_LRS_ENDPOINT = ""
    lms_learner(alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.hint_reveal(user=alice, exercise=Exercise.objects.get(slug="softmax"))
    assert LearningEvent.objects.filter(user=alice).exists()
    assert handed == []
