"""An instructor's regrade pages for one cohort: submissions graded by older checks, starting
a regrade, and its table of changes to accept or discard. Anyone but the cohort's
instructors gets a 404, as for the cohort's dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.curriculum.selectors import exercise_get
from apps.progress.auth import authenticated_user
from apps.sandbox import regrading
from apps.sandbox.models import Regrade
from frontend.views.dashboard import _cohort_or_404


@login_required
@require_http_methods(["GET", "POST"])
def cohort_regrades(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """GET: stale counts and past regrades. POST ``exercise``: start a regrade of it."""
    cohort = _cohort_or_404(request, cohort_id)
    if request.method == "POST":
        exercise = exercise_get(slug=request.POST.get("exercise", ""))
        if exercise is None:
            raise Http404(_("No such exercise."))
        try:
            regrade = regrading.regrade_start(
                exercise=exercise, cohort=cohort, started_by=authenticated_user(request)
            )
        except regrading.RegradeRefused as exc:
            messages.error(request, str(exc))
            return redirect("dashboard-regrades", cohort.pk)
        return redirect("dashboard-regrade", cohort.pk, regrade.pk)
    return render(
        request,
        "dashboard/regrades.html",
        {
            "cohort": cohort,
            "stale": regrading.stale_counts(cohort=cohort),
            "regrades": list(regrading.regrades_for_cohort(cohort=cohort)[:50]),
        },
    )


def _regrade_or_404(request: HttpRequest, cohort_id: int, regrade_id: int) -> Regrade:
    cohort = _cohort_or_404(request, cohort_id)
    regrade = regrading.regrades_for_cohort(cohort=cohort).filter(pk=regrade_id).first()
    if regrade is None:
        raise Http404(_("No such regrade in this cohort."))
    return regrade


@login_required
@require_http_methods(["GET", "POST"])
def cohort_regrade(request: HttpRequest, cohort_id: int, regrade_id: int) -> HttpResponse:
    """GET: the table of changes. POST ``decision`` accept or discard."""
    regrade = _regrade_or_404(request, cohort_id, regrade_id)
    if request.method == "POST":
        _decide(request, regrade, request.POST.get("decision", ""))
        return redirect("dashboard-regrade", cohort_id, regrade.pk)
    return render(
        request,
        "dashboard/regrade.html",
        {
            "cohort": regrade.cohort,
            "regrade": regrade,
            "summary": regrading.regrade_summary(regrade=regrade),
            "rows": list(regrading.regrade_rows(regrade=regrade)),
        },
    )


def _decide(request: HttpRequest, regrade: Regrade, decision: str) -> None:
    who = authenticated_user(request)
    try:
        if decision == "accept":
            outcome = regrading.regrade_accept(regrade=regrade, by=who)
            messages.success(
                request,
                _(
                    "Accepted: %(accepted)d submission(s) took their new verdict and the "
                    "progress of %(learners)d learner(s) was recounted."
                )
                % {"accepted": outcome.accepted, "learners": outcome.learners},
            )
        elif decision == "discard":
            regrading.regrade_discard(regrade=regrade, by=who)
            messages.success(request, _("Discarded: nothing changed for anyone."))
        else:
            messages.error(request, _("Accept or discard?"))
    except regrading.RegradeRefused as exc:
        messages.error(request, str(exc))
