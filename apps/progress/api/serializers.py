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
    retention = serializers.FloatField(
        allow_null=True,
        help_text="passed: FSRS's probability you still solve it now (0.9 when a review is due)",
    )
    recall_factor = serializers.FloatField(
        help_text="what the best score counts for in mastery now: min(1, retention / 0.9)"
    )
    next_review = serializers.DateTimeField(allow_null=True)
    review_due = serializers.BooleanField()


class ModuleStandingOutputSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField(source="module.slug")
    title = serializers.CharField(source="module.title")
    kind = serializers.CharField(source="module.kind")
    mastery = serializers.FloatField(
        help_text=(
            "share of the module's points held now, 0 to 1: each exercise's best score weighed "
            "by its recall, so it fades while a review is overdue"
        )
    )
    earned = serializers.FloatField(
        help_text="share of the module's points earned (best scores; never falls; unlocks)"
    )
    reviews_due = serializers.IntegerField()
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
    reviews_due = serializers.IntegerField(help_text="passed exercises due for review now")
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


class CohortLessonOutputSerializer(serializers.Serializer[Any]):
    """A live lesson with concept checks."""

    slug = serializers.CharField(source="lesson.slug")
    title = serializers.CharField(source="lesson.title")
    module = serializers.CharField(source="lesson.module.slug")
    questions = serializers.IntegerField(help_text="its live concept checks")
    points = serializers.IntegerField(help_text="the points they are worth together")


class ConceptChecksOutputSerializer(serializers.Serializer[Any]):
    """One learner's concept checks in one lesson."""

    answered = serializers.IntegerField(help_text="concept checks answered at least once")
    correct = serializers.IntegerField(help_text="concept checks answered correctly")
    answers = serializers.IntegerField(help_text="answers given, right or wrong")


class CohortProgressOutputSerializer(serializers.Serializer[Any]):
    """A cohort's learner x exercise best scores and per-exercise statistics, and its
    learner x lesson concept checks."""

    cohort = CohortSummaryOutputSerializer()
    learners = LearnerOutputSerializer(many=True)
    exercises = CohortExerciseOutputSerializer(many=True)
    scores = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(allow_null=True)),
        help_text="scores[i][j]: learner i's best score on exercise j, null if never attempted",
    )
    exercise_stats = ExerciseStatsOutputSerializer(many=True)
    lessons = CohortLessonOutputSerializer(
        many=True, help_text="live lessons with concept checks, in course order"
    )
    concept_checks = serializers.ListField(
        child=ConceptChecksOutputSerializer(many=True),
        help_text="concept_checks[i][j]: learner i's concept checks in lesson j",
    )


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
    "One row of progress.csv: a learner against an exercise, or against a lesson's concept "
    "checks (the file's columns, in order).",
    PROGRESS_COLUMNS,
)
CohortExerciseSummaryCsvRowSerializer = _csv_row_serializer(
    "CohortExerciseSummaryCsvRow",
    "One row of exercise-summary.csv: an exercise (the file's columns, in order).",
    SUMMARY_COLUMNS,
)
