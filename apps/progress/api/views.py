from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from apps.curriculum.models import Exercise
from apps.curriculum.selectors import exercise_get, lesson_get
from apps.progress import selectors, services
from apps.progress.auth import authenticated_user
from apps.progress.exports import cohort_progress_csv
from apps.progress.models import Cohort


class LoginThrottle(ScopedRateThrottle):
    scope = "login"


class TokenApi(ObtainAuthToken):
    """POST {username, password} → {token}. Throttled per client address."""

    throttle_classes = [LoginThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=inline_serializer(
            "TokenInput", {"username": serializers.CharField(), "password": serializers.CharField()}
        ),
        responses=inline_serializer("TokenOutput", {"token": serializers.CharField()}),
    )
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().post(request, *args, **kwargs)


class ProgressMeApi(APIView):
    @extend_schema(
        responses=OpenApiResponse(description="the learner's modules, exercises, streak")
    )
    def get(self, request: Request) -> Response:
        return Response(selectors.progress_for_user(user=authenticated_user(request)))


class HintRevealApi(APIView):
    """POST reveals the next hint of an exercise; GET lists those already revealed."""

    def _exercise(self, slug: str) -> Exercise:
        exercise = exercise_get(slug=slug)
        if exercise is None:
            raise Http404
        return exercise

    @extend_schema(
        responses=inline_serializer(
            "Hints",
            {
                "revealed": serializers.IntegerField(),
                "total": serializers.IntegerField(),
                "hints": serializers.ListField(child=serializers.CharField()),
            },
        )
    )
    def get(self, request: Request, slug: str) -> Response:
        exercise = self._exercise(slug)
        progress = selectors.exercise_progress_for_user(
            user=authenticated_user(request), exercise=exercise
        )
        revealed = progress.hints_revealed if progress else 0
        return Response(
            {"revealed": revealed, "total": len(exercise.hints), "hints": exercise.hints[:revealed]}
        )

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "HintsRevealed",
            {
                "revealed": serializers.IntegerField(),
                "total": serializers.IntegerField(),
                "hints": serializers.ListField(child=serializers.CharField()),
            },
        ),
    )
    def post(self, request: Request, slug: str) -> Response:
        exercise = self._exercise(slug)
        revealed, hints = services.hint_reveal(user=authenticated_user(request), exercise=exercise)
        return Response({"revealed": revealed, "total": len(exercise.hints), "hints": hints})


class LessonReadApi(APIView):
    @extend_schema(
        request=None,
        responses=inline_serializer("LessonRead", {"read": serializers.BooleanField()}),
    )
    def post(self, request: Request, module_slug: str, lesson_slug: str) -> Response:
        lesson = lesson_get(module_slug=module_slug, lesson_slug=lesson_slug)
        if lesson is None:
            raise Http404
        services.lesson_mark_read(user=authenticated_user(request), lesson=lesson)
        return Response({"read": True})


class CohortJoinApi(APIView):
    @extend_schema(
        request=inline_serializer("JoinInput", {"join_code": serializers.CharField()}),
        responses=inline_serializer(
            "Joined", {"id": serializers.IntegerField(), "name": serializers.CharField()}
        ),
    )
    def post(self, request: Request) -> Response:
        code = request.data.get("join_code") if isinstance(request.data, dict) else None
        if not isinstance(code, str) or not code.strip():
            return Response(
                {"join_code": ["This field is required."]}, status=status.HTTP_400_BAD_REQUEST
            )
        try:
            cohort = services.cohort_join(user=authenticated_user(request), join_code=code)
        except ValidationError as exc:
            return Response({"join_code": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"id": cohort.pk, "name": cohort.name})


class CohortListApi(APIView):
    """The cohorts you teach (instructors) — learners get an empty list."""

    @extend_schema(
        responses=inline_serializer(
            "Cohort",
            {
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "join_code": serializers.CharField(),
                "learners": serializers.IntegerField(),
            },
            many=True,
        )
    )
    def get(self, request: Request) -> Response:
        cohorts = selectors.cohorts_for_instructor(
            instructor=authenticated_user(request)
        ).prefetch_related("enrollments")
        return Response(
            [
                {
                    "id": c.pk,
                    "name": c.name,
                    "join_code": c.join_code,
                    "learners": len(c.enrollments.all()),
                }
                for c in cohorts
            ]
        )


def _cohort_or_404(request: Request, cohort_id: int) -> Cohort:
    cohort = selectors.cohort_for_instructor(
        instructor=authenticated_user(request), cohort_id=cohort_id
    )
    if cohort is None:
        raise Http404
    return cohort


class CohortProgressApi(APIView):
    """A cohort's learner × exercise best scores and per-exercise statistics (its instructors)."""

    @extend_schema(responses=OpenApiResponse(description="matrix and statistics"))
    def get(self, request: Request, cohort_id: int) -> Response:
        progress = selectors.cohort_progress(cohort=_cohort_or_404(request, cohort_id))
        return Response(
            {
                "cohort": {
                    "id": progress.cohort.pk,
                    "name": progress.cohort.name,
                    "join_code": progress.cohort.join_code,
                },
                "learners": [{"id": u.pk, "username": u.username} for u in progress.learners],
                "exercises": [
                    {"slug": e.slug, "title": e.title, "module": e.module.slug}
                    for e in progress.exercises
                ],
                "scores": progress.scores,
                "exercise_stats": progress.exercise_stats,
            }
        )


class CohortProgressCsvApi(APIView):
    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(description="CSV")})
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
    @extend_schema(
        request=None,
        responses=inline_serializer("Unlocked", {"unlocked": serializers.BooleanField()}),
    )
    def post(self, request: Request, cohort_id: int, user_id: int, module_slug: str) -> Response:
        from django.contrib.auth import get_user_model

        from apps.curriculum.selectors import module_get

        _cohort_or_404(request, cohort_id)
        learner = (
            get_user_model().objects.filter(pk=user_id, enrollments__cohort_id=cohort_id).first()
        )
        module = module_get(slug=module_slug)
        if learner is None or module is None:
            raise Http404
        instructor = authenticated_user(request)
        try:
            services.module_unlock(instructor=instructor, learner=learner, module=module)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        return Response({"unlocked": True})
