"""The progress API: thin views that validate, call a selector or service, and serialise."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from apps.curriculum.models import Exercise
from apps.curriculum.selectors import exercise_get, lesson_get, module_get
from apps.progress import selectors, services
from apps.progress.api.serializers import (
    CohortCreateInputSerializer,
    CohortExerciseSummaryCsvRowSerializer,
    CohortJoinedOutputSerializer,
    CohortJoinInputSerializer,
    CohortOutputSerializer,
    CohortProgressCsvRowSerializer,
    CohortProgressOutputSerializer,
    CohortSummaryOutputSerializer,
    CohortUpdateInputSerializer,
    HintsOutputSerializer,
    LessonReadOutputSerializer,
    ProgressOutputSerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
    UnlockedOutputSerializer,
)
from apps.progress.auth import authenticated_user
from apps.progress.deadlines import exercise_deadlines_for_cohort
from apps.progress.exports import cohort_exercise_summary_csv, cohort_progress_csv
from apps.progress.models import Cohort

# Versioned keys make stale entries unreachable; the timeout only bounds memory.
COHORT_PROGRESS_SECONDS = 600


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
    """GET: the cohorts you teach, archived ones too (learners get an empty list).

    POST {name}: an instructor creates a cohort they teach, with a fresh join code.
    """

    @extend_schema(responses=CohortOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        cohorts = selectors.cohorts_with_learner_counts(instructor=authenticated_user(request))
        return Response(CohortOutputSerializer(cohorts, many=True).data)

    @extend_schema(request=CohortCreateInputSerializer, responses={201: CohortOutputSerializer})
    def post(self, request: Request) -> Response:
        user = authenticated_user(request)
        if not selectors.user_is_instructor(user=user):
            raise PermissionDenied(gettext("Only instructors can create cohorts."))
        serializer = CohortCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with _as_api_errors("name"):
            cohort = services.cohort_create(name=serializer.validated_data["name"], instructor=user)
        return Response(_cohort_data(request, cohort.pk), status=status.HTTP_201_CREATED)


@contextmanager
def _as_api_errors(field: str) -> Iterator[None]:
    """A service's ValidationError as a 400 on ``field``, its PermissionDenied as a 403."""
    try:
        yield
    except DjangoValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc


def _cohort_or_404(request: Request, cohort_id: int) -> Cohort:
    """One of the requester's cohorts; anyone but its instructors gets a 404."""
    cohort = selectors.cohort_for_instructor(
        instructor=authenticated_user(request), cohort_id=cohort_id
    )
    if cohort is None:
        raise Http404
    return cohort


def _cohort_data(request: Request, cohort_id: int) -> Any:
    cohort = (
        selectors.cohorts_with_learner_counts(instructor=authenticated_user(request))
        .filter(pk=cohort_id)
        .get()
    )
    return CohortOutputSerializer(cohort).data


class CohortDetailApi(APIView):
    """One cohort you teach. PATCH renames it, archives it or reopens it (its instructors)."""

    @extend_schema(responses=CohortOutputSerializer)
    def get(self, request: Request, cohort_id: int) -> Response:
        cohort = _cohort_or_404(request, cohort_id)
        return Response(_cohort_data(request, cohort.pk))

    @extend_schema(request=CohortUpdateInputSerializer, responses=CohortOutputSerializer)
    def patch(self, request: Request, cohort_id: int) -> Response:
        cohort = _cohort_or_404(request, cohort_id)
        instructor = authenticated_user(request)
        serializer = CohortUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic(), _as_api_errors("name"):
            if "name" in data:
                services.cohort_rename(cohort=cohort, instructor=instructor, name=data["name"])
            if data.get("archived") is True:
                services.cohort_archive(cohort=cohort, instructor=instructor)
            elif data.get("archived") is False:
                services.cohort_unarchive(cohort=cohort, instructor=instructor)
        return Response(_cohort_data(request, cohort.pk))


