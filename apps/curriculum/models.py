from django.db import models
from django.utils.translation import gettext_lazy as _


class ModuleKind(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    STAGE = "stage", _("Stage")


class Module(models.Model):
    """A unit of the course. Rows mirror content/<slug>/module.yaml; the uuid is the identity."""

    uuid = models.UUIDField(unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ModuleKind.choices)
    order = models.PositiveIntegerField()
    overview = models.TextField()
    overview_html = models.TextField(blank=True)
    further_reading = models.JSONField(default=list, blank=True)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, related_name="unlocks", blank=True
    )
    # Sum of the points of the module's live exercises, kept by sync so mastery is one division.
    total_points = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(max_length=32, blank=True)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    uuid = models.UUIDField(unique=True)
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    order = models.PositiveIntegerField()
    summary = models.CharField(max_length=300, blank=True)
    body_html = models.TextField()
    figures = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=32, blank=True)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["module__order", "order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["module", "slug"], name="lesson_slug_unique_in_module")
        ]

    def __str__(self) -> str:
        return self.title


class Exercise(models.Model):
    uuid = models.UUIDField(unique=True)
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="exercises")
    lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="exercises"
    )
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    order = models.PositiveIntegerField()
    points = models.PositiveIntegerField(default=10)
    prompt_html = models.TextField()
    starter_code = models.TextField()
    functions = models.JSONField(default=list)
    hints = models.JSONField(default=list)
    limits = models.JSONField(default=dict)
    # What "Run on my own input" starts with (exercise.yaml's try_input; may be empty).
    try_input = models.TextField(blank=True, default="")
    content_hash = models.CharField(max_length=32, blank=True)
    # Bumped by sync whenever the files change; stored on each submission graded against it.
    content_version = models.PositiveIntegerField(default=1)
    # The grading's version: bumped by sync when checks.py, solution.py or the limits change
    # (loader.grading_hash), not for a prompt or hint edit. Each submission stores the one it
    # was graded with; older ones can be regraded (apps/sandbox/regrading).
    check_hash = models.CharField(max_length=32, blank=True)
    check_version = models.PositiveIntegerField(default=1)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["module__order", "order", "slug"]

    def __str__(self) -> str:
        return self.title

    @property
    def signature(self) -> str:
        return ", ".join(f["signature"] for f in self.functions)


class Question(models.Model):
    """A concept check placed in a lesson (``{{ question: name }}``), synced from its Markdown.

    The question itself (prompt, numbers, answer) is trusted content in the lesson's
    ``<slug>.questions.py``, drawn per learner from a seed (selectors.question_variant);
    the row gives attempts and mastery something to point at. ``points`` count in the
    module's total like an exercise's.
    """

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    name = models.SlugField(max_length=80)
    order = models.PositiveIntegerField()
    points = models.PositiveIntegerField(default=1)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["lesson", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "name"], name="question_name_unique_in_lesson"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lesson.slug}: {self.name}"
