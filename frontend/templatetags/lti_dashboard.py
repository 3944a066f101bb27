"""``{% lti_passback_panel cohort %}``: the cohort dashboard's panel of grades on their way to
the LMS. A tag, so the dashboard's view and its cached body need not know about LTI; it is
rendered per request (a passback's state changes without any progress changing)."""

from __future__ import annotations

from typing import Any

from django import template

from apps.lti.selectors import grade_passback_overview
from apps.progress.auth import authenticated_user
from apps.progress.models import Cohort

register = template.Library()


@register.inclusion_tag("dashboard/_lti_passbacks.html", takes_context=True)
def lti_passback_panel(context: template.Context, cohort: Cohort) -> dict[str, Any]:
    overview = grade_passback_overview(
        instructor=authenticated_user(context["request"]), cohort=cohort
    )
    return {"cohort": cohort, "overview": overview, "csrf_token": context.get("csrf_token")}
