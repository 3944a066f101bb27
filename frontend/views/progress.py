"""Learner progress, cohort joining, sign-up, and the instructor dashboard."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from apps.progress.auth import authenticated_user
from apps.progress.models import Cohort
from apps.progress.selectors import (
    cohort_dashboard_cache_key,
    cohort_for_instructor,
    cohort_progress,
    cohorts_for_instructor,
    cohorts_for_learner,
    cohorts_with_learner_counts,
    progress_for_user,
    user_is_instructor,
)
from apps.progress.services import cohort_join, profile_ensure
from frontend.forms import JoinCohortForm, SignUpForm

# Versioned keys make stale entries unreachable; the timeout only bounds memory.
COHORT_BODY_SECONDS = 600


@login_required
def progress_page(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    progress = progress_for_user(user=user)
    return render(
        request,
        "progress/progress.html",
        {"progress": progress, "cohorts": list(cohorts_for_learner(user=user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_join_page(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    form = JoinCohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = cohort_join(user=user, join_code=form.cleaned_data["join_code"])
        except ValidationError as exc:
            form.add_error("join_code", exc.messages)
        else:
            messages.success(request, f"You joined the cohort “{cohort.name}”.")
            return redirect("progress")
    return render(
        request,
        "progress/cohort_join.html",
        {"form": form, "cohorts": list(cohorts_for_learner(user=user))},
    )


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("curriculum:course-map")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        profile_ensure(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.get_username()}! Start with any foundation.")
        return redirect("curriculum:course-map")
    return render(request, "registration/signup.html", {"form": form})


def _require_instructor(request: HttpRequest) -> None:
    if not user_is_instructor(user=request.user):
        raise PermissionDenied("The dashboard is for instructors.")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_instructor(request)
    instructor = authenticated_user(request)
    cohorts = list(cohorts_with_learner_counts(instructor=instructor))
    return render(request, "dashboard/dashboard.html", {"cohorts": cohorts})


def _cohort_or_404(request: HttpRequest, cohort_id: int) -> Cohort:
    _require_instructor(request)
    cohort = cohort_for_instructor(instructor=authenticated_user(request), cohort_id=cohort_id)
    if cohort is None:
        raise Http404("No such cohort among yours.")
    return cohort


@login_required
def dashboard_cohort(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _cohort_or_404(request, cohort_id)
    # The heatmap and tables change only when a member's progress does: render them once
    # per cohort version and share the HTML between the cohort's instructors.
    # (Only with a cache all processes share: a per-process one would miss another's bump.)
    key = cohort_dashboard_cache_key(cohort_id=cohort.pk)
    cached = cache.get(key) if settings.SHARED_CACHE else None
    if cached is None:
        cached = _cohort_body(request, cohort)
        if settings.SHARED_CACHE:
            cache.set(key, cached, timeout=COHORT_BODY_SECONDS)
    body, learner_count = cached
    return render(
        request,
        "dashboard/dashboard_cohort.html",
        {
            "cohort": cohort,
            "cohorts": list(cohorts_for_instructor(instructor=authenticated_user(request))),
            "body": mark_safe(body),  # noqa: S308 (our own template's autoescaped output)
            "learner_count": learner_count,
            "csv_url": reverse("api-cohort-progress-csv", args=[cohort.pk]),
        },
    )


def _cohort_body(request: HttpRequest, cohort: Cohort) -> tuple[str, int]:
    progress = cohort_progress(cohort=cohort)
    # Only exercises somebody in the cohort attempted make columns, in course order.
    attempted = [
        j
        for j in range(len(progress.exercises))
        if any(row[j] is not None for row in progress.scores)
    ]
    heatmap: dict[str, Any] = {
        "learners": [u.username for u in progress.learners],
        "exercises": [progress.exercises[j].slug for j in attempted],
        "scores": [[row[j] for j in attempted] for row in progress.scores],
    }
    learners = []
    for learner, row in zip(progress.learners, progress.scores, strict=True):
        done = [s for s in row if s is not None]
        learners.append(
            {
                "user": learner,
                "attempted": len(done),
                "passed": sum(1 for s in done if s >= 1.0),
                "mean": (sum(done) / len(done)) if done else None,
            }
        )
    body = render_to_string(
        "dashboard/_cohort_body.html",
        {
            "cohort": cohort,
            "heatmap": heatmap,
            "learners": learners,
            "stats": [s for s in progress.exercise_stats if s.attempted],
            "exercise_total": len(progress.exercises),
        },
    )
    return body, len(learners)
