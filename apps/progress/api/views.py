"""The progress API: thin views that validate, call a selector or service, and serialise."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from apps.curriculum.models import Exercise
from apps.curriculum.selectors import exercise_get, lesson_get, module_get
from apps.progress import selectors, services
from apps.progress.api.serializers import (
    CohortJoinedOutputSerializer,
    CohortJoinInputSerializer,
    CohortOutputSerializer,
    CohortProgressOutputSerializer,
    HintsOutputSerializer,
    LessonReadOutputSerializer,
    ProgressOutputSerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
    UnlockedOutputSerializer,
)
from apps.progress.auth import authenticated_user
from apps.progress.exports import cohort_progress_csv
from apps.progress.models import Cohort


class LoginThrottle(ScopedRateThrottle):
    scope = "login"


class TokenApi(ObtainAuthToken):
    """POST {username, password} → {token}. Throttled per client address."""

    throttle_classes = [LoginThrottle]
    throttle_scope = "login"

    @extend_schema(request=TokenInputSerializer, responses=TokenOutputSerializer)
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().post(request, *args, **kwargs)


class ProgressMeApi(APIView):
    """Your whole course: each module's mastery and lock state, lessons read, exercises."""

    @extend_schema(responses=ProgressOutputSerializer)
    def get(self, request: Request) -> Response:
        progress = selectors.progress_for_user(user=authenticated_user(request))
        return Response(ProgressOutputSerializer(progress).data)


def _exercise_or_404(slug: str) -> Exercise:
    exercise = exercise_get(slug=slug)
    if exercise is None:
        raise Http404
    return exercise


def _hints(exercise: Exercise, revealed: int) -> Response:
    data = {"revealed": revealed, "total": len(exercise.hints), "hints": exercise.hints[:revealed]}
    return Response(HintsOutputSerializer(data).data)


class HintRevealApi(APIView):
    """POST reveals the next hint of an exercise; GET lists those already revealed."""

    @extend_schema(responses=HintsOutputSerializer)
    def get(self, request: Request, slug: str) -> Response:
        exercise = _exercise_or_404(slug)
        progress = selectors.exercise_progress_for_user(
            user=authenticated_user(request), exercise=exercise
        )
        return _hints(exercise, progress.hints_revealed if progress else 0)

    @extend_schema(request=None, responses=HintsOutputSerializer)
    def post(self, request: Request, slug: str) -> Response:
        exercise = _exercise_or_404(slug)
        revealed, _ = services.hint_reveal(user=authenticated_user(request), exercise=exercise)
        return _hints(exercise, revealed)


class LessonReadApi(APIView):
    @extend_schema(request=None, responses=LessonReadOutputSerializer)
    def post(self, request: Request, module_slug: str, lesson_slug: str) -> Response:
        lesson = lesson_get(module_slug=module_slug, lesson_slug=lesson_slug)
        if lesson is None:
            raise Http404
        services.lesson_mark_read(user=authenticated_user(request), lesson=lesson)
        return Response(LessonReadOutputSerializer({"read": True}).data)


class CohortJoinApi(APIView):
    @extend_schema(request=CohortJoinInputSerializer, responses=CohortJoinedOutputSerializer)
    def post(self, request: Request) -> Response:
        serializer = CohortJoinInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            cohort = services.cohort_join(
                user=authenticated_user(request),
                join_code=serializer.validated_data["join_code"],
            )
        except DjangoValidationError as exc:
            raise ValidationError({"join_code": exc.messages}) from exc
        return Response(CohortJoinedOutputSerializer(cohort).data)


class CohortListApi(APIView):
    """The cohorts you teach (instructors); learners get an empty list."""

    @extend_schema(responses=CohortOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        cohorts = selectors.cohorts_with_learner_counts(instructor=authenticated_user(request))
        return Response(CohortOutputSerializer(cohorts, many=True).data)


def _cohort_or_404(request: Request, cohort_id: int) -> Cohort:
    cohort = selectors.cohort_for_instructor(
        instructor=authenticated_user(request), cohort_id=cohort_id
    )
    if cohort is None:
        raise Http404
    return cohort


class CohortProgressApi(APIView):
    """A cohort's learner × exercise best scores and per-exercise statistics (its instructors)."""

    @extend_schema(responses=CohortProgressOutputSerializer)
    def get(self, request: Request, cohort_id: int) -> Response:
        progress = selectors.cohort_progress(cohort=_cohort_or_404(request, cohort_id))
        return Response(CohortProgressOutputSerializer(progress).data)


class CohortProgressCsvApi(APIView):
    """The same as a spreadsheet: the matrix, then the per-exercise statistics."""

    @extend_schema(
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV")}
    )
    def get(self, request: Request, cohort_id: int) -> HttpResponse:
        progress = selectors.cohort_progress(cohort=_cohort_or_404(request, cohort_id))
        response = HttpResponse(
            cohort_progress_csv(progress), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="cohort-{progress.cohort.pk}-progress.csv"'
        )
        return response


class ModuleUnlockApi(APIView):
    """An instructor opens a module for one learner of their cohort, prerequisites or not."""

    @extend_schema(request=None, responses=UnlockedOutputSerializer)
    def post(self, request: Request, cohort_id: int, user_id: int, module_slug: str) -> Response:
        _cohort_or_404(request, cohort_id)
        learner = (
            get_user_model().objects.filter(pk=user_id, enrollments__cohort_id=cohort_id).first()
        )
        module = module_get(slug=module_slug)
        if learner is None or module is None:
            raise Http404
        try:
            services.module_unlock(
                instructor=authenticated_user(request), learner=learner, module=module
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        return Response(UnlockedOutputSerializer({"unlocked": True}).data)
