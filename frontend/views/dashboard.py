"""The instructor's dashboard: their cohorts, one cohort's matrix, one learner's attempts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from apps.progress.auth import authenticated_user
from apps.progress.models import Cohort
from apps.progress.selectors import (
    cohort_dashboard_cache_key,
    cohort_for_instructor,
    cohort_has_learner,
    cohort_progress,
    cohorts_for_instructor,
    cohorts_with_learner_counts,
    progress_for_user,
    user_is_instructor,
)
from apps.sandbox.selectors import submissions_of_learner_for_instructor

# Versioned keys make stale entries unreachable; the timeout only bounds memory.
COHORT_BODY_SECONDS = 600
ATTEMPTS_SHOWN = 200


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
        cached = _cohort_body(cohort)
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


def _cohort_body(cohort: Cohort) -> tuple[str, int]:
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


@login_required
def dashboard_learner(request: HttpRequest, cohort_id: int, user_id: int) -> HttpResponse:
    cohort = _cohort_or_404(request, cohort_id)
    instructor = authenticated_user(request)
    if not cohort_has_learner(cohort=cohort, user_id=user_id):
        raise Http404("That learner is not in this cohort.")
    learner = get_user_model().objects.get(pk=user_id)
    submissions = list(
        submissions_of_learner_for_instructor(instructor=instructor, learner_id=user_id)
        .defer("code", "stdout", "stderr", "checks")
        .order_by("-created_at", "-id")[:ATTEMPTS_SHOWN]
    )
    progress = progress_for_user(user=learner)
    return render(
        request,
        "dashboard/dashboard_learner.html",
        {
            "cohort": cohort,
            "learner": learner,
            "submissions": submissions,
            "progress": progress,
        },
    )
