"""Concept checks through the API: your variant of a lesson's questions, and your answers.

GET  modules/{m}/lessons/{l}/questions/                  your variant of each, in page order
GET  modules/{m}/lessons/{l}/questions/{name}/           one of them
POST modules/{m}/lessons/{l}/questions/{name}/answers/   {answer} -> graded, with a message

Signed-in learners only; each sees and answers only their own variant (nothing here takes
another user's id). The answer itself is never sent, unless the tries ran out ("revealed").
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from apps.curriculum.models import Question
from apps.curriculum.selectors import lesson_get, question_get
from apps.progress.auth import authenticated_user
from apps.progress.questions import (
    QuestionState,
    question_answer,
    question_state,
    questions_for_learner,
)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string"},
            {"type": "number"},
            {"type": "array", "items": {}},
        ],
        "description": "text as a learner types it (2/3, 1, 2; 3, 4), a number, a list "
        "(of rows), or a choice's option index",
    }
)
class AnswerField(serializers.JSONField):
    pass


class AnswerInputSerializer(serializers.Serializer[Any]):
    answer = AnswerField()


class OptionOutputSerializer(serializers.Serializer[Any]):
    index = serializers.IntegerField()
    html = serializers.CharField()


class QuestionOutputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="question.name")
    kind = serializers.ChoiceField(choices=["number", "vector", "matrix", "choice"])
    prompt_html = serializers.CharField(source="variant.prompt_html")
    options = OptionOutputSerializer(many=True, allow_null=True)
    shape = serializers.ListField(
        child=serializers.IntegerField(), allow_null=True, help_text="of a vector or matrix"
    )
    answer_format = serializers.CharField()
    points = serializers.IntegerField(source="question.points")
    variant = serializers.IntegerField(source="variant.variant")
    attempts = serializers.IntegerField()
    tries_left = serializers.IntegerField(help_text="wrong answers before it is shown")
    solved = serializers.BooleanField(help_text="answered correctly once (counts in mastery)")


class AnswerOutputSerializer(serializers.Serializer[Any]):
    correct = serializers.BooleanField(source="feedback.correct")
    message = serializers.CharField(source="feedback.message")
    revealed = serializers.CharField(
        allow_null=True, help_text="the answer, once the tries ran out (new numbers follow)"
    )
    question = QuestionOutputSerializer(source="state")


class AnswerThrottle(ScopedRateThrottle):
    # Only answering is throttled: guessing a choice by brute force should be slow.
    def allow_request(self, request: Request, view: APIView) -> bool:
        return request.method != "POST" or super().allow_request(request, view)


def _question_or_404(module_slug: str, lesson_slug: str, name: str) -> Question:
    question = question_get(module_slug=module_slug, lesson_slug=lesson_slug, name=name)
    if question is None:
        raise Http404
    return question


def _out(state: QuestionState) -> dict[str, Any]:
    return dict(QuestionOutputSerializer(state).data)


class LessonQuestionsApi(APIView):
    """Your variant of each concept check in a lesson."""

    @extend_schema(responses=QuestionOutputSerializer(many=True))
    def get(self, request: Request, module_slug: str, lesson_slug: str) -> Response:
        lesson = lesson_get(module_slug=module_slug, lesson_slug=lesson_slug)
        if lesson is None:
            raise Http404
        states = questions_for_learner(lesson=lesson, user=authenticated_user(request))
        return Response(QuestionOutputSerializer(states, many=True).data)


class QuestionDetailApi(APIView):
    """Your variant of one concept check and your standing on it."""

    @extend_schema(responses=QuestionOutputSerializer)
    def get(self, request: Request, module_slug: str, lesson_slug: str, name: str) -> Response:
        question = _question_or_404(module_slug, lesson_slug, name)
        return Response(_out(question_state(question=question, user=authenticated_user(request))))


class QuestionAnswerApi(APIView):
    """Answer your variant: graded on the server, with a message for known mistakes."""

    throttle_classes = [AnswerThrottle]
    throttle_scope = "answers"

    @extend_schema(request=AnswerInputSerializer, responses=AnswerOutputSerializer)
    def post(self, request: Request, module_slug: str, lesson_slug: str, name: str) -> Response:
        question = _question_or_404(module_slug, lesson_slug, name)
        serializer = AnswerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = question_answer(
            user=authenticated_user(request),
            question=question,
            answer=serializer.validated_data["answer"],
        )
        if not outcome.feedback.valid:
            raise ValidationError({"answer": [outcome.feedback.message]})
        return Response(AnswerOutputSerializer(outcome).data)
