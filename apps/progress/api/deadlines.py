"""The deadlines API: a cohort's deadlines (its members read, its instructors set), a
learner's own, and the cohort's on-time / late / missing marks (its instructors)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.curriculum.selectors import exercise_get, module_get
from apps.progress import deadlines, selectors
from apps.progress.auth import authenticated_user
from apps.progress.deadlines import DEADLINE_MARKS, DeadlineReport
from apps.progress.models import Cohort, Deadline

MARKS = DEADLINE_MARKS


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date and time that must carry its time zone (Z or an offset): a naive time
    or a bare date would otherwise be read as UTC, hours or a day off the instructor's meaning."""

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:  # well formed but impossible: DateTimeField says so below
                return super().to_internal_value(value)
            if parsed is None or parsed.tzinfo is None:
                raise serializers.ValidationError(
                    _(
                        "Give the date and time with a time zone offset, "
                        "e.g. 2031-03-01T12:00:00+08:00 (or Z for UTC)."
                    )
                )
        return super().to_internal_value(value)


class DeadlineInputSerializer(serializers.Serializer[Any]):
    module = serializers.SlugField(required=False, help_text="a module's slug, or")
    exercise = serializers.SlugField(required=False, help_text="an exercise's slug")
    due_at = AwareDateTimeField(
        help_text="ISO 8601 date and time with a time zone offset, e.g. "
        "2031-03-01T12:00:00+08:00 or 2031-03-01T04:00:00Z; a time without an offset or a "
        "bare date is refused (400)"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("module" in attrs) == ("exercise" in attrs):
            raise serializers.ValidationError(_("Give a module or an exercise, not both."))
        return attrs


class DeadlineOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    module = serializers.CharField(source="module.slug", allow_null=True, default=None)
    exercise = serializers.CharField(source="exercise.slug", allow_null=True, default=None)
    title = serializers.SerializerMethodField()
    due_at = serializers.DateTimeField()

    def get_title(self, deadline: Deadline) -> str:
        target = deadline.exercise or deadline.module
        return target.title if target else ""


class LearnerDeadlineOutputSerializer(serializers.Serializer[Any]):
    exercise = serializers.CharField(source="exercise.slug")
    title = serializers.CharField(source="exercise.title")
    due_at = serializers.DateTimeField()
    cohort = serializers.CharField(source="cohort.name")
    mark = serializers.ChoiceField(choices=MARKS)
    first_passed_at = serializers.DateTimeField(allow_null=True)


class DeadlineColumnOutputSerializer(serializers.Serializer[Any]):
    exercise = serializers.CharField()
    due_at = serializers.DateTimeField()


class LearnerMarksOutputSerializer(serializers.Serializer[Any]):
    learner = serializers.CharField()
    marks = serializers.ListField(
        child=serializers.ChoiceField(choices=MARKS), help_text="one per exercise, in order"
    )
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missing = serializers.IntegerField()


class DeadlineReportOutputSerializer(serializers.Serializer[Any]):
    exercises = DeadlineColumnOutputSerializer(many=True)
    learners = LearnerMarksOutputSerializer(many=True)

    def to_representation(self, report: DeadlineReport) -> dict[str, Any]:
        return {
            "exercises": [
                {"exercise": e.slug, "due_at": serializers.DateTimeField().to_representation(d)}
                for e, d in zip(report.exercises, report.due, strict=True)
            ],
            "learners": [
                {
                    "learner": row.learner.get_username(),
                    "marks": [str(mark) for mark in row.marks],
                    "on_time": row.on_time,
                    "late": row.late,
                    "missing": row.missing,
                }
                for row in report.rows
            ],
        }


def _member_cohort_or_404(request: Request, cohort_id: int) -> Cohort:
    cohort = deadlines.cohort_for_member(user=authenticated_user(request), cohort_id=cohort_id)
    if cohort is None:
        raise Http404
    return cohort


def _taught_cohort_or_404(request: Request, cohort_id: int) -> Cohort:
    cohort = selectors.cohort_for_instructor(
        instructor=authenticated_user(request), cohort_id=cohort_id
    )
    if cohort is None:
        raise Http404
    return cohort


def _target(data: dict[str, Any]) -> dict[str, Any]:
    if "module" in data:
        module = module_get(slug=data["module"])
        if module is None:
            raise ValidationError({"module": [_("No such module.")]})
        return {"module": module}
    exercise = exercise_get(slug=data["exercise"])
    if exercise is None:
        raise ValidationError({"exercise": [_("No such exercise.")]})
    return {"exercise": exercise}


class CohortDeadlinesApi(APIView):
    """GET: a cohort's deadlines (its instructors and learners; anyone else 404).
    POST: set or move one (its instructors; its learners 403)."""

    @extend_schema(responses=DeadlineOutputSerializer(many=True))
    def get(self, request: Request, cohort_id: int) -> Response:
        cohort = _member_cohort_or_404(request, cohort_id)
        rows = deadlines.deadlines_for_cohort(cohort=cohort)
        return Response(DeadlineOutputSerializer(rows, many=True).data)

    @extend_schema(request=DeadlineInputSerializer, responses={200: DeadlineOutputSerializer})
    def post(self, request: Request, cohort_id: int) -> Response:
        cohort = _member_cohort_or_404(request, cohort_id)
        serializer = DeadlineInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            deadline = deadlines.deadline_set(
                cohort=cohort,
                instructor=authenticated_user(request),
                due_at=serializer.validated_data["due_at"],
                **_target(serializer.validated_data),
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise ValidationError({"due_at": exc.messages}) from exc
        return Response(DeadlineOutputSerializer(deadline).data)


class CohortDeadlineApi(APIView):
    """DELETE: remove one of a cohort's deadlines (its instructors; anyone else 404)."""

    @extend_schema(request=None, responses={204: OpenApiResponse(description="removed")})
    def delete(self, request: Request, cohort_id: int, deadline_id: int) -> Response:
        cohort = _taught_cohort_or_404(request, cohort_id)
        deadline = Deadline.objects.filter(cohort=cohort, pk=deadline_id).first()
        if deadline is None:
            raise Http404
        deadlines.deadline_remove(deadline=deadline, instructor=authenticated_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CohortDeadlineMarksApi(APIView):
    """Each learner of a cohort against each exercise with a deadline: on_time, late,
    missing or open (its instructors)."""

    @extend_schema(responses=DeadlineReportOutputSerializer)
    def get(self, request: Request, cohort_id: int) -> Response:
        report = deadlines.cohort_deadline_report(cohort=_taught_cohort_or_404(request, cohort_id))
        return Response(DeadlineReportOutputSerializer(report).data)


class MyDeadlinesApi(APIView):
    """Your deadlines: for each exercise, the earliest any of your cohorts set, and how you
    stand (soonest first)."""

    @extend_schema(responses=LearnerDeadlineOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        mine = deadlines.deadlines_for_learner(user=authenticated_user(request))
        items = sorted(mine.values(), key=lambda d: (d.due_at, d.exercise.slug))
        return Response(LearnerDeadlineOutputSerializer(items, many=True).data)
