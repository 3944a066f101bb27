from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.curriculum import selectors
from apps.curriculum.api.serializers import ExerciseSerializer, LessonSerializer, ModuleSerializer


class ModuleListApi(APIView):
    """The course: modules in order, each with its prerequisites, lessons and exercises."""

    permission_classes = [AllowAny]

    @extend_schema(responses=ModuleSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(ModuleSerializer(selectors.modules_list(), many=True).data)


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
