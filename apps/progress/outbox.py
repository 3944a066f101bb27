"""The learning-event outbox: record an event with the write that caused it, announce it after.

Services call ``learning_event_record`` inside their transaction. Once it commits, each task
named in ``settings.LEARNING_EVENT_TASKS`` is handed the event id; those tasks belong to the
apps that deliver events elsewhere (xAPI to an LRS, LTI grades to an LMS), which progress does
not import. A hand-off that fails (the broker is down) loses nothing: the row is committed and
each consumer's sweep finds what it has not delivered yet.

A consumer may also say which events it wants (``learning_event_interest``, from its app's
``ready``): an event it does not want is not sent to it at all. On a site without an LRS or
an LMS that is every event, and a graded submission then costs no broker round trip and no
task run beyond its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from apps.curriculum.models import Exercise, Lesson
from apps.progress.models import LearningEvent

logger = logging.getLogger(__name__)

# Task name -> does this consumer want this event? Asked once the event has committed, in
# the process that recorded it, just before the hand-off; a consumer not registered here is
# handed every event.
_interests: dict[str, Callable[[LearningEvent], bool]] = {}


def learning_event_interest(task_name: str, wants: Callable[[LearningEvent], bool]) -> None:
    """Register which committed events the task ``task_name`` is handed (``wants(event)``).
    ``wants`` must be cheap (settings, one indexed query) and must not skip an event the
    task would act on: a skipped event is only delivered later by that consumer's sweep."""
    _interests[task_name] = wants


def learning_event_record(
    *,
    kind: str,
    user: User,
    at: datetime,
    exercise: Exercise | None = None,
    lesson: Lesson | None = None,
    submission_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> LearningEvent:
    """Write one event; call it inside the transaction of the change it reports."""
    event = LearningEvent.objects.create(
        kind=kind,
        user=user,
        exercise=exercise,
        lesson=lesson,
        submission_id=submission_id,
        data=data or {},
        occurred_at=at,
    )
    transaction.on_commit(lambda: learning_event_announce(event=event))
    return event


def learning_event_announce(*, event: LearningEvent) -> None:
    """Hand a committed event to each consumer's task that wants it. Never raises: grading
    must not fail because an LRS or a broker is unreachable (the consumers' sweeps catch up)."""
    names = getattr(settings, "LEARNING_EVENT_TASKS", ())
    if not names:
        return
    from celery import current_app

    event_id = event.pk
    for name in names:
        try:
            wants = _interests.get(name)
            if wants is not None and not wants(event):
                continue
            current_app.tasks[name].apply_async(args=(event_id,), retry=False)
        except Exception as exc:  # kombu, redis, or a consumer's own failure in eager mode
            logger.warning(
                "learning event %s not handed to %s (%s); its sweep will deliver it",
                event_id,
                name,
                type(exc).__name__,
            )
