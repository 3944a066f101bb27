from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.curriculum import selectors
from apps.curriculum.api.serializers import ExerciseSerializer, LessonSerializer, ModuleSerializer
from apps.curriculum.models import Module


class ModuleListApi(APIView):
    """The course: modules in order, each with its prerequisites, lessons and exercises.

    The same for everyone and changed only by a sync: serialized once per outline (the
    per-process, per-revision rows every course page shares), not per request. It read
    every column of every lesson and exercise before, figures included (~125 ms of CPU).
    """

    permission_classes = [AllowAny]
    _serialized: tuple[tuple[Module, ...], Any] | None = None

    @extend_schema(responses=ModuleSerializer(many=True))
    def get(self, request: Request) -> Response:
        modules = selectors.modules_outline()
        serialized = ModuleListApi._serialized
        if serialized is None or serialized[0] is not modules:
            serialized = (modules, ModuleSerializer(modules, many=True).data)
            ModuleListApi._serialized = serialized
        return Response(serialized[1])


class LessonDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=LessonSerializer)
    def get(self, request: Request, module_slug: str, lesson_slug: str) -> Response:
        lesson = selectors.lesson_get(module_slug=module_slug, lesson_slug=lesson_slug)
        if lesson is None:
            raise Http404
        return Response(LessonSerializer(lesson).data)


class ExerciseDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ExerciseSerializer)
    def get(self, request: Request, slug: str) -> Response:
        exercise = selectors.exercise_get(slug=slug)
        if exercise is None:
            raise Http404
        return Response(ExerciseSerializer(exercise).data)
