"""Grades back to the LMS (Assignment and Grade Services): each learner's best score per
link, kept as state and sent by Celery with retries; a failure is kept with the LMS's words
for the instructor, never dropped."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Literal

import requests
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from lti_tool.models import LtiContext, LtiMembership
from pylti1p3.assignments_grades import AssignmentsGradesService, TAssignmentsGradersData
from pylti1p3.exception import LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.service_connector import ServiceConnector

from apps.lti.models import GradePassback, LinkTarget, PassbackStatus
from apps.lti.tool import http_session, registration_for
from apps.progress.models import ExerciseProgress, ModuleProgress

logger = logging.getLogger(__name__)

AgsScope = Literal[
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
]
# A claimed passback is one worker's for this long; after it anyone may retry it.
LEASE = timedelta(seconds=60)
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 6 * 3600


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min ... doubling per failed attempt, at most six hours."""
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


def _desired_score(
    target: LinkTarget,
    exercise_rows: dict[int, ExerciseProgress],
    module_rows: dict[int, ModuleProgress],
) -> tuple[float, float, bool] | None:
    """(score given, maximum, completed) for a learner on a link; None before any attempt."""
    if target.exercise is not None:
        row = exercise_rows.get(target.exercise_id or 0)
        if row is None or not row.attempts:
            return None
        points = float(target.exercise.points or 1)
        return round(row.best_score * points, 4), points, row.passed
    if target.module is not None:
        module_row = module_rows.get(target.module_id or 0)
        if module_row is None:
            return None
        total = float(target.module.total_points or 1)
        return round(module_row.points_earned, 4), total, module_row.points_earned >= total
    return None


def _score_memberships(user_id: int) -> QuerySet[LtiMembership]:
    """The learner's memberships in courses whose LMS accepts scores."""
    return LtiMembership.objects.filter(
        user__auth_user_id=user_id,
        is_learner=True,
        is_active=True,
        context__can_publish_scores=True,
    )


def grade_passbacks_possible(*, user_id: int) -> bool:
    """Could a change of this learner's scores go to an LMS? (One indexed EXISTS: the outbox
    asks it before handing a graded event to the passback task.)"""
    return _score_memberships(user_id).exists()


def grade_passbacks_refresh(*, user_id: int) -> list[int]:
    """Bring a learner's passbacks up to their current best scores; return those to send.

    One row per (platform user, link) in the courses where they are a learner and the LMS
    accepts scores. A row whose score changed becomes pending again.
    """
    memberships = list(_score_memberships(user_id).select_related("user"))
    if not memberships:
        return []
    targets = list(
        LinkTarget.objects.filter(
            resource_link__context_id__in={m.context_id for m in memberships}
        ).select_related("exercise", "module", "resource_link")
    )
    exercise_rows = {
        row.exercise_id: row for row in ExerciseProgress.objects.filter(user_id=user_id)
    }
    module_rows = {row.module_id: row for row in ModuleProgress.objects.filter(user_id=user_id)}
    now = timezone.now()
    due = []
    for membership in memberships:
        for target in targets:
            if target.resource_link.context_id != membership.context_id:
                continue
            desired = _desired_score(target, exercise_rows, module_rows)
            if desired is None:
                continue
            score, maximum, completed = desired
            row, created = GradePassback.objects.get_or_create(
                lti_user=membership.user,
                target=target,
                defaults={
                    "user_id": user_id,
                    "score_given": score,
                    "score_maximum": maximum,
                    "completed": completed,
                    "next_attempt_at": now,
                },
            )
            if not created and (row.score_given, row.score_maximum, row.completed) != desired:
                GradePassback.objects.filter(pk=row.pk).update(
                    score_given=score,
                    score_maximum=maximum,
                    completed=completed,
                    status=PassbackStatus.PENDING,
                    next_attempt_at=now,
                )
                row.status, row.next_attempt_at = PassbackStatus.PENDING, now
            if row.status == PassbackStatus.PENDING or (
                row.status == PassbackStatus.FAILED and row.next_attempt_at <= now
            ):
                due.append(row.pk)
    return due


def _ags_service_data(context: LtiContext, lineitem_url: str) -> TAssignmentsGradersData:
    """What the course's AGS claim allowed us, as PyLTI1p3's service wants it."""
    scopes: list[AgsScope] = []
    if context.can_manage_lineitems:
        scopes.append("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem")
    elif context.can_query_lineitems:
        scopes.append("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly")
    if context.can_access_results:
        scopes.append("https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly")
    if context.can_publish_scores:
        scopes.append("https://purl.imsglobal.org/spec/lti-ags/scope/score")
    return {"scope": scopes, "lineitems": context.lineitems_url, "lineitem": lineitem_url}


class PassbackImpossible(Exception):
    """The LMS gave the link no gradebook column and does not let us make one."""


