"""The load-data generator writes rows consistent with what grading would have written."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Sum

pytestmark = pytest.mark.django_db


def test_it_fills_consistent_progress_for_the_submissions_it_writes() -> None:
    from apps.progress.models import ActivityDay, CheckFailureCount, Cohort, ExerciseProgress
    from apps.sandbox.models import Submission

    call_command("generate_load_data", learners=12, cohorts=2, submissions=400, verbosity=0)
    assert Cohort.objects.count() == 2
    assert Submission.objects.count() == 400
    assert ExerciseProgress.objects.aggregate(total=Sum("attempts"))["total"] == 400
    assert ActivityDay.objects.aggregate(total=Sum("submissions"))["total"] == 400
    failed_checks = sum(
        sum(1 for check in checks if not check["passed"])
        for checks in Submission.objects.values_list("checks", flat=True)
    )
    assert CheckFailureCount.objects.aggregate(total=Sum("failures"))["total"] == failed_checks
    with pytest.raises(Exception, match="reset"):
        call_command("generate_load_data", learners=12, cohorts=2, submissions=400, verbosity=0)
