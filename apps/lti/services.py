"""LTI writes: sign a launch in, keep the cohort, bind links, send grades, fill the roster.

Called by the launch views and the Celery tasks (never from signals). The protocol checks
(signature, state, nonce, deployment) happen in ``tool`` before anything here runs.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from lti_tool.lti_core.constants import ContextRole
from lti_tool.lti_core.utils import normalize_role
from lti_tool.models import LtiContext, LtiLaunch, LtiMembership, LtiResourceLink, LtiUser
from pylti1p3.assignments_grades import AssignmentsGradesService, TAssignmentsGradersData
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector

from apps.curriculum.models import Exercise, Module
from apps.lti.models import (
    ContextCohort,
    GradePassback,
    LinkTarget,
    PassbackStatus,
    PlatformAccount,
    UsedNonce,
)
from apps.lti.tool import http_session, launch_url, registration_for
from apps.progress.models import (
    Cohort,
    Enrollment,
    ExerciseProgress,
    ModuleProgress,
    Profile,
    Role,
)
from apps.progress.services import cohort_versions_bump, profile_ensure

logger = logging.getLogger(__name__)

CUSTOM_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/custom"
LAUNCH_PRESENTATION_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/launch_presentation"
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
TEACHING_ROLES = {ContextRole.INSTRUCTOR, ContextRole.ADMINISTRATOR, ContextRole.CONTENT_DEVELOPER}


class LaunchRefused(Exception):
    """A launch that passed the protocol checks but must not sign anyone in; says why."""


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min ... doubling per failed attempt, at most six hours."""
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


def roles_teach(roles: Iterable[str]) -> bool:
    """Instructor (a TA is an Instructor sub-role), course administrator or designer."""
    normalized = [normalize_role(role) for role in roles]
    return any(
        role in TEACHING_ROLES or role.startswith(ContextRole.INSTRUCTOR.value.replace("#", "/"))
        for role in normalized
    )


def roles_learn(roles: Iterable[str]) -> bool:
    return any(normalize_role(role) == ContextRole.LEARNER for role in roles)


# --- accounts and cohorts ------------------------------------------------------------------


def _username_for(issuer: str, subject: str) -> str:
    return "lti-" + hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:16]


def platform_account_user(*, issuer: str, subject: str, claims: Mapping[str, Any]) -> User:
    """The dlmath account of a platform user, created on first sight.

    Linked by (issuer, subject) only: a platform cannot sign into an account another
    platform's user owns, whatever ``sub``, name or e-mail it sends.
    """
    account = (
        PlatformAccount.objects.select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if account is not None:
        return account.user
    user_model = get_user_model()
    username = _username_for(issuer, subject)
    full = str(claims.get("name") or "").split(" ", 1)
    given = str(claims.get("given_name") or full[0])
    family = str(claims.get("family_name") or (full[1] if len(full) > 1 else ""))
    with transaction.atomic():
        user, _ = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": given[:150],
                "last_name": family[:150],
                "email": str(claims.get("email") or "")[:254],
            },
        )
        if user.has_usable_password():
            user.set_unusable_password()  # signs in through the LMS only
            user.save(update_fields=["password"])
        profile_ensure(user=user)
        account, _ = PlatformAccount.objects.get_or_create(
            issuer=issuer, subject=subject, defaults={"user": user}
        )
    return account.user


def context_cohort_ensure(*, context: LtiContext) -> Cohort:
    """The cohort an LMS course is taught as (created, named after the course, on first use)."""
    existing = ContextCohort.objects.select_related("cohort").filter(context=context).first()
    if existing is not None:
        return existing.cohort
    name = (context.title or context.label or f"LMS course {context.id_on_platform}")[:120]
    for _ in range(5):
        try:
            with transaction.atomic():
                cohort = Cohort.objects.create(name=name)
                ContextCohort.objects.create(context=context, cohort=cohort)
                return cohort
        except IntegrityError:  # a join-code collision, or a concurrent first launch
            existing = (
                ContextCohort.objects.select_related("cohort").filter(context=context).first()
            )
            if existing is not None:
                return existing.cohort
    raise RuntimeError("could not create a cohort for the LMS course")


