from collections.abc import Callable

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from apps.curriculum.selectors import exercise_get_for_page
from apps.progress.auth import authenticated_user
from apps.sandbox import selectors, services, waits
from apps.sandbox.api.serializers import (
    SubmissionInputSerializer,
    SubmissionOutputSerializer,
    SubmissionSummaryOutputSerializer,
    submission_json,
)
from apps.sandbox.models import PENDING_STATUSES, Submission, SubmissionStatus
from apps.sandbox.results import SubmissionResult


class GradingUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = gettext_lazy(
        "Grading is temporarily unavailable; your code was not submitted. Try again shortly."
    )
    default_code = "grading_unavailable"


class SubmissionThrottle(ScopedRateThrottle):
    # Only creating a submission costs a sandbox run; reading history is free.
    methods = ("POST",)

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method not in self.methods:
            return True
        return super().allow_request(request, view)


class ExerciseSubmissionsApi(ListAPIView[Submission]):
    """POST: submit code for grading (202, status queued; with ?wait=, held until graded).
    GET: your submissions, newest first."""

    throttle_classes = [SubmissionThrottle]
    throttle_scope = "submissions"
    serializer_class = SubmissionSummaryOutputSerializer

    def get_queryset(self) -> QuerySet[Submission]:
        status_filter = self.request.query_params.get("status")
        if status_filter and status_filter not in SubmissionStatus.values:
            choices = ", ".join(SubmissionStatus.values)
            raise ValidationError(
                {"status": [gettext("must be one of %(choices)s") % {"choices": choices}]}
            )
        return selectors.submission_history(
            user=authenticated_user(self.request),
            exercise_slug=self.kwargs["slug"],
            status=status_filter,
        )

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        if exercise_get_for_page(slug=self.kwargs["slug"]) is None:
            raise Http404
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, enum=SubmissionStatus.values, description="only this verdict"
            )
        ]
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=SubmissionInputSerializer,
        parameters=[
            OpenApiParameter(
                "wait",
                float,
                description=(
                    "Hold the answer until the submission is graded (no longer queued or "
                    "running), at most this many seconds (capped by the server); 0 or absent: "
                    "answer at once. The answer may come sooner with the submission still "
                    "pending (a busy server, or the time is up): then wait for it with "
                    "GET /api/v1/submissions/{id}/?wait=."
                ),
            )
        ],
        responses={
            202: OpenApiResponse(
                SubmissionOutputSerializer,
                description="stored and queued; with ?wait=, as graded if grading finished",
            ),
            503: OpenApiResponse(description="grading queue unreachable; nothing stored"),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        wait = _wait_seconds(request)  # a bad value is refused before anything is stored
        # The row as the exercise page reads it: kept per course outline, which every sync
        # and admin change of an exercise replaces, so its versions are current.
        exercise = exercise_get_for_page(slug=slug)
        if exercise is None:
            raise Http404
        serializer = SubmissionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticated_user(request)
        # One request instead of a submit and then a wait (or two: queued -> running ->
        # verdict) saves the web process and the client a request or two per submission.
        # Its subscription is sent once the row is written and confirmed once it is
        # committed, before the grading is queued: from the row as created, every change is
        # announced to it, so it needs no read until the verdict's announcement.
        subscriptions: list[waits.Subscription] = []

        def confirmed() -> list[waits.Subscription]:
            return [s for s in subscriptions if s.confirmed()]

        def subscribe(created: Submission) -> Callable[[], object]:
            if (subscription := waits.subscribe(created.pk, confirm=False)) is not None:
                subscriptions.append(subscription)
            return confirmed

        try:
            try:
                submission = services.submission_create(
                    user=user,
                    exercise=exercise,
                    code=serializer.validated_data["code"],
                    on_stored=subscribe if wait else None,
                )
            except services.BrokerUnavailable as exc:
                submission_id = getattr(exc, "submission_id", None)
                if submission_id:
                    services.submission_discard_unqueued(submission_id=submission_id)
                raise GradingUnavailable() from exc
            ready = confirmed()
            if ready and submission.status in PENDING_STATUSES:
                created = submission
                graded = ready[0].wait_while(
                    seconds=wait,
                    read=lambda: selectors.submission_reread(submission=created),
                    waiting=lambda current: (
                        current is not None and current.status in PENDING_STATUSES
                    ),
                    through=frozenset({SubmissionStatus.RUNNING.value}),
                    first=lambda: created,
                )
                submission = graded or submission
        finally:
            for subscription in subscriptions:
                subscription.close()
        output = submission_json(SubmissionResult.of_submission(submission))
        return Response(output, status=status.HTTP_202_ACCEPTED)


def _wait_seconds(request: Request) -> float:
    """The ``wait`` query parameter: seconds, 0 when absent, capped at the server's maximum."""
    raw = request.query_params.get("wait")
    if raw is None or raw == "":
        return 0.0
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise ValidationError({"wait": [gettext("must be a number of seconds, 0 or more")]})
    return min(seconds, float(settings.SUBMISSION_WAIT_MAX_SECONDS))


class SubmissionDetailApi(APIView):
    """A submission and its result: yours, or a learner's in a cohort you teach."""

    @extend_schema(
        responses=SubmissionOutputSerializer,
        parameters=[
            OpenApiParameter(
                "wait",
                float,
                description=(
                    "While the submission is queued or running, hold the answer until its "
                    "status changes, at most this many seconds (capped by the server). The "
                    "answer may still come sooner with the status unchanged (a busy server): "
                    "then wait a little before asking again."
                ),
            )
        ],
    )
    def get(self, request: Request, submission_id: int) -> Response:
        user = authenticated_user(request)
        wait = _wait_seconds(request)

        # Every read checks visibility: nothing is shown that the reader may not see (now),
        # and a row deleted meanwhile answers 404.
        def read() -> Submission | None:
            return selectors.submission_visible_to(submission_id=submission_id, user=user)

        # Visible and pending first: a submission the reader may not see (or none) answers 404
        # at once, without taking one of the process's waiting places.
        submission = read()
        if wait and submission is not None and submission.status in PENDING_STATUSES:
            first = submission.status

            def unchanged(current: Submission | None) -> bool:
                """Still visible, with the status it had when the request came."""
                return current is not None and current.status == first

            # Read again after subscribing: a change committed after that read is heard.
            submission = waits.wait_while(
                submission_id=submission_id, seconds=wait, read=read, waiting=unchanged
            )
        if submission is None:
            raise Http404
        return Response(submission_json(SubmissionResult.of_submission(submission)))
