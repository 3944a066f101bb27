"""LTI reads: what an instructor may see of grades on their way to the LMS."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet
from lti_tool.models import LtiContext

from apps.lti.models import GradePassback
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