def cohort_place(*, cohort: Cohort, user: User, teaches: bool, learns: bool) -> None:
    """Instructor role: cohort instructor (dashboard). Learner role: enrolled learner."""
    changed = False
    if teaches:
        profile_ensure(user=user, role=Role.INSTRUCTOR)
        Profile.objects.filter(user=user).update(role=Role.INSTRUCTOR)
        if not cohort.instructors.filter(pk=user.pk).exists():
            cohort.instructors.add(user)
            changed = True
    if learns:
        _, joined = Enrollment.objects.get_or_create(cohort=cohort, user=user)
        changed = changed or joined
    if changed:
        cohort_versions_bump(user_id=user.pk)


def cohort_remove_learner(*, cohort: Cohort, user: User) -> None:
    if Enrollment.objects.filter(cohort=cohort, user=user).delete()[0]:
        cohort_versions_bump(user_id=user.pk)


# --- launches --------------------------------------------------------------------------------


def launch_nonce_spend(*, issuer: str, nonce: str, expires_at: datetime) -> None:
    """Record a launch's nonce; a second launch with it is a replay and is refused."""
    if not nonce:
        raise LaunchRefused("The launch has no nonce.")
    UsedNonce.objects.filter(expires_at__lt=timezone.now() - timedelta(days=1)).delete()
    try:
        with transaction.atomic():
            UsedNonce.objects.create(issuer=issuer, nonce=nonce[:255], expires_at=expires_at)
    except IntegrityError:
        raise LaunchRefused(
            "This launch was already used. Start it again from your course."
        ) from None


@dataclass
class LaunchOutcome:
    user: User
    redirect_to: str
    target: LinkTarget | None


def _target_from_custom(custom: dict[str, Any]) -> tuple[Exercise | None, Module | None]:
    exercise_slug = str(custom.get("dlmath_exercise") or "")
    module_slug = str(custom.get("dlmath_module") or "")
    if exercise_slug:
        exercise = Exercise.objects.filter(slug=exercise_slug, retired=False).first()
        if exercise is not None:
            return exercise, None
    if module_slug:
        module = Module.objects.filter(slug=module_slug, retired=False).first()
        if module is not None:
            return None, module
    return None, None


def link_target_bind(
    *, resource_link: LtiResourceLink, custom: dict[str, Any], ags_claim: dict[str, Any] | None
) -> tuple[LinkTarget | None, bool]:
    """Remember what a link opens and which gradebook column (AGS line item) it fills.

    Returns the target (None for a link to nothing of ours) and whether it is new."""
    exercise, module = _target_from_custom(custom or {})
    if exercise is None and module is None:
        return None, False
    lineitem = str((ags_claim or {}).get("lineitem") or "")
    target, created = LinkTarget.objects.get_or_create(
        resource_link=resource_link,
        defaults={"exercise": exercise, "module": module, "lineitem_url": lineitem},
    )
    if not created and (
        (target.exercise_id, target.module_id)
        != (getattr(exercise, "pk", None), getattr(module, "pk", None))
        or (lineitem and lineitem != target.lineitem_url)
    ):
        target.exercise, target.module = exercise, module
        target.lineitem_url = lineitem or target.lineitem_url
        target.save(update_fields=["exercise", "module", "lineitem_url"])
    return target, created


def _page_for(target: LinkTarget | None) -> str:
    if target is not None and target.exercise is not None:
        return reverse("exercise", args=[target.exercise.slug])
    if target is not None and target.module is not None:
        return reverse("curriculum:module", args=[target.module.slug])
    return reverse("curriculum:course-map")


@transaction.atomic
def lti_launch_sign_in(*, launch: LtiLaunch) -> LaunchOutcome:
    """After a valid resource-link launch (and django-lti's sync of its records): the account
    to sign in, its place in the course's cohort, and the page the link opens."""
    issuer = str(launch.get_claim("iss") or "")
    subject = str(launch.get_claim("sub") or "")
    if not subject:
        raise LaunchRefused("The LMS launched without a user; dlmath needs one to sign in.")
    claims = launch.get_launch_data() or {}
    user = platform_account_user(issuer=issuer, subject=subject, claims=claims)
    lti_user = launch.user
    if lti_user.auth_user_id != user.pk:
        lti_user.auth_user = user
        lti_user.save(update_fields=["auth_user"])
    roles = launch.roles_claim or []
    target, target_is_new = None, False
    if launch.context_claim:
        cohort = context_cohort_ensure(context=launch.context)
        cohort_place(
            cohort=cohort, user=user, teaches=roles_teach(roles), learns=roles_learn(roles)
        )
        if launch.is_resource_launch:
            target, target_is_new = link_target_bind(
                resource_link=launch.resource_link,
                custom=launch.get_claim(CUSTOM_CLAIM) or {},
                ags_claim=launch.ags_claim,
            )
    if target is not None:
        # Learners who worked before this link was first opened: their scores go now.
        learner_ids = (
            [user.pk]
            if not target_is_new
            else list(
                LtiMembership.objects.filter(
                    context=launch.context, is_learner=True, user__auth_user__isnull=False
                ).values_list("user__auth_user_id", flat=True)
            )
        )
        if roles_learn(roles) or target_is_new:
            transaction.on_commit(lambda: _queue_passbacks_for(learner_ids))
    return LaunchOutcome(user=user, redirect_to=_page_for(target), target=target)


