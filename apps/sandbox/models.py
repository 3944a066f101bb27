from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    ERROR = "error", _("Error")
    TIMEOUT = "timeout", _("Timeout")
    MEMORY = "memory", _("Memory")
    REJECTED = "rejected", _("Rejected")


PENDING_STATUSES = (SubmissionStatus.QUEUED, SubmissionStatus.RUNNING)


class SubmissionPurpose(models.TextChoices):
    # Working on an exercise: counted in progress (attempts, best score, first pass).
    PRACTICE = "practice"
    # A spaced review of an exercise already passed: counted by the review schedule instead.
    REVIEW = "review"


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
    # The declared mistake a failure matched ({id, message, fix, hints}), or null.
    diagnosis = models.JSONField(null=True, blank=True)
    duration_ms = models.FloatField(null=True, blank=True)
    content_version = models.PositiveIntegerField(default=1)
    # The exercise's check version this verdict came from (Exercise.check_version).
    check_version = models.PositiveIntegerField(default=1)
    purpose = models.CharField(
        max_length=16, choices=SubmissionPurpose.choices, default=SubmissionPurpose.PRACTICE
    )
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
    # When the requeue sweep last sent it again (None: only sent when created).
    enqueued_at = models.DateTimeField(null=True, blank=True)
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


class RegradeStatus(models.TextChoices):
    RUNNING = "running", _("Running")  # batches still grading
    READY = "ready", _("Ready")  # every submission regraded: the changes wait for accept or discard
    ACCEPTED = "accepted", _("Accepted")
    DISCARDED = "discarded", _("Discarded")


OPEN_REGRADE_STATUSES = (RegradeStatus.RUNNING, RegradeStatus.READY)


class Regrade(models.Model):
    """Submissions of one exercise graded by an older check version, graded again.

    Started for one cohort's learners by its instructor, or for everyone by
    ``manage.py regrade`` (no cohort). Nothing changes for a learner until it is accepted.
    """

    exercise = models.ForeignKey(
        "curriculum.Exercise", on_delete=models.CASCADE, related_name="regrades"
    )
    cohort = models.ForeignKey(
        "progress.Cohort", on_delete=models.CASCADE, null=True, blank=True, related_name="regrades"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The check version the submissions are regraded with.
    check_version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16, choices=RegradeStatus.choices, default=RegradeStatus.RUNNING
    )
    total = models.PositiveIntegerField(default=0)
    graded = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"regrade #{self.pk} of {self.exercise_id} to v{self.check_version}: {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REGRADE_STATUSES


class RegradeRowState(models.TextChoices):
    PENDING = "pending", _("Pending")  # not graded yet
    GRADED = "graded", _("Graded")  # the new verdict is here, not applied
    # the sandbox refused (unavailable): nothing to apply
    UNGRADABLE = "ungradable", _("Ungradable")
    # the new verdict is the submission's now; the old one is kept here
    ACCEPTED = "accepted", _("Accepted")
    DISCARDED = "discarded", _("Discarded")
    # the submission changed meanwhile (another regrade accepted)
    SUPERSEDED = "superseded", _("Superseded")


class SubmissionRegrade(models.Model):
    """One submission in a regrade: its verdict before and the regrade's verdict.

    History is never lost: accepting copies the submission's old result into
    ``old_result`` before the new one replaces it; discarding leaves the submission alone.
    """

    regrade = models.ForeignKey(Regrade, on_delete=models.CASCADE, related_name="rows")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="regrades")
    state = models.CharField(
        max_length=16, choices=RegradeRowState.choices, default=RegradeRowState.PENDING
    )
    old_check_version = models.PositiveIntegerField()
    old_status = models.CharField(max_length=16, choices=SubmissionStatus.choices)
    old_score = models.FloatField()
    # The submission's result columns as they were, written when the new verdict is accepted.
    old_result = models.JSONField(null=True, blank=True)
    new_status = models.CharField(max_length=16, choices=SubmissionStatus.choices, blank=True)
    new_score = models.FloatField(null=True, blank=True)
    new_result = models.JSONField(null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["regrade", "submission"], name="submission_regrade_unique"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.submission_id} in regrade {self.regrade_id}: {self.state}"

    @property
    def changed(self) -> bool:
        return self.new_status != self.old_status or self.new_score != self.old_score
