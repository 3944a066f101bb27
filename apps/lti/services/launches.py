"""LTI launches: spend the nonce, sign the platform's user in, bind the link to what it
opens, and turn an instructor's deep-linking picks into content items.

Called by the protocol views after ``tool`` checked the launch (signature, state, nonce
issued, deployment) and django-lti recorded it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from lti_tool.models import LtiLaunch, LtiMembership, LtiResourceLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from apps.curriculum.models import Exercise, Module
from apps.lti.models import LinkTarget, UsedNonce
from apps.lti.services.cohorts import (
    cohort_place,
    context_cohort_ensure,
    platform_account_user,
    roles_learn,
    roles_teach,
)
from apps.lti.tool import launch_url

logger = logging.getLogger(__name__)

CUSTOM_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/custom"


class LaunchRefused(Exception):
    """A launch that passed the protocol checks but must not sign anyone in; says why."""


def launch_nonce_spend(*, issuer: str, nonce: str, expires_at: datetime) -> None:
    """Record a launch's nonce; a second launch with it is a replay and is refused."""
    if not nonce:
        raise LaunchRefused(gettext("The launch has no nonce."))
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
        raise LaunchRefused(
            gettext("The LMS launched without a user; dlmath needs one to sign in.")
        )
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
