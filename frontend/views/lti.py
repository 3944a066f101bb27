"""LTI pages: those a launch hands over to, inside the LMS's frame, and an instructor's
"retry now" for a grade the LMS has not taken yet (the panel on the cohort dashboard).

The protocol endpoints (apps/lti) verify the platform's JWT and redirect to the first two
with a signed token; they trust only that token (``apps.lti.tokens``), not a session: inside
a frame the browser may withhold our cookies.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from apps.curriculum.selectors import modules_outline
from apps.lti.framing import framed_in_lms
from apps.lti.models import PassbackStatus
from apps.lti.selectors import grade_passbacks_for_cohort
from apps.lti.services.passbacks import grade_passback_resend
from apps.lti.tokens import TokenInvalid, deep_link_token_read, handoff_token_read
from apps.progress.auth import authenticated_user
from apps.progress.selectors import cohort_for_instructor


def _expired(request: HttpRequest, invalid: TokenInvalid) -> HttpResponse:
    return framed_in_lms(render(request, "lti/expired.html", {"message": str(invalid)}, status=403))


@require_GET
def deep_link_picker(request: HttpRequest) -> HttpResponse:
    """An instructor picks modules or exercises to add to their LMS course (Deep Linking)."""
    token = request.GET.get("token", "")
    try:
        deep_link_token_read(token)
    except TokenInvalid as invalid:
        return _expired(request, invalid)
    return framed_in_lms(
        render(request, "lti/deep_link_picker.html", {"token": token, "modules": modules_outline()})
    )


@require_GET
def open_in_new_tab(request: HttpRequest) -> HttpResponse:
    """A launch the LMS framed: one link that signs the learner in, in a tab of its own."""
    token = request.GET.get("token", "")
    try:
        handoff = handoff_token_read(token)
    except TokenInvalid as invalid:
        return _expired(request, invalid)
    return framed_in_lms(
        render(request, "lti/open_in_new_tab.html", {"token": token, "title": handoff.title})
    )


@login_required
@require_POST
def grade_passback_retry(request: HttpRequest, cohort_id: int, passback_id: int) -> HttpResponse:
    """Send one learner's grade to the LMS again now; back to the cohort's dashboard.

    Only for an instructor of that cohort, and a grade of its LMS course: anything else is
    404, as the dashboard answers for a cohort that is not yours."""
    instructor = authenticated_user(request)
    cohort = cohort_for_instructor(instructor=instructor, cohort_id=cohort_id)
    passback = (
        None
        if cohort is None
        else grade_passbacks_for_cohort(instructor=instructor, cohort=cohort)
        .filter(pk=passback_id)
        .first()
    )
    if passback is None:
        raise Http404(gettext("No such grade in your cohorts."))
    grade_passback_resend(passback=passback)
    passback.refresh_from_db()  # without a worker (eager mode) it was sent just now
    names = {"user": passback.user.get_username(), "title": passback.target.title}
    if passback.status == PassbackStatus.SENT:
        messages.success(
            request, gettext("%(user)s's grade for %(title)s is in the LMS gradebook now.") % names
        )
    elif passback.status == PassbackStatus.FAILED:
        message = gettext("The LMS refused %(user)s's grade for %(title)s again: %(error)s")
        messages.error(request, message % {**names, "error": passback.last_error})
    else:
        messages.info(
            request, gettext("%(user)s's grade for %(title)s is on its way to the LMS.") % names
        )
    return redirect(reverse("dashboard-cohort", args=[cohort_id]) + "#lms-grades")
