"""Spaced review pages: the learner's queue, and reviewing one exercise.

A review is the exercise again from its starter code, graded with new random cases; the
page's script (review.js) submits to the review API and shows how the review was rated.
Starting and "I forgot" are forms (POST), so they work without the script.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.curriculum.models import Exercise
from apps.curriculum.selectors import exercise_get
from apps.progress.auth import authenticated_user
from apps.progress.reviews import schedule
from apps.progress.reviews.selectors import review_item_for_user, review_queue_for_user
from apps.progress.reviews.services import ReviewUnavailable, review_forgot, review_start
from frontend.templatetags.dlmath import when_text


def _exercise_or_404(slug: str) -> Exercise:
    exercise = exercise_get(slug=slug)
    if exercise is None:
        raise Http404(_("No such exercise."))
    return exercise


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    queue = review_queue_for_user(user=authenticated_user(request))
    return render(
        request,
        "review/review_queue.html",
        {
            "queue": queue,
            "max_failures": schedule.MAX_REVIEW_FAILURES,
            "easy_minutes": int(schedule.EASY_WITHIN.total_seconds() // 60),
        },
    )


@login_required
def review_exercise(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = _exercise_or_404(slug)
    item = review_item_for_user(user=authenticated_user(request), exercise=exercise)
    if item is None:
        raise Http404(_("This exercise is not on your review schedule: pass it first."))
    config = {
        "slug": exercise.slug,
        "starter": exercise.starter_code,
        "submitUrl": reverse("api-review-submissions", args=[exercise.slug]),
        "reviewUrl": reverse("api-review", args=[exercise.slug]),
        "queueUrl": reverse("review"),
        "maxFailures": schedule.MAX_REVIEW_FAILURES,
    }
    return render(
        request,
        "review/review_exercise.html",
        {"exercise": exercise, "module": exercise.module, "item": item, "config": config},
    )


@login_required
@require_POST
def review_begin(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a due review (its clock for an Easy rating), then open it."""
    exercise = _exercise_or_404(slug)
    try:
        review_start(user=authenticated_user(request), exercise=exercise)
    except ReviewUnavailable as exc:
        messages.info(request, str(exc))
        return redirect("review")
    return redirect("review-exercise", exercise.slug)


@login_required
@require_POST
def review_give_up(request: HttpRequest, slug: str) -> HttpResponse:
    """End a due review as forgotten (Again): back to the queue with the next date."""
    exercise = _exercise_or_404(slug)
    try:
        card = review_forgot(user=authenticated_user(request), exercise=exercise)
    except ReviewUnavailable as exc:
        messages.info(request, str(exc))
        return redirect("review")
    messages.info(
        request,
        _("“%(title)s” will come back for review on %(when)s. Practise it meanwhile if you like.")
        % {"title": exercise.title, "when": when_text(card.due)},
    )
    return redirect("review")
