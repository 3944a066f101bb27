"""``{% course_time_panel cohort %}``: the cohort dashboard's deadlines panel (each learner
on time, late or missing) with links to set deadlines and to regrade.

Rendered outside the dashboard's cached body, and cached on its own (with a cache all
processes share) under the body's key plus the cohort's deadlines version: a member's
progress, the course, a regrade accepted or a deadline set changes the key. A deadline
passing turns "open" into "missing" with nothing changing, so an entry lives only until the
next deadline to come.
"""

from __future__ import annotations

from datetime import datetime

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from apps.progress.deadlines import cohort_deadline_report, deadlines_version_key
from apps.progress.models import Cohort
from apps.progress.selectors import cohort_dashboard_cache_key
from apps.sandbox.regrading import stale_counts

register = template.Library()

PANEL_SECONDS = 600


def _render(cohort: Cohort) -> tuple[str, list[datetime]]:
    report = cohort_deadline_report(cohort=cohort)
    columns = [
        {"exercise": exercise, "due_at": due}
        for exercise, due in zip(report.exercises, report.due, strict=True)
    ]
    html = render_to_string(
        "dashboard/_course_time.html",
        {
            "cohort": cohort,
            "report": report,
            "columns": columns,
            "stale": sum(count.stale for count in stale_counts(cohort=cohort)),
        },
    )
    return html, report.due


def _seconds_to_keep(due: list[datetime]) -> int:
    now = timezone.now()
    coming = [(d - now).total_seconds() for d in due if d > now]
    return int(max(1, min([PANEL_SECONDS, *coming])))


def course_time_panel_key(*, body_key: str, deadlines_version: object) -> str:
    """The panel's cache key: the cohort body's (with its language) and the deadlines version."""
    return f"course-time:{body_key}:{deadlines_version or 0}:{get_language()}"


@register.simple_tag
def course_time_panel(cohort: Cohort, cached: tuple[str, str | None] | None = None) -> SafeString:
    """``cached``: (the panel's key, its HTML if the cache had it) when the view read them
    with the body; else both are read here."""
    if not settings.SHARED_CACHE:
        return mark_safe(_render(cohort)[0])  # noqa: S308 (our own autoescaped template)
    if cached is None:
        key = course_time_panel_key(
            body_key=cohort_dashboard_cache_key(cohort_id=cohort.pk),
            deadlines_version=cache.get(deadlines_version_key(cohort.pk)),
        )
        html: str | None = cache.get(key)
    else:
        key, html = cached
    if html is None:
        html, due = _render(cohort)
        cache.set(key, html, timeout=_seconds_to_keep(due))
    return mark_safe(html)  # noqa: S308 (our own autoescaped template)
