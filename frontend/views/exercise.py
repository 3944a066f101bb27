"""The exercise page: the prompt, the editor (restored to the last attempt), hints, history.

A submission still being graded when the page loads is handed to exercise.js, which shows
its live state (queued or running, seconds elapsed) and polls on until the verdict.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from apps.curriculum.models import Exercise
from apps.curriculum.selectors import (
    exercise_get_for_page,
    modules_outline,
    outline_token,
    step_neighbours,
)
from apps.progress.auth import authenticated_user
from apps.progress.deadlines import deadlines_for_learner
from apps.progress.selectors import (
    exercise_progress_for_user,
    module_unlocked_for_user,
    review_item_for_page,
)
from apps.sandbox.grading.limits import MAX_CODE_BYTES
from apps.sandbox.models import PENDING_STATUSES, Submission
from apps.sandbox.selectors import submission_attempts

HISTORY_SHOWN = 30


def _pending(last: Submission | None) -> dict[str, object] | None:
    """The latest submission while it waits or runs, so a reload resumes its grading state
    (elapsed seconds counted from when it was sent)."""
    if last is None or last.status not in PENDING_STATUSES:
        return None
    return {
        "id": last.pk,
        "status": last.status,
        "elapsed": max((timezone.now() - last.created_at).total_seconds(), 0.0),
    }


def task_key(exercise: Exercise) -> tuple[object, ...] | None:
    """What the task panel shows (prompt, signatures, lesson link): the exercise's row, which
    changes only with the course outline. None (no memo) for an outline being replaced."""
    token = outline_token(modules_outline())
    return None if token is None else (exercise.pk, token)


def history_key(*, user_id: int, history: list[Submission]) -> tuple[object, ...]:
    """Everything the history table shows, row by row (a regrade changes a score, grading a
    status), with the time zone its times are written in."""
    rows = tuple(
        (s.pk, s.status, s.score, getattr(s, "attempt_number", None), s.created_at) for s in history
    )
    return (user_id, timezone.get_current_timezone_name(), rows)


@login_required
def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = exercise_get_for_page(slug=slug)
    if exercise is None:
        raise Http404(gettext("No such exercise."))
    user = authenticated_user(request)
    # The history and the newest attempt's code (restored in the editor) in one query.
    history = submission_attempts(user=user, exercise_id=exercise.pk, limit=HISTORY_SHOWN)
    last = history[0] if history else None
    progress = exercise_progress_for_user(user=user, exercise=exercise)
    revealed = progress.hints_revealed if progress else 0
    # None (no notice) for a module no longer in the course.
    unlocked = module_unlocked_for_user(user=user, module_id=exercise.module_id)
    lesson_url = (
        reverse("curriculum:lesson", args=[exercise.module.slug, exercise.lesson.slug])
        if exercise.lesson
        else None
    )
    config = {
        "slug": exercise.slug,
        "code": getattr(last, "latest_code", "") if last else exercise.starter_code,
        "starter": exercise.starter_code,
        "submitUrl": reverse("api-exercise-submissions", args=[exercise.slug]),
        "hintsUrl": reverse("api-hints", args=[exercise.slug]),
        "hints": list(exercise.hints[:revealed]),
        "hintsTotal": len(exercise.hints),
        "lessonUrl": lesson_url,
        "lastSubmissionId": (last.pk if last and last.status not in PENDING_STATUSES else None),
        "pending": _pending(last),
        "progressUrl": reverse("api-progress-me"),
        "loginUrl": reverse("login"),
        "maxCodeBytes": MAX_CODE_BYTES,
        # Unsubmitted code is kept in the browser under this key: one per learner and exercise.
        "draftKey": f"dlmath:draft:{user.pk}:{exercise.slug}",
    }
    previous, following = step_neighbours(kind="exercise", pk=exercise.pk)
    deadline = deadlines_for_learner(user=user).get(exercise.pk)
    review = review_item_for_page(user=user, exercise=exercise)
    return render(
        request,
        "exercise/exercise_detail.html",
        {
            "exercise": exercise,
            "module": exercise.module,
            "history": history,
            "progress": progress,
            "locked": unlocked is False,
            "config": config,
            "restored": last is not None,
            "previous": previous,
            "next": following,
            "deadline": deadline,
            "review": review,
            "task_key": task_key(exercise),
            "history_key": history_key(user_id=user.pk, history=history),
        },
    )
