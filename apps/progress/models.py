import secrets
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RemembersOwner(models.Model):
    """A row whose cached readers are keyed by its owner (a learner, a cohort): read from the
    database, it remembers the owner it was read with, so that a save moving it to another
    owner (the admin can) also refreshes the one it leaves (apps/progress/versions.py)."""

    owner_field: ClassVar[str]
    owner_as_read: Any = None

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Self:
        row = super().from_db(db, field_names, values)
        row.owner_as_read = row.__dict__.get(cls.owner_field)
        return row


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


class Enrollment(RemembersOwner):
    owner_field = "cohort_id"

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


class ExerciseProgress(RemembersOwner):
    """A learner's standing on one exercise, updated by the grading task (never recomputed)."""

    owner_field = "user_id"

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


class LessonProgress(RemembersOwner):
    owner_field = "user_id"

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


class ModuleProgress(RemembersOwner):
    """Points earned in a module (sum of best score × points), and an instructor's unlock."""

    owner_field = "user_id"

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
    # A concept check answered (right or wrong); ``data`` names the question.
    QUESTION_ANSWERED = "question_answered"
    # A regrade changed a learner's best score on an exercise (no new attempt).
    SCORE_CHANGED = "score_changed"
    # A graded spaced-review attempt: never an exercise attempt, never a first pass.
    REVIEW_GRADED = "review_graded"


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


class QuestionProgress(RemembersOwner):
    """A learner's standing on one concept check: the variant they are on and whether they
    have answered it correctly (which counts in mastery, once)."""

    owner_field = "user_id"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_progress"
    )
    question = models.ForeignKey(
        "curriculum.Question", on_delete=models.CASCADE, related_name="progress"
    )
    # Which numbers the learner sees (the seed follows from it); moves on after a reveal.
    variant = models.PositiveIntegerField(default=0)
    # Wrong answers to the current variant (TRIES_PER_VARIANT of them reveal the answer).
    tries = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    first_correct_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="question_progress_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on question {self.question_id}"

    @property
    def solved(self) -> bool:
        return self.first_correct_at is not None


class QuestionAttempt(models.Model):
    """One graded answer to a concept check, as the learner typed it (normalised)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_attempts"
    )
    question = models.ForeignKey(
        "curriculum.Question", on_delete=models.CASCADE, related_name="attempts"
    )
    variant = models.PositiveIntegerField()
    answer = models.CharField(max_length=2000)
    correct = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "question", "-created_at"], name="question_attempt_history"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} answered {self.question_id}: {self.correct}"


class ReviewCard(RemembersOwner):
    """A passed exercise on a learner's spaced-review schedule (FSRS; apps/progress/reviews).

    Created when the exercise is first passed (that pass is the card's first rating). The
    FSRS memory state is stored as columns: ``stability`` in days, ``difficulty`` 1..10,
    ``due`` the next review. ``review_started_at``/``review_failures`` describe the review in
    progress: a review ends with a pass, the learner giving up, or too many failures.
    """

    owner_field = "user_id"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards"
    )
    exercise = models.ForeignKey(
        "curriculum.Exercise", on_delete=models.CASCADE, related_name="review_cards"
    )
    state = models.PositiveSmallIntegerField()  # fsrs.State: 1 learning, 2 review, 3 relearning
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)  # reviews concluded since the first pass
    lapses = models.PositiveIntegerField(default=0)  # of which rated Again
    review_started_at = models.DateTimeField(null=True, blank=True)
    review_failures = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "exercise"], name="review_card_unique")
        ]
        indexes = [models.Index(fields=["user", "due"], name="review_card_due")]

    def __str__(self) -> str:
        return f"{self.user_id} reviews {self.exercise_id} at {self.due:%Y-%m-%d %H:%M}"


class ReviewRating(models.IntegerChoices):
    """FSRS's four ratings (the same numbers as fsrs.Rating)."""

    AGAIN = 1, _("Again")
    HARD = 2, _("Hard")
    GOOD = 3, _("Good")
    EASY = 4, _("Easy")


class ReviewLog(models.Model):
    """One rating of a card: the first pass that scheduled it, or a concluded review."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_logs"
    )
    exercise = models.ForeignKey("curriculum.Exercise", on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(choices=ReviewRating.choices)
    first_pass = models.BooleanField(default=False)
    reviewed_at = models.DateTimeField()
    # When it was due and how likely recall was then (FSRS retrievability); none on a first pass.
    due_was = models.DateTimeField(null=True, blank=True)
    retention_was = models.FloatField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # graded review attempts it took
    submission_id = models.BigIntegerField(null=True, blank=True)  # the one that concluded it
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()  # the next review it scheduled

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        indexes = [models.Index(fields=["user", "-reviewed_at"], name="review_log_by_user")]

    def __str__(self) -> str:
        return f"{self.user_id} rated {self.exercise_id} {self.rating}"


class ReviewAttempt(models.Model):
    """One graded review submission, counted once (a redelivered grade finds it here).

    Holds the submission's id only: progress does not depend on the sandbox app.
    """

    submission_id = models.BigIntegerField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    exercise = models.ForeignKey("curriculum.Exercise", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    passed = models.BooleanField()
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"review submission {self.submission_id}"


class Deadline(RemembersOwner):
    """When a cohort is to have passed a module's exercises, or one exercise.

    An exercise's own deadline wins over its module's (apps/progress/deadlines).
    """

    owner_field = "cohort_id"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="deadlines")
    module = models.ForeignKey(
        "curriculum.Module", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    exercise = models.ForeignKey(
        "curriculum.Exercise", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(module__isnull=True, exercise__isnull=False)
                | models.Q(module__isnull=False, exercise__isnull=True),
                name="deadline_module_or_exercise",
            ),
            models.UniqueConstraint(
                fields=["cohort", "module"],
                condition=models.Q(module__isnull=False),
                name="deadline_unique_module",
            ),
            models.UniqueConstraint(
                fields=["cohort", "exercise"],
                condition=models.Q(exercise__isnull=False),
                name="deadline_unique_exercise",
            ),
        ]

    def __str__(self) -> str:
        return f"cohort {self.cohort_id}: {self.module_id or self.exercise_id} by {self.due_at}"
