# Cohorts can be archived; a learner's progress on an exercise remembers their last attempt.

from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery


def backfill_last_attempt(apps, schema_editor):
    """The newest graded-attempt event, else the row's last change (an upper bound).

    Attempts graded before the learning-event outbox existed left no event; for those the
    row's ``updated_at`` (last attempt or hint) is the closest time progress kept.
    """
    ExerciseProgress = apps.get_model("progress", "ExerciseProgress")
    LearningEvent = apps.get_model("progress", "LearningEvent")
    newest_event = (
        LearningEvent.objects.filter(
            kind="attempt_graded", user_id=OuterRef("user_id"), exercise_id=OuterRef("exercise_id")
        )
        .values("user_id")
        .annotate(newest=Max("occurred_at"))
        .values("newest")
    )
    attempted = ExerciseProgress.objects.filter(attempts__gt=0, last_attempt_at__isnull=True)
    attempted.update(last_attempt_at=Subquery(newest_event))
    attempted.filter(last_attempt_at__isnull=True).update(last_attempt_at=models.F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0004_learning_events"),
    ]

    operations = [
        migrations.AddField(
            model_name="cohort",
            name="archived_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="exerciseprogress",
            name="last_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(backfill_last_attempt, migrations.RunPython.noop),
    ]
