"""Pages that show submissions: an exercise with its editor and attempts, an instructor's
drill-down into one learner's attempts. They sit in sandbox, the top of the dependency chain.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from apps.curriculum.selectors import exercise_get
from apps.progress.auth import authenticated_user
from apps.progress.selectors import (
    cohort_for_instructor,
    cohort_has_learner,
    exercise_progress_for_user,
    progress_for_user,
    user_is_instructor,
)
from apps.sandbox.models import PENDING_STATUSES
from apps.sandbox.selectors import (
    submission_history,
    submission_latest,
    submissions_of_learner_for_instructor,
)
from frontend.views.course import module_standing

HISTORY_SHOWN = 30
ATTEMPTS_SHOWN = 200


@login_required
def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = exercise_get(slug=slug)
    if exercise is None:
        raise Http404("No such exercise.")
    user = authenticated_user(request)
    history = list(submission_history(user=user, exercise_slug=slug)[:HISTORY_SHOWN])
    last = submission_latest(user=user, exercise_slug=slug)
    progress = exercise_progress_for_user(user=user, exercise=exercise)
    revealed = progress.hints_revealed if progress else 0
    standing, _ = module_standing(request, exercise.module.slug)
    lesson_url = (
        reverse("curriculum:lesson", args=[exercise.module.slug, exercise.lesson.slug])
        if exercise.lesson
        else None
    )
    config = {
        "slug": exercise.slug,
        "code": last.code if last else exercise.starter_code,
        "starter": exercise.starter_code,
        "submitUrl": reverse("api-exercise-submissions", args=[exercise.slug]),
        "hintsUrl": reverse("api-hints", args=[exercise.slug]),
        "hints": list(exercise.hints[:revealed]),
        "hintsTotal": len(exercise.hints),
        "lessonUrl": lesson_url,
        "lastSubmissionId": (last.pk if last and last.status not in PENDING_STATUSES else None),
    }
    return render(
        request,
        "exercise/exercise_detail.html",
        {
            "exercise": exercise,
            "module": exercise.module,
            "history": history,
            "progress": progress,
            "standing": standing,
            "config": config,
            "restored": last is not None,
        },
    )


@login_required
def dashboard_learner(request: HttpRequest, cohort_id: int, user_id: int) -> HttpResponse:
    if not user_is_instructor(user=request.user):
        raise PermissionDenied("The dashboard is for instructors.")
    instructor = authenticated_user(request)
    cohort = cohort_for_instructor(instructor=instructor, cohort_id=cohort_id)
    if cohort is None:
        raise Http404("No such cohort.")
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
