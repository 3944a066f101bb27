"""A learner's progress page and joining a cohort."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.progress.auth import authenticated_user
from apps.progress.learning_path import module_path, next_up
from apps.progress.selectors import (
    cohorts_for_learner,
    memberships_for_learner,
    progress_for_user,
)
from apps.progress.services import cohort_join
from frontend.forms import JoinCohortForm

# Versioned keys make stale entries unreachable; the timeout only bounds memory.
COHORT_BODY_SECONDS = 600


@login_required
def progress_page(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    progress = progress_for_user(user=user)
    # A line per module; its lessons and exercises open on demand (a <details>).
    modules = [
        {
            "standing": standing,
            "steps": module_path(standing),
            "started": standing.lessons_read > 0 or any(e.attempts for e in standing.exercises),
        }
        for standing in progress.modules
    ]
    return render(
        request,
        "progress/progress.html",
        {
            "progress": progress,
            "modules": modules,
            "next_up": next_up(progress.modules),
            "started": any(m["started"] for m in modules),
            "cohorts": list(cohorts_for_learner(user=user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_join_page(request: HttpRequest) -> HttpResponse:
    """Join a cohort by its code; the page lists the cohorts one is already in."""
    user = authenticated_user(request)
    # A join link (/cohorts/join/?code=...) fills the code in; joining stays one click.
    form = JoinCohortForm(request.POST or None, initial={"join_code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            cohort = cohort_join(user=user, join_code=form.cleaned_data["join_code"])
        except ValidationError as exc:
            form.add_error("join_code", exc.messages)
        else:
            messages.success(
                request, _("You joined the cohort “%(name)s”.") % {"name": cohort.name}
            )
            return redirect("progress")
    return render(
        request,
        "progress/cohort_join.html",
        {"form": form, "memberships": memberships_for_learner(user=user)},
    )
