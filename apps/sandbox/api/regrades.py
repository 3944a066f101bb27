"""The regrade API, per cohort (its instructors; anyone else gets 404): how many submissions
older checks graded, start a regrade, read its table of changes, accept or discard it."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.curriculum.selectors import exercise_get
from apps.progress.auth import authenticated_user
from apps.progress.models import Cohort
from apps.progress.selectors import cohort_for_instructor
from apps.sandbox import regrading
from apps.sandbox.models import Regrade, RegradeRowState, RegradeStatus, SubmissionStatus


class RegradeConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This regrade can't be changed now.")
    default_code = "regrade_conflict"


class RegradeInputSerializer(serializers.Serializer[Any]):
    exercise = serializers.SlugField(help_text="the exercise whose stale submissions to regrade")


class StaleCountOutputSerializer(serializers.Serializer[Any]):
    exercise = serializers.CharField(source="exercise.slug")
    title = serializers.CharField(source="exercise.title")
    check_version = serializers.IntegerField(source="exercise.check_version")
    stale = serializers.IntegerField(help_text="submissions graded by an older check version")
    open_regrade = serializers.IntegerField(
        source="open_regrade.pk", allow_null=True, default=None, help_text="its id, if one is open"
    )


class RegradeOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    exercise = serializers.CharField(source="exercise.slug")
    check_version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RegradeStatus.choices)
    total = serializers.IntegerField()
    graded = serializers.IntegerField()
    started_by = serializers.CharField(source="started_by.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class RegradeSummaryOutputSerializer(serializers.Serializer[Any]):
    graded = serializers.IntegerField()
    changed = serializers.IntegerField()
    higher = serializers.IntegerField()
    lower = serializers.IntegerField()
    newly_passed = serializers.IntegerField()
    no_longer_passed = serializers.IntegerField()


class RegradeRowOutputSerializer(serializers.Serializer[Any]):
    submission = serializers.IntegerField(source="submission_id")
    learner = serializers.CharField(source="submission.user.username")
    submitted_at = serializers.DateTimeField(source="submission.created_at")
    state = serializers.ChoiceField(choices=RegradeRowState.choices)
    old_check_version = serializers.IntegerField()
    old_status = serializers.ChoiceField(choices=SubmissionStatus.choices)
    old_score = serializers.FloatField()
    new_status = serializers.ChoiceField(choices=SubmissionStatus.choices, allow_null=True)
    new_score = serializers.FloatField(allow_null=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["new_status"] = data["new_status"] or None
        return data


class RegradeDetailOutputSerializer(RegradeOutputSerializer):
    summary = RegradeSummaryOutputSerializer()
    rows = RegradeRowOutputSerializer(many=True, help_text="old and new verdict per submission")


class RegradeDecisionOutputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=RegradeStatus.choices)
    accepted = serializers.IntegerField(help_text="submissions that took their new verdict")
    superseded = serializers.IntegerField(help_text="left alone: changed since regraded")
    learners = serializers.IntegerField(help_text="learners whose progress was recounted")


CONFLICT = OpenApiResponse(description="not possible now (still grading, or already decided)")


def _cohort_or_404(request: Request, cohort_id: int) -> Cohort:
    cohort = cohort_for_instructor(instructor=authenticated_user(request), cohort_id=cohort_id)
    if cohort is None:
        raise Http404
    return cohort


def _regrade_or_404(request: Request, cohort_id: int, regrade_id: int) -> Regrade:
    cohort = _cohort_or_404(request, cohort_id)
    regrade = regrading.regrades_for_cohort(cohort=cohort).filter(pk=regrade_id).first()
    if regrade is None:
        raise Http404
    return regrade


def _detail(regrade: Regrade) -> dict[str, Any]:
    """A regrade as RegradeDetailOutputSerializer describes it."""
    regrade.refresh_from_db()
    return {
        **RegradeOutputSerializer(regrade).data,
        "summary": RegradeSummaryOutputSerializer(regrading.regrade_summary(regrade=regrade)).data,
        "rows": RegradeRowOutputSerializer(regrading.regrade_rows(regrade=regrade), many=True).data,
    }


class CohortStaleSubmissionsApi(APIView):
    """Per exercise: how many of the cohort's submissions an older check version graded."""

    @extend_schema(responses=StaleCountOutputSerializer(many=True))
    def get(self, request: Request, cohort_id: int) -> Response:
        counts = regrading.stale_counts(cohort=_cohort_or_404(request, cohort_id))
        return Response(StaleCountOutputSerializer(counts, many=True).data)


class CohortRegradesApi(APIView):
    """GET: the cohort's regrades, newest first. POST: start one for an exercise (202; its
    batches grade in the background, behind learners' submissions)."""

    @extend_schema(responses=RegradeOutputSerializer(many=True))
    def get(self, request: Request, cohort_id: int) -> Response:
        regrades = regrading.regrades_for_cohort(cohort=_cohort_or_404(request, cohort_id))
        return Response(RegradeOutputSerializer(regrades, many=True).data)

    @extend_schema(
        request=RegradeInputSerializer,
        responses={202: RegradeDetailOutputSerializer, 409: CONFLICT},
    )
    def post(self, request: Request, cohort_id: int) -> Response:
        cohort = _cohort_or_404(request, cohort_id)
        serializer = RegradeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        exercise = exercise_get(slug=serializer.validated_data["exercise"])
        if exercise is None:
            raise ValidationError({"exercise": [_("No such exercise.")]})
        try:
            regrade = regrading.regrade_start(
                exercise=exercise, cohort=cohort, started_by=authenticated_user(request)
            )
        except regrading.RegradeRefused as exc:
            raise RegradeConflict(str(exc)) from exc
        return Response(_detail(regrade), status=status.HTTP_202_ACCEPTED)


class CohortRegradeApi(APIView):
    """A regrade and its table of changes: each submission's old and new verdict."""

    @extend_schema(responses=RegradeDetailOutputSerializer)
    def get(self, request: Request, cohort_id: int, regrade_id: int) -> Response:
        return Response(_detail(_regrade_or_404(request, cohort_id, regrade_id)))


class CohortRegradeAcceptApi(APIView):
    """Accept a finished regrade: each submission takes its new verdict (the old one is kept)
    and the learners' progress is recounted. 409 while grading or once decided."""

    @extend_schema(request=None, responses={200: RegradeDecisionOutputSerializer, 409: CONFLICT})
    def post(self, request: Request, cohort_id: int, regrade_id: int) -> Response:
        regrade = _regrade_or_404(request, cohort_id, regrade_id)
        try:
            decision = regrading.regrade_accept(regrade=regrade, by=authenticated_user(request))
        except regrading.RegradeRefused as exc:
            raise RegradeConflict(str(exc)) from exc
        data = {"status": RegradeStatus.ACCEPTED, **decision.__dict__}
        return Response(RegradeDecisionOutputSerializer(data).data)


class CohortRegradeDiscardApi(APIView):
    """Discard a regrade: nothing changes for anyone. 409 once decided."""

    @extend_schema(request=None, responses={200: RegradeDecisionOutputSerializer, 409: CONFLICT})
    def post(self, request: Request, cohort_id: int, regrade_id: int) -> Response:
        regrade = _regrade_or_404(request, cohort_id, regrade_id)
        try:
            regrading.regrade_discard(regrade=regrade, by=authenticated_user(request))
        except regrading.RegradeRefused as exc:
            raise RegradeConflict(str(exc)) from exc
        data = {"status": RegradeStatus.DISCARDED, "accepted": 0, "superseded": 0, "learners": 0}
        return Response(RegradeDecisionOutputSerializer(data).data)
