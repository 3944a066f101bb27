"""LTI reads: what an instructor may see of grades on their way to the LMS."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, QuerySet
from lti_tool.models import LtiContext

from apps.lti.models import ContextCohort, GradePassback, PassbackStatus
from apps.progress.models import Cohort
from apps.progress.selectors import cohort_for_instructor


def grade_passbacks_of_instructor(*, instructor: User) -> QuerySet[GradePassback]:
    """Passbacks in the LMS courses whose cohorts this instructor teaches."""
    return GradePassback.objects.filter(
        target__resource_link__context__dlmath_cohort__cohort__instructors=instructor
    ).select_related("user", "target__exercise", "target__module")


def grade_passbacks_for_cohort(*, instructor: User, cohort: Cohort) -> QuerySet[GradePassback]:
    return (
        grade_passbacks_of_instructor(instructor=instructor)
        .filter(target__resource_link__context__dlmath_cohort__cohort=cohort)
        .order_by("status", "user__username", "target_id")
    )


def lti_context_for_cohort(*, instructor: User, cohort_id: int) -> LtiContext | None:
    """The LMS course behind one of the instructor's cohorts (None: not theirs, or not LTI)."""
    cohort = cohort_for_instructor(instructor=instructor, cohort_id=cohort_id)
    if cohort is None:
        return None
    return LtiContext.objects.filter(dlmath_cohort__cohort=cohort).first()


def cohorts_marked_lms_courses(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """The cohorts, each with ``is_lms_course`` (taught as an LMS course over LTI), in the
    same query: a page listing the instructor's cohorts needs no second one to ask."""
    return cohorts.annotate(
        is_lms_course=Exists(ContextCohort.objects.filter(cohort=OuterRef("pk")))
    )


@dataclass(frozen=True)
class PassbackOverview:
    """Grades of one LMS course not in its gradebook yet: failed first, then pending."""

    waiting: list[GradePassback]
    failed: int
    pending: int
    sent: int


def grade_passback_overview(
    *, instructor: User, cohort: Cohort, limit: int = 50
) -> PassbackOverview | None:
    """What an instructor should know of a cohort's grades on their way to the LMS (None:
    the cohort is not an LMS course). Three queries, whatever the cohort's size (none for a
    cohort read with ``cohorts_marked_lms_courses`` and not one); at most ``limit`` rows,
    soonest retry first within each status."""
    is_lms_course = getattr(cohort, "is_lms_course", None)
    if is_lms_course is None:
        is_lms_course = ContextCohort.objects.filter(cohort=cohort).exists()
    if not is_lms_course:
        return None
    rows = grade_passbacks_for_cohort(instructor=instructor, cohort=cohort)
    counts = {
        row["status"]: row["n"] for row in rows.order_by().values("status").annotate(n=Count("id"))
    }
    waiting = list(
        rows.exclude(status=PassbackStatus.SENT).order_by("status", "next_attempt_at", "id")[:limit]
    )
    return PassbackOverview(
        waiting=waiting,
        failed=counts.get(PassbackStatus.FAILED, 0),
        pending=counts.get(PassbackStatus.PENDING, 0),
        sent=counts.get(PassbackStatus.SENT, 0),
    )
