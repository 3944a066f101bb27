"""The learning-event outbox: record an event with the write that caused it, announce it after.

Services call ``learning_event_record`` inside their transaction. Once it commits, each task
named in ``settings.LEARNING_EVENT_TASKS`` is handed the event id; those tasks belong to the
apps that deliver events elsewhere (xAPI to an LRS, LTI grades to an LMS), which progress does
not import. A hand-off that fails (the broker is down) loses nothing: the row is committed and
each consumer's sweep finds what it has not delivered yet.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from apps.curriculum.models import Exercise, Lesson
from apps.progress.models import LearningEvent

logger = logging.getLogger(__name__)


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
    transaction.on_commit(lambda: learning_event_announce(event_id=event.pk))
    return event


def learning_event_announce(*, event_id: int) -> None:
    """Hand a committed event to each consumer's task. Never raises: grading must not fail
    because an LRS or a broker is unreachable (the consumers' sweeps catch up)."""
    names = getattr(settings, "LEARNING_EVENT_TASKS", ())
    if not names:
        return
    from celery import current_app

    for name in names:
        try:
            current_app.tasks[name].apply_async(args=(event_id,), retry=False)
        except Exception as exc:  # kombu, redis, or a consumer's own failure in eager mode
            logger.warning(
                "learning event %s not handed to %s (%s); its sweep will deliver it",
                event_id,
                name,
                type(exc).__name__,
            )
