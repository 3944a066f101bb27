"""The roster from the LMS (Names and Role Provisioning Services) into the course's cohort."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from lti_tool.models import LtiContext, LtiUser
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector

from apps.lti.models import ContextCohort
from apps.lti.services.cohorts import (
    cohort_place,
    cohort_remove_learner,
    context_cohort_ensure,
    platform_account_user,
    roles_learn,
    roles_teach,
)
from apps.lti.tool import http_session, registration_for


class RosterUnavailable(Exception):
    """The LMS offers no roster for this course (no Names and Role Provisioning claim)."""


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
        raise RosterUnavailable("The LMS did not offer its roster (Names and Role Provisioning).")
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
