"""Celery tasks for LTI: grades back to the LMS (with retries), the roster from it.

Tasks take ids and call services. A failed passback is retried by Celery with backoff and
its row stays ``failed`` with the reason meanwhile; if the retry message itself is lost
(broker flushed), `manage.py lti_passback_retry` or the next score change picks it up.
"""

from __future__ import annotations

from celery import Task, current_app, shared_task
from lti_tool.models import LtiContext

from apps.lti.models import PassbackStatus
from apps.lti.services import passbacks, roster
from apps.progress.models import LearningEvent, LearningEventKind

# The events that can change a score the LMS holds: an attempt, a pass, a regrade's new best
# score, a concept check (its points count in a module link's score). A review never does.
GRADED = {
    LearningEventKind.ATTEMPT_GRADED,
    LearningEventKind.EXERCISE_PASSED,
    LearningEventKind.SCORE_CHANGED,
    LearningEventKind.QUESTION_ANSWERED,
}


def event_wanted(event: LearningEvent) -> bool:
    """The outbox hands the passback task only graded events of learners in a course whose
    LMS takes scores (what ``event_passback_task`` would otherwise find out itself)."""
    return event.kind in GRADED and passbacks.grade_passbacks_possible(user_id=event.user_id)


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


@shared_task(name="lti.event_passback", ignore_result=True)
def event_passback_task(event_id: int) -> None:
    """Handed every committed learning event by the progress outbox; grades go to the LMS."""
    event = LearningEvent.objects.filter(pk=event_id).only("kind", "user_id").first()
    if event is None or event.kind not in GRADED:
        return
    grade_passbacks_refresh_task(event.user_id)


@shared_task(name="lti.grade_passbacks_refresh", ignore_result=True)
def grade_passbacks_refresh_task(user_id: int) -> None:
    for passback_id in passbacks.grade_passbacks_refresh(user_id=user_id):
        grade_passback_task.apply_async(args=(passback_id,), retry=False)


@shared_task(
    name="lti.grade_passback",
    bind=True,
    ignore_result=True,
    acks_late=True,
    max_retries=12,
)
def grade_passback_task(self: Task[[int], str | None], passback_id: int) -> str | None:
    row = passbacks.grade_passback_send(passback_id=passback_id)
    if row is None:
        return None
    if row.status == PassbackStatus.FAILED and not _eager():
        # Eager mode would retry at once, in a loop; there the sweep retries instead.
        countdown = max((row.next_attempt_at - row.updated_at).total_seconds(), 1.0)
        raise self.retry(countdown=countdown)
    return row.status


@shared_task(name="lti.passbacks_retry_due", ignore_result=True)
def passbacks_retry_due_task() -> int:
    due = passbacks.grade_passbacks_due()
    for passback_id in due:
        grade_passback_task.apply_async(args=(passback_id,), retry=False)
    return len(due)


@shared_task(name="lti.roster_sync", ignore_result=True, bind=True, max_retries=3)
def roster_sync_task(self: Task[[int], int | None], context_id: int) -> int | None:
    context = LtiContext.objects.select_related("deployment__registration").get(pk=context_id)
    try:
        report = roster.context_roster_sync(context=context)
    except roster.RosterUnavailable:
        return None
    except Exception as exc:
        if _eager():
            raise
        raise self.retry(exc=exc, countdown=60) from exc
    return report.members