class CohortJoinCodeApi(APIView):
    """POST gives the cohort a new join code; the old one stops working (its instructors)."""

    @extend_schema(request=None, responses=CohortOutputSerializer)
    def post(self, request: Request, cohort_id: int) -> Response:
        cohort = _cohort_or_404(request, cohort_id)
        with _as_api_errors("join_code"):
            services.cohort_join_code_rotate(cohort=cohort, instructor=authenticated_user(request))
        return Response(_cohort_data(request, cohort.pk))


class CohortProgressApi(APIView):
    """A cohort's learner × exercise best scores and per-exercise statistics (its instructors).

    With a shared cache, kept per cohort version as the dashboard is (a member's progress,
    the membership or the course changing moves it on): a 200-learner cohort's matrix cost
    ~58 ms of CPU to build per request. The cohort's own name and code are read fresh.
    """

    @extend_schema(responses=CohortProgressOutputSerializer)
    def get(self, request: Request, cohort_id: int) -> Response:
        cohort = _cohort_or_404(request, cohort_id)
        key = None
        if settings.SHARED_CACHE:
            key = selectors.cohort_dashboard_cache_key(cohort_id=cohort.pk) + ":api-progress"
        data = cache.get(key) if key else None
        if data is None:
            progress = selectors.cohort_progress(cohort=cohort)
            data = dict(CohortProgressOutputSerializer(progress).data)
            if key:
                cache.set(key, data, timeout=COHORT_PROGRESS_SECONDS)
        data["cohort"] = CohortSummaryOutputSerializer(cohort).data
        return Response(data)


class CsvNegotiation(BaseContentNegotiation):
    """The CSV views write their own body: a client that accepts only ``text/csv`` gets it
    (not a 406), and an error is answered in JSON whatever it asked for."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


CSV_FORMAT = (
    "UTF-8, comma-separated, one header row. Counts are integers; every other number is a "
    "decimal with a dot and four decimals (scores and rates are fractions from 0 to 1: 75% is "
    "0.7500); booleans are true/false; times are ISO 8601 UTC to the second "
    "(2026-12-06T14:05:09Z); an empty cell means it does not apply; text that would start a "
    "spreadsheet formula gets a leading apostrophe."
)


def _csv_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CohortProgressCsvApi(APIView):
    """A cohort's progress as a spreadsheet, in long format (its instructors)."""

    content_negotiation_class = CsvNegotiation

    @extend_schema(
        description=(
            "One row per learner × live exercise, every pair listed (attempted or not), "
            "learners by username, exercises in course order. " + CSV_FORMAT
        ),
        responses={
            (200, "text/csv"): OpenApiResponse(
                CohortProgressCsvRowSerializer(many=True),
                description="CSV: the header row, then one row per learner × exercise",
            )
        },
    )
    def get(self, request: Request, cohort_id: int) -> HttpResponse:
        cohort = _cohort_or_404(request, cohort_id)
        cells = selectors.cohort_cells(cohort=cohort)
        due = {
            exercise_id: deadline.due_at
            for exercise_id, deadline in exercise_deadlines_for_cohort(cohort=cohort).items()
        }
        return _csv_response(cohort_progress_csv(cells, due), f"cohort-{cohort_id}-progress.csv")


class CohortExerciseSummaryCsvApi(APIView):
    """How a cohort is doing on each exercise, as a spreadsheet (its instructors)."""

    content_negotiation_class = CsvNegotiation

    @extend_schema(
        description="One row per live exercise, in course order. " + CSV_FORMAT,
        responses={
            (200, "text/csv"): OpenApiResponse(
                CohortExerciseSummaryCsvRowSerializer(many=True),
                description="CSV: the header row, then one row per exercise",
            )
        },
    )
    def get(self, request: Request, cohort_id: int) -> HttpResponse:
        progress = selectors.cohort_progress(cohort=_cohort_or_404(request, cohort_id))
        return _csv_response(
            cohort_exercise_summary_csv(progress), f"cohort-{cohort_id}-exercise-summary.csv"
        )


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
