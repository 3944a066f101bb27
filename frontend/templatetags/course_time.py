"""``{% course_time_panel cohort %}``: the cohort dashboard's deadlines panel (each learner
on time, late or missing) with links to set deadlines and to regrade. A tag rendered per
request, outside the dashboard's cached body: a deadline passing turns "open" into
"missing" without any progress changing."""

from __future__ import annotations

from typing import Any

from django import template

from apps.progress.deadlines import cohort_deadline_report
from apps.progress.models import Cohort
from apps.sandbox.regrading import stale_counts

register = template.Library()


@register.inclusion_tag("dashboard/_course_time.html")
def course_time_panel(cohort: Cohort) -> dict[str, Any]:
    report = cohort_deadline_report(cohort=cohort)
    columns = [
        {"exercise": exercise, "due_at": due}
        for exercise, due in zip(report.exercises, report.due, strict=True)
    ]
    return {
        "cohort": cohort,
        "report": report,
        "columns": columns,
        "stale": sum(count.stale for count in stale_counts(cohort=cohort)),
    }
