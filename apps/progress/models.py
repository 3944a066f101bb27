import secrets

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.LEARNER)

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


def new_join_code() -> str:
    # Unambiguous characters: a code is read aloud in class and typed on phones.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Cohort(models.Model):
    name = models.CharField(max_length=120)
    join_code = models.CharField(max_length=16, unique=True, default=new_join_code)
    instructors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="taught_cohorts")
    created_at = models.DateTimeField(auto_now_add=True)
    # An archived cohort keeps its members and progress for its instructors to read, but
    # nobody can join it any more and it leaves the instructor's list of current cohorts.
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class Enrollment(models.Model):
    # Indexed by the unique (cohort, user) constraint, which leads with it.
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="enrollments", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="enrollment_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.cohort_id}"


class ExerciseProgress(models.Model):
    """A learner's standing on one exercise, updated by the grading task (never recomputed)."""

    # No single-column indexes: the unique (user, exercise) and progress_by_exercise
    # (exercise, user) indexes lead with each column already.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exercise_progress",
        db_index=False,
    )
    exercise = models.ForeignKey(
        "curriculum.Exercise", on_delete=models.CASCADE, related_name="progress", db_index=False
    )
    attempts = models.PositiveIntegerField(default=0)
    best_score = models.FloatField(default=0.0)
    hints_revealed = models.PositiveSmallIntegerField(default=0)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    first_passed_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    attempts_to_pass = models.PositiveIntegerField(null=True, blank=True)
    seconds_to_pass = models.FloatField(null=True, blank=True)
    last_submission_id = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "exercise"], name="exercise_progress_unique")
        ]
        indexes = [models.Index(fields=["exercise", "user"], name="progress_by_exercise")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.exercise_id}: {self.best_score}"

    @property
    def passed(self) -> bool:
        return self.first_passed_at is not None


class CountedSubmission(models.Model):
    """A graded submission already counted in its learner's progress.

    Written in the transaction that counts it, so a redelivered or regraded submission is
    counted exactly once whatever order submissions finish in. Holds the id only: progress
    must not depend on the sandbox app that owns submissions.
    """

    submission_id = models.BigIntegerField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"submission {self.submission_id} counted"


class CheckFailureCount(models.Model):
    """How often one learner failed one named check of one exercise.

    Kept by the grading task so an instructor's "most failed checks" is one GROUP BY over a
    cohort, never a scan of submissions (or of JSON in every progress row).
    """

    # Indexed by the unique (user, exercise, check_name) constraint, which leads with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    exercise = models.ForeignKey("curriculum.Exercise", on_delete=models.CASCADE, related_name="+")
    check_name = models.CharField(max_length=200)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "exercise", "check_name"], name="check_failure_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} failed {self.check_name!r} {self.failures}x"


class LessonProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        "curriculum.Lesson", on_delete=models.CASCADE, related_name="progress"
    )
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_progress_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.lesson_id}"


class ModuleProgress(models.Model):
    """Points earned in a module (sum of best score × points), and an instructor's unlock."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress"
    )
    module = models.ForeignKey(
        "curriculum.Module", on_delete=models.CASCADE, related_name="progress"
    )
    points_earned = models.FloatField(default=0.0)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="module_progress_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.module_id}: {self.points_earned}"


class ActivityDay(models.Model):
    """One row per learner per active day: the streak is a walk back over these."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity_days"
    )
    day = models.DateField()
    submissions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="activity_day_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.day}"


class LearningEventKind(models.TextChoices):
    LESSON_READ = "lesson_read"
    HINT_SHOWN = "hint_shown"
    ATTEMPT_GRADED = "attempt_graded"
    EXERCISE_PASSED = "exercise_passed"


class LearningEvent(models.Model):
    """Something a learner did, written in the same transaction as the progress it changed.

    A transactional outbox: progress never calls the systems that want to hear about it (an
    LRS, an LMS gradebook). Each of them keeps its own record of what it has delivered, so an
    event is never lost to a crash or an unreachable service between commit and delivery.
    ``data`` holds what the event alone can tell (score, checks, duration, hint number).
    """

    kind = models.CharField(max_length=20, choices=LearningEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_events"
    )
    exercise = models.ForeignKey(
        "curriculum.Exercise", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    lesson = models.ForeignKey(
        "curriculum.Lesson", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    submission_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} by {self.user_id}"
