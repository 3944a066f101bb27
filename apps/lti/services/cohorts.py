"""LTI accounts and cohorts: a platform's user is one dlmath account, an LMS course one
cohort, and the launch's roles say who teaches it and who learns in it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from lti_tool.lti_core.constants import ContextRole
from lti_tool.lti_core.utils import normalize_role
from lti_tool.models import LtiContext

from apps.lti.models import ContextCohort, PlatformAccount
from apps.progress.auth import signed_in_user_forget
from apps.progress.models import Cohort, Enrollment, Profile, Role
from apps.progress.services import profile_ensure
from apps.progress.versions import progress_versions_bump

TEACHING_ROLES = {ContextRole.INSTRUCTOR, ContextRole.ADMINISTRATOR, ContextRole.CONTENT_DEVELOPER}


def roles_teach(roles: Iterable[str]) -> bool:
    """Instructor (a TA is an Instructor sub-role), course administrator or designer."""
    normalized = [normalize_role(role) for role in roles]
    return any(
        role in TEACHING_ROLES or role.startswith(ContextRole.INSTRUCTOR.value.replace("#", "/"))
        for role in normalized
    )


def roles_learn(roles: Iterable[str]) -> bool:
    return any(normalize_role(role) == ContextRole.LEARNER for role in roles)


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
        signed_in_user_forget(user_id=user.pk)  # update() sends no signal
        if not cohort.instructors.filter(pk=user.pk).exists():
            cohort.instructors.add(user)
            changed = True
    if learns:
        _, joined = Enrollment.objects.get_or_create(cohort=cohort, user=user)
        changed = changed or joined
    if changed:
        progress_versions_bump(user_id=user.pk)


def cohort_remove_learner(*, cohort: Cohort, user: User) -> None:
    if Enrollment.objects.filter(cohort=cohort, user=user).delete()[0]:
        progress_versions_bump(user_id=user.pk)
