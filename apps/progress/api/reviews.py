"""The review API: your review queue, one card, starting a review, "I forgot".

Always the requester's own schedule: there is no learner in these paths, so nobody reads
another's queue. Review attempts are submitted through the sandbox's API
(``POST reviews/{slug}/submissions/``), graded like any submission.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.curriculum.models import Exercise
from apps.curriculum.selectors import exercise_get
from apps.progress.auth import authenticated_user
from apps.progress.models import ReviewRating
from apps.progress.reviews import selectors, services
from apps.progress.reviews.selectors import ReviewItem


class ReviewNotDue(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This exercise is not due for review.")
    default_code = "not_due"


REVIEW_CONFLICT = OpenApiResponse(
    description="not due for review (not passed yet, or due later: the message says when)"
)


class ReviewItemOutputSerializer(serializers.Serializer[Any]):
    """A passed exercise on your review schedule."""

    exercise = serializers.CharField(source="exercise.slug")
    title = serializers.CharField(source="exercise.title")
    module = serializers.CharField(source="exercise.module.slug")
    due_at = serializers.DateTimeField(source="card.due")
    is_due = serializers.BooleanField()
    in_progress = serializers.BooleanField(help_text="a review started and not concluded")
    failed_attempts = serializers.IntegerField(
        source="card.review_failures", help_text="failed attempts in the review under way"
    )
    retention = serializers.FloatField(
        source="recall.retention",
        help_text="FSRS's probability you still solve it now, 0 to 1 (0.9 when due)",
    )
    recall_factor = serializers.FloatField(
        source="recall.factor",
        help_text="what its score counts for in mastery now: min(1, retention / 0.9)",
    )
    stability_days = serializers.FloatField(source="card.stability", allow_null=True)
    difficulty = serializers.FloatField(source="card.difficulty", allow_null=True)
    reviews = serializers.IntegerField(source="card.reps", help_text="reviews concluded")
    lapses = serializers.IntegerField(source="card.lapses", help_text="reviews rated again")
    last_reviewed_at = serializers.DateTimeField(source="card.last_review", allow_null=True)
    last_rating = serializers.ChoiceField(
        choices=[rating.name.lower() for rating in ReviewRating],
        allow_null=True,
        help_text="the last rating: the first pass's or a review's",
    )

    def to_representation(self, instance: ReviewItem) -> dict[str, Any]:
        data = super().to_representation(instance)
        rating = instance.last_rating
        data["last_rating"] = ReviewRating(rating).name.lower() if rating else None
        return data


class ReviewQueueOutputSerializer(serializers.Serializer[Any]):
    due = ReviewItemOutputSerializer(many=True, help_text="due now, most overdue first")
    upcoming = ReviewItemOutputSerializer(many=True, help_text="the rest, soonest first")


def _exercise_or_404(slug: str) -> Exercise:
    exercise = exercise_get(slug=slug)
    if exercise is None:
        raise Http404
    return exercise


def _item(request: Request, exercise: Exercise) -> dict[str, Any]:
    item = selectors.review_item_for_user(user=authenticated_user(request), exercise=exercise)
    if item is None:
        raise Http404
    return ReviewItemOutputSerializer(item).data


def _not_due(exc: services.ReviewUnavailable) -> ReviewNotDue:
    detail = str(exc)
    if exc.due is not None:
        detail = _("%(reason)s It is due at %(due)s.") % {
            "reason": detail,
            # to the minute, in UTC (an API message has no reader's time zone): 2026-12-08 10:10 UTC
            "due": exc.due.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }
    return ReviewNotDue(detail)


class ReviewQueueApi(APIView):
    """Your review queue: passed exercises due for review, then those to come."""

    @extend_schema(operation_id="api_v1_reviews_queue", responses=ReviewQueueOutputSerializer)
    def get(self, request: Request) -> Response:
        queue = selectors.review_queue_for_user(user=authenticated_user(request))
        return Response(ReviewQueueOutputSerializer(queue).data)


class ReviewItemApi(APIView):
    """One exercise on your review schedule (404 if you have not passed it)."""

    @extend_schema(responses=ReviewItemOutputSerializer)
    def get(self, request: Request, slug: str) -> Response:
        return Response(_item(request, _exercise_or_404(slug)))


class ReviewStartApi(APIView):
    """Start reviewing a due exercise: passing it on the first attempt within 5 minutes of
    this is rated Easy. Submit attempts to ``reviews/{slug}/submissions/``."""

    @extend_schema(request=None, responses={200: ReviewItemOutputSerializer, 409: REVIEW_CONFLICT})
    def post(self, request: Request, slug: str) -> Response:
        exercise = _exercise_or_404(slug)
        try:
            services.review_start(user=authenticated_user(request), exercise=exercise)
        except services.ReviewUnavailable as exc:
            raise _not_due(exc) from exc
        return Response(_item(request, exercise))


class ReviewForgotApi(APIView):
    """End a due review: you no longer know how (rated Again; it comes back in a day or so)."""

    @extend_schema(request=None, responses={200: ReviewItemOutputSerializer, 409: REVIEW_CONFLICT})
    def post(self, request: Request, slug: str) -> Response:
        exercise = _exercise_or_404(slug)
        try:
            services.review_forgot(user=authenticated_user(request), exercise=exercise)
        except services.ReviewUnavailable as exc:
            raise _not_due(exc) from exc
        return Response(_item(request, exercise))
