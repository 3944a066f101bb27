from __future__ import annotations

from rest_framework import serializers

from apps.curriculum.models import Exercise, Lesson, Module


class LessonSummarySerializer(serializers.ModelSerializer[Lesson]):
    class Meta:
        model = Lesson
        fields = ["slug", "title", "order", "summary"]


class ExerciseSummarySerializer(serializers.ModelSerializer[Exercise]):
    class Meta:
        model = Exercise
        fields = ["slug", "title", "order", "points"]


class ModuleSerializer(serializers.ModelSerializer[Module]):
    prerequisites: serializers.SlugRelatedField[Module] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    lessons = LessonSummarySerializer(many=True, read_only=True)
    exercises = ExerciseSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Module
        fields = [
            "slug",
            "title",
            "kind",
            "order",
            "overview",
            "prerequisites",
            "further_reading",
            "total_points",
            "lessons",
            "exercises",
        ]


class LessonSerializer(serializers.ModelSerializer[Lesson]):
    module: serializers.SlugRelatedField[Module] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Lesson
        fields = ["module", "slug", "title", "order", "summary", "body_html", "figures"]


class ExerciseSerializer(serializers.ModelSerializer[Exercise]):
    module: serializers.SlugRelatedField[Module] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    lesson: serializers.SlugRelatedField[Lesson] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    hint_count = serializers.SerializerMethodField()

    class Meta:
        model = Exercise
        fields = [
            "slug",
            "title",
            "module",
            "lesson",
            "order",
            "points",
            "prompt_html",
            "starter_code",
            "functions",
            "limits",
            "hint_count",
            "content_version",
            "try_input",
        ]

    def get_hint_count(self, exercise: Exercise) -> int:
        return len(exercise.hints)