def _lineitem_ensure(target: LinkTarget, connector: ServiceConnector, maximum: float) -> str:
    """The link's gradebook column: the one the LMS gave, else found or made (and kept)."""
    if target.lineitem_url:
        return target.lineitem_url
    context = target.resource_link.context
    if not (context.can_manage_lineitems and context.lineitems_url):
        raise PassbackImpossible("the LMS gave this link no gradebook column")
    kind, item = ("exercise", target.exercise) if target.exercise else ("module", target.module)
    if item is None:
        raise PassbackImpossible("the link opens neither an exercise nor a module")
    service = AssignmentsGradesService(connector, _ags_service_data(context, ""))
    lineitem = service.find_or_create_lineitem(
        LineItem()
        .set_label(item.title)
        .set_score_maximum(maximum)
        .set_resource_id(f"{kind}:{item.uuid}")
        .set_resource_link_id(target.resource_link.id_on_platform)
        .set_tag("dlmath")
    )
    target.lineitem_url = str(lineitem.get_id() or "")
    target.save(update_fields=["lineitem_url"])
    return target.lineitem_url


def _ags_put(row: GradePassback) -> None:
    target = row.target
    context = target.resource_link.context
    connector = ServiceConnector(
        registration_for(context.deployment.registration), requests_session=http_session()
    )
    lineitem_url = _lineitem_ensure(target, connector, row.score_maximum)
    service = AssignmentsGradesService(connector, _ags_service_data(context, lineitem_url))
    grade = (
        Grade()
        .set_score_given(row.score_given)
        .set_score_maximum(row.score_maximum)
        .set_timestamp(timezone.now().isoformat())
        .set_activity_progress("Completed" if row.completed else "Submitted")
        .set_grading_progress("FullyGraded")
        .set_user_id(row.lti_user.sub)
    )
    service.put_grade(grade)


def _describe(exc: Exception) -> str:
    """What went wrong, for the instructor: status and the LMS's words, no tokens or keys."""
    if isinstance(exc, LtiServiceException):
        response = exc.response
        return f"the LMS answered HTTP {response.status_code}: {response.text[:300]}"
    if isinstance(exc, requests.RequestException):
        return f"the LMS could not be reached ({type(exc).__name__})"
    return f"{type(exc).__name__}: {str(exc)[:300]}"


def _claim(passback_id: int) -> GradePassback | None:
    with transaction.atomic():
        row = (
            GradePassback.objects.select_for_update()
            .filter(
                pk=passback_id,
                status__in=[PassbackStatus.PENDING, PassbackStatus.FAILED],
                next_attempt_at__lte=timezone.now(),
            )
            .first()
        )
        if row is None:
            return None
        row.next_attempt_at = timezone.now() + LEASE
        row.save(update_fields=["next_attempt_at"])
    return (
        GradePassback.objects.select_related(
            "lti_user",
            "target__exercise",
            "target__module",
            "target__resource_link__context__deployment__registration",
        )
        .filter(pk=passback_id)
        .first()
    )


def grade_passback_send(*, passback_id: int) -> GradePassback | None:
    """POST one learner's score to the LMS. None if the row is not due (or someone else has
    it). On failure the row says why and when it is tried again; it is never dropped."""
    row = _claim(passback_id)
    if row is None:
        return None
    sent_score = row.score_given
    try:
        _ags_put(row)
    except Exception as exc:
        detail = _describe(exc)
        row.attempts += 1
        row.status = PassbackStatus.FAILED
        row.last_error = detail
        row.next_attempt_at = timezone.now() + retry_delay(row.attempts)
        row.save(
            update_fields=["attempts", "status", "last_error", "next_attempt_at", "updated_at"]
        )
        logger.warning(
            "LTI: grade passback %s failed (attempt %s): %s", row.pk, row.attempts, detail
        )
        return row
    now = timezone.now()
    # Only if the score did not change while we sent it (else it stays pending for the next).
    GradePassback.objects.filter(pk=row.pk, score_given=sent_score).update(
        status=PassbackStatus.SENT,
        sent_score=sent_score,
        sent_at=now,
        last_error="",
        attempts=row.attempts + 1,
        next_attempt_at=now,
    )
    row.refresh_from_db()
    return row


def grade_passback_retry_now(*, passback: GradePassback) -> GradePassback:
    if passback.status != PassbackStatus.SENT:
        passback.status = PassbackStatus.PENDING
        passback.next_attempt_at = timezone.now()
        passback.save(update_fields=["status", "next_attempt_at", "updated_at"])
    return passback


def grade_passback_resend(*, passback: GradePassback) -> GradePassback:
    """Someone asks for another try now: due at once, handed to a worker after commit. If the
    broker is down it stays pending for ``lti_passback_retry``: delayed, never lost."""
    grade_passback_retry_now(passback=passback)
    passback_id = passback.pk
    transaction.on_commit(lambda: _queue_passback_send(passback_id))
    return passback


def _queue_passback_send(passback_id: int) -> None:
    from apps.lti.tasks import grade_passback_task

    try:
        grade_passback_task.apply_async(args=(passback_id,), retry=False)
    except Exception as exc:  # the broker is down: the sweep sends it later
        logger.warning(
            "LTI: could not queue grade passback %s (%s)", passback_id, type(exc).__name__
        )


def grade_passbacks_due() -> list[int]:
    """Every passback waiting to be sent now (pending, or failed and due again)."""
    return list(
        GradePassback.objects.filter(
            status__in=[PassbackStatus.PENDING, PassbackStatus.FAILED],
            next_attempt_at__lte=timezone.now(),
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)
    )
