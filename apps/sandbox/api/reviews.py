"""Submit a review attempt: graded like any submission (202, then poll ``submissions/{id}/``),
with fresh random cases; its verdict goes to your review schedule."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.curriculum.selectors import exercise_get
from apps.progress.api.reviews import REVIEW_CONFLICT, ReviewNotDue
from apps.progress.auth import authenticated_user
from apps.progress.reviews.services import ReviewUnavailable
from apps.sandbox import services
from apps.sandbox.api.serializers import (
    SubmissionInputSerializer,
    SubmissionOutputSerializer,
    submission_json,
)
from apps.sandbox.api.views import GradingUnavailable, SubmissionThrottle
from apps.sandbox.results import SubmissionResult
from apps.sandbox.reviews import review_submission_create


class ReviewSubmissionsApi(APIView):
    """POST: submit code for a due review (202, status queued). 409 if it is not due."""

    throttle_classes = [SubmissionThrottle]
    throttle_scope = "submissions"

    @extend_schema(
        request=SubmissionInputSerializer,
        responses={
            202: SubmissionOutputSerializer,
            409: REVIEW_CONFLICT,
            503: OpenApiResponse(description="grading queue unreachable; nothing stored"),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        exercise = exercise_get(slug=slug)
        if exercise is None:
            raise Http404
        serializer = SubmissionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            submission = review_submission_create(
                user=authenticated_user(request),
                exercise=exercise,
                code=serializer.validated_data["code"],
            )
        except ReviewUnavailable as exc:
            detail = str(exc)
            if exc.due is not None:
                detail = _("%(reason)s It is due at %(due)s.") % {
                    "reason": detail,
                    "due": exc.due.isoformat(),
                }
            raise ReviewNotDue(detail) from exc
        except services.BrokerUnavailable as exc:
            if exc.submission_id:
                services.submission_discard_unqueued(submission_id=exc.submission_id)
            raise GradingUnavailable() from exc
        output = submission_json(SubmissionResult.of_submission(submission))
        return Response(output, status=status.HTTP_202_ACCEPTED)
