"""Runs without grading through the API: try-it code, and "run on my own input".

POST runs/ {code} and POST exercises/{slug}/runs/ {code, input} answer 202 with the run
(status queued, or already finished when Celery is eager); GET runs/{id}/ polls it. Only
its owner sees a run (anyone else: 404). Throttled like submissions (scope "runs").
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.curriculum.selectors import exercise_get
from apps.progress.auth import authenticated_user
from apps.sandbox import runs
from apps.sandbox.api.views import GradingUnavailable, SubmissionThrottle
from apps.sandbox.grading.limits import MAX_CODE_BYTES
from apps.sandbox.grading.scratch import MAX_INPUT_BYTES
from apps.sandbox.models import Run, RunKind, RunStatus
from apps.sandbox.services import BrokerUnavailable


class RunInputSerializer(serializers.Serializer[Any]):
    # Caps on the UTF-8 bytes are the run's own (it is stored as rejected, with the reason);
    # these bounds only stop absurd bodies early.
    code = serializers.CharField(
        allow_blank=True, trim_whitespace=False, max_length=16 * MAX_CODE_BYTES
    )


class InputRunInputSerializer(RunInputSerializer):
    input = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        max_length=16 * MAX_INPUT_BYTES,
        help_text="Python ending with an expression, e.g. softmax(np.array([1000.0, 0.0]))",
    )


class RunErrorOutputSerializer(serializers.Serializer[Any]):
    type = serializers.CharField()
    message = serializers.CharField()
    line = serializers.IntegerField(allow_null=True, help_text="a line of `where`")
    traceback = serializers.CharField()
    where = serializers.ChoiceField(choices=["code", "input"])


class RunValueItemOutputSerializer(serializers.Serializer[Any]):
    index = serializers.IntegerField()
    type = serializers.CharField()
    shape = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    dtype = serializers.CharField(allow_null=True)
    text = serializers.CharField()


class RunValueOutputSerializer(serializers.Serializer[Any]):
    """What an input returned: type ("ndarray", "float", "tuple"...), shape, dtype, text."""

    type = serializers.CharField()
    shape = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    dtype = serializers.CharField(allow_null=True)
    text = serializers.CharField()
    items = RunValueItemOutputSerializer(many=True, allow_null=True)


class RunOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=RunKind.choices)
    exercise = serializers.CharField(source="exercise.slug", allow_null=True, read_only=True)
    status = serializers.ChoiceField(choices=RunStatus.choices)
    code = serializers.CharField()
    input = serializers.CharField()
    stdout = serializers.CharField()
    stderr = serializers.CharField()
    error = RunErrorOutputSerializer(allow_null=True)
    value = RunValueOutputSerializer(allow_null=True)
    figures = serializers.ListField(
        child=serializers.DictField(), help_text="Plotly figures: {data, layout}"
    )
    notes = serializers.ListField(child=serializers.CharField(), help_text="plots not drawn")
    duration_ms = serializers.FloatField(allow_null=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


def _created(run: Run) -> Response:
    return Response(RunOutputSerializer(run).data, status=status.HTTP_202_ACCEPTED)


RUN_RESPONSES = {
    202: RunOutputSerializer,
    503: OpenApiResponse(description="the run queue is unreachable; nothing stored"),
}


class RunCreateApi(APIView):
    """Run code in the sandbox without grading (a try-it cell): its output and figures."""

    throttle_classes = [SubmissionThrottle]
    throttle_scope = "runs"

    @extend_schema(request=RunInputSerializer, responses=RUN_RESPONSES)
    def post(self, request: Request) -> Response:
        serializer = RunInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            run = runs.run_create(
                user=authenticated_user(request), code=serializer.validated_data["code"]
            )
        except BrokerUnavailable as exc:
            raise GradingUnavailable(gettext("Running code is temporarily unavailable.")) from exc
        return _created(run)


class ExerciseRunCreateApi(APIView):
    """Run your code on your own input: the value, its shape and dtype, and a figure."""

    throttle_classes = [SubmissionThrottle]
    throttle_scope = "runs"

    @extend_schema(request=InputRunInputSerializer, responses=RUN_RESPONSES)
    def post(self, request: Request, slug: str) -> Response:
        exercise = exercise_get(slug=slug)
        if exercise is None:
            raise Http404
        serializer = InputRunInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            run = runs.run_create(
                user=authenticated_user(request),
                code=serializer.validated_data["code"],
                exercise=exercise,
                input=serializer.validated_data["input"],
            )
        except BrokerUnavailable as exc:
            raise GradingUnavailable(gettext("Running code is temporarily unavailable.")) from exc
        return _created(run)


class RunDetailApi(APIView):
    """One of your runs (poll it until its status is no longer queued or running)."""

    @extend_schema(responses=RunOutputSerializer)
    def get(self, request: Request, run_id: int) -> Response:
        run = runs.run_get(run_id=run_id, user=authenticated_user(request))
        if run is None:
            raise Http404
        return Response(RunOutputSerializer(run).data)
