from django.conf import settings
from django.db import models


class SubmissionStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    REJECTED = "rejected"


PENDING_STATUSES = (SubmissionStatus.QUEUED, SubmissionStatus.RUNNING)


class Submission(models.Model):
    """One learner's code for one exercise and, once graded, its full result."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions"
    )
    exercise = models.ForeignKey(
        "curriculum.Exercise", on_delete=models.CASCADE, related_name="submissions"
    )
    code = models.TextField()
    status = models.CharField(
        max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.QUEUED
    )
    score = models.FloatField(default=0.0)
    checks = models.JSONField(default=list, blank=True)
    figures = models.JSONField(default=list, blank=True)
    stdout = models.TextField(blank=True)
    stderr = models.TextField(blank=True)
    error = models.JSONField(null=True, blank=True)
    duration_ms = models.FloatField(null=True, blank=True)
    content_version = models.PositiveIntegerField(default=1)
    seed = models.BigIntegerField(null=True, blank=True)
    # How many times a worker has started grading it (a redelivered task counts again).
    runs = models.PositiveSmallIntegerField(default=0)
    # When its grading task was last sent to the queue: the requeue sweep sends it again if
    # no worker finished it long after this (a killed worker, a restarted Redis).
    enqueued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "exercise", "-created_at"], name="submission_history"),
            models.Index(fields=["status", "started_at"], name="submission_pending"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.exercise_id} {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES


class RunKind(models.TextChoices):
    TRY = "try"  # a try-it cell of a lesson, or the scratchpad: the code alone
    INPUT = "input"  # "run on my own input" on an exercise page: the code, then a call


class RunStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    OK = "ok"  # ran to the end (a try cell) or returned a value (an input)
    ERROR = "error"  # an exception or syntax error, with the line
    TIMEOUT = "timeout"
    MEMORY = "memory"
    REJECTED = "rejected"  # refused before running: too large, not UTF-8, empty


RUN_PENDING_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class Run(models.Model):
    """Code run in the sandbox without grading: never an attempt, never in progress.

    Owned by its user (nobody else can read it), kept for a day (runs_expire). ``value``
    describes what an input run returned (type, shape, dtype, the value written out);
    ``figures`` are drawn on the trusted side from the run's plain data.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sandbox_runs"
    )
    kind = models.CharField(max_length=8, choices=RunKind.choices, default=RunKind.TRY)
    exercise = models.ForeignKey(
        "curriculum.Exercise",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="runs",
    )
    code = models.TextField()
    input = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    stdout = models.TextField(blank=True)
    stderr = models.TextField(blank=True)
    error = models.JSONField(null=True, blank=True)
    value = models.JSONField(null=True, blank=True)
    figures = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    duration_ms = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="run_by_user"),
            models.Index(fields=["created_at"], name="run_expiry"),
        ]

    def __str__(self) -> str:
        return f"run #{self.pk} {self.kind} {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status in RUN_PENDING_STATUSES