def _queue_passbacks_for(user_ids: list[int]) -> None:
    from apps.lti.tasks import grade_passbacks_refresh_task

    for user_id in user_ids:
        try:
            grade_passbacks_refresh_task.apply_async(args=(user_id,), retry=False)
        except Exception as exc:  # the broker is down: `lti_passback_retry` sends it later
            logger.warning("LTI: could not queue grade passbacks (%s)", type(exc).__name__)


def deep_link_resources(*, selections: Iterable[str]) -> list[DeepLinkResource]:
    """Content items for what an instructor picked: ``exercise:<slug>`` or ``module:<slug>``.

    Each is a link to our one launch URL with the target in custom parameters, and a
    gradebook column sized to its points.
    """
    resources = []
    for selection in selections:
        kind, _, slug = selection.partition(":")
        item: Exercise | Module | None
        if kind == "exercise":
            item = Exercise.objects.filter(slug=slug, retired=False).first()
            maximum = item.points if item else 0
        elif kind == "module":
            item = Module.objects.filter(slug=slug, retired=False).first()
            maximum = item.total_points if item else 0
        else:
            item = None
        if item is None:
            continue
        resource = (
            DeepLinkResource()
            .set_url(launch_url())
            .set_title(item.title)
            .set_custom_params({f"dlmath_{kind}": item.slug})
        )
        if maximum:
            resource.set_lineitem(
                LineItem()
                .set_label(item.title)
                .set_score_maximum(maximum)
                .set_resource_id(f"{kind}:{item.uuid}")
                .set_tag("dlmath")
            )
        resources.append(resource)
    return resources


# --- grades back to the LMS (Assignment and Grade Services) ---------------------------------


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


def grade_passbacks_refresh(*, user_id: int) -> list[int]:
    """Bring a learner's passbacks up to their current best scores; return those to send.

    One row per (platform user, link) in the courses where they are a learner and the LMS
    accepts scores. A row whose score changed becomes pending again.
    """
    memberships = list(
        LtiMembership.objects.filter(
            user__auth_user_id=user_id,
            is_learner=True,
            is_active=True,
            context__can_publish_scores=True,
        ).select_related("user")
    )
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


# --- the roster (Names and Role Provisioning Services) --------------------------------------


@dataclass
class RosterReport:
    members: int = 0
    learners: int = 0
    instructors: int = 0
    removed: int = 0


def context_roster_sync(*, context: LtiContext) -> RosterReport:
    """Fill the course's cohort from the LMS roster: every active learner enrolled (with an
    account made for those who never launched), instructors added, inactive members removed.
    """
    if not context.memberships_url:
        raise LaunchRefused("The LMS did not offer its roster (Names and Role Provisioning).")
    registration = context.deployment.registration
    service = NamesRolesProvisioningService(
        ServiceConnector(registration_for(registration), requests_session=http_session()),
        {"context_memberships_url": context.memberships_url},
    )
    members = service.get_members()
    context.update_memberships(members)
    cohort = context_cohort_ensure(context=context)
    report = RosterReport(members=len(members))
    for member in members:
        subject = str(member.get("user_id") or "")
        if not subject:
            continue
        user = platform_account_user(issuer=registration.issuer, subject=subject, claims=member)
        LtiUser.objects.filter(registration=registration, sub=subject).update(auth_user=user)
        roles = member.get("roles") or []
        if str(member.get("status") or "Active") != "Active":
            cohort_remove_learner(cohort=cohort, user=user)
            report.removed += 1
            continue
        teaches, learns = roles_teach(roles), roles_learn(roles)
        cohort_place(cohort=cohort, user=user, teaches=teaches, learns=learns)
        report.instructors += teaches
        report.learners += learns
    ContextCohort.objects.filter(context=context).update(roster_synced_at=timezone.now())
    return report
