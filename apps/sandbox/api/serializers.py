from __future__ import annotations

from rest_framework import serializers

from apps.curriculum.models import Exercise
from apps.sandbox.models import Submission


class SubmissionInputSerializer(serializers.Serializer):
    # The 64 KiB limit is checked by the service on the UTF-8 bytes, with its own message;
    # this bound only stops absurd bodies before they are parsed further.
    code = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=1_000_000)


class ResultSerializer(serializers.ModelSerializer):
    """The result schema shared by the CLI, the API and the pages."""

    exercise: serializers.SlugRelatedField[Exercise] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Submission
        fields = [
            "id",
            "exercise",
            "status",
            "score",
            "checks",
            "figures",
            "stdout",
            "stderr",
            "error",
            "duration_ms",
            "content_version",
            "created_at",
            "finished_at",
        ]


class SubmissionSerializer(ResultSerializer):
    class Meta(ResultSerializer.Meta):
        fields = [*ResultSerializer.Meta.fields, "code"]


class SubmissionHistorySerializer(serializers.ModelSerializer):
    exercise: serializers.SlugRelatedField[Exercise] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Submission
        fields = ["id", "exercise", "status", "score", "duration_ms", "created_at", "finished_at"]
