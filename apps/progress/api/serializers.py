"""Input and output of the progress API: tokens, progress, hints, cohorts and their dashboards."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.progress.exports import PROGRESS_COLUMNS, SUMMARY_COLUMNS
from apps.progress.selectors import ModuleStanding


class TokenInputSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False)


class TokenOutputSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


class LessonStandingOutputSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField(source="lesson.slug")
    read = serializers.BooleanField()


class ExerciseStandingOutputSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField(source="exercise.slug")
    title = serializers.CharField(source="exercise.title")
    best_score = serializers.FloatField()
    attempts = serializers.IntegerField()
    passed = serializers.BooleanField()


class ModuleStandingOutputSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField(source="module.slug")
    title = serializers.CharField(source="module.title")
    kind = serializers.CharField(source="module.kind")
    mastery = serializers.FloatField(help_text="share of the module's points earned, 0 to 1")
    unlocked = serializers.BooleanField()
    mastered = serializers.BooleanField()
    prerequisites = serializers.SerializerMethodField(help_text="module slugs")
    lessons = LessonStandingOutputSerializer(many=True)
    exercises = ExerciseStandingOutputSerializer(many=True)

    def get_prerequisites(self, standing: ModuleStanding) -> list[str]:
        return [module.slug for module in standing.prerequisites]


class ProgressOutputSerializer(serializers.Serializer[Any]):
    """A learner's whole course (a LearnerProgress)."""

    streak_days = serializers.IntegerField()
    exercises_passed = serializers.IntegerField()
    exercises_total = serializers.IntegerField()
    lessons_read = serializers.IntegerField()
    modules = ModuleStandingOutputSerializer(many=True)


class HintsOutputSerializer(serializers.Serializer[Any]):
    revealed = serializers.IntegerField()
    total = serializers.IntegerField()
    hints = serializers.ListField(child=serializers.CharField())


class LessonReadOutputSerializer(serializers.Serializer[Any]):
    read = serializers.BooleanField()


class CohortJoinInputSerializer(serializers.Serializer[Any]):
    join_code = serializers.CharField()


class CohortJoinedOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class CohortOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    join_code = serializers.CharField(
        help_text="what learners type to join (refused while archived)"
    )
    learners = serializers.IntegerField(source="learner_count")
    archived = serializers.BooleanField(help_text="archived: nobody can join, progress stays")
    created_at = serializers.DateTimeField()
    archived_at = serializers.DateTimeField(allow_null=True)


class CohortCreateInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)


class CohortUpdateInputSerializer(serializers.Serializer[Any]):
    """Rename, archive or reopen: send only what changes."""

    name = serializers.CharField(max_length=120, required=False)
    archived = serializers.BooleanField(required=False)


class CohortSummaryOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    join_code = serializers.CharField()


class LearnerOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    username = serializers.CharField()


class CohortExerciseOutputSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    title = serializers.CharField()
    module = serializers.CharField(source="module.slug")


class CheckFailuresOutputSerializer(serializers.Serializer[Any]):
    check = serializers.CharField()
    failures = serializers.IntegerField()


class ExerciseStatsOutputSerializer(serializers.Serializer[Any]):
    exercise = serializers.CharField()
    title = serializers.CharField()
    module = serializers.CharField()
    attempted = serializers.IntegerField()
    passed = serializers.IntegerField()
    pass_rate = serializers.FloatField(allow_null=True)
    median_attempts_to_pass = serializers.FloatField(allow_null=True)
    most_failed_checks = CheckFailuresOutputSerializer(many=True)
    mean_best_score = serializers.FloatField(
        allow_null=True, help_text="mean best score of those who attempted it, 0 to 1"
    )


class CohortProgressOutputSerializer(serializers.Serializer[Any]):
    """A cohort's learner x exercise best scores and per-exercise statistics."""

    cohort = CohortSummaryOutputSerializer()
    learners = LearnerOutputSerializer(many=True)
    exercises = CohortExerciseOutputSerializer(many=True)
    scores = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(allow_null=True)),
        help_text="scores[i][j]: learner i's best score on exercise j, null if never attempted",
    )
    exercise_stats = ExerciseStatsOutputSerializer(many=True)


class UnlockedOutputSerializer(serializers.Serializer[Any]):
    unlocked = serializers.BooleanField()


def _csv_row_serializer(
    name: str, doc: str, columns: tuple[tuple[str, str], ...]
) -> type[serializers.Serializer[Any]]:
    """A schema for one CSV row: every column a string, described, in the file's order."""
    fields: dict[str, Any] = {
        column: serializers.CharField(help_text=description, allow_blank=True)
        for column, description in columns
    }
    return type(name, (serializers.Serializer,), {"__doc__": doc, **fields})


CohortProgressCsvRowSerializer = _csv_row_serializer(
    "CohortProgressCsvRow",
    "One row of progress.csv: a learner against an exercise (the file's columns, in order).",
    PROGRESS_COLUMNS,
)
CohortExerciseSummaryCsvRowSerializer = _csv_row_serializer(
    "CohortExerciseSummaryCsvRow",
    "One row of exercise-summary.csv: an exercise (the file's columns, in order).",
    SUMMARY_COLUMNS,
)
