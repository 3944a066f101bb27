"""What dlmath adds to django-lti's records of platforms, contexts, users and links.

django-lti (``lti_tool``) keeps the registrations, deployments, contexts, memberships and
resource links a launch describes. These models tie them to dlmath: which account a platform
user signs into, which cohort a course is, which exercise or module a link opens, and each
learner's grade on its way back to the LMS gradebook.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlatformAccount(models.Model):
    """A platform's user (issuer + subject) signed into one dlmath account.

    Keyed by the issuer, never by e-mail or name: the same ``sub`` from another platform is a
    different person, and gets a different account.
    """

    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="platform_accounts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="platform_account_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"


class ContextCohort(models.Model):
    """An LMS course (an LTI context) is taught in dlmath as one cohort."""

    context = models.OneToOneField(
        "lti_tool.LtiContext", on_delete=models.CASCADE, related_name="dlmath_cohort"
    )
    cohort = models.OneToOneField(
        "progress.Cohort", on_delete=models.CASCADE, related_name="lti_context"
    )
    roster_synced_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.context} -> {self.cohort}"


class LinkTarget(models.Model):
    """What an LMS link opens (an exercise or a module) and the gradebook column it fills."""

    resource_link = models.OneToOneField(
        "lti_tool.LtiResourceLink", on_delete=models.CASCADE, related_name="dlmath_target"
    )
    exercise = models.ForeignKey(
        "curriculum.Exercise", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    module = models.ForeignKey(
        "curriculum.Module", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The AGS line item for this link (empty: the platform gave none, nothing is sent back).
    lineitem_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.exercise or self.module or "course")

    @property
    def title(self) -> str:
        item = self.exercise or self.module
        return item.title if item is not None else ""


class PassbackStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class GradePassback(models.Model):
    """A learner's best score for one LMS link, and whether the LMS has it yet.

    State, not a queue of messages: when the score changes the row becomes pending again, so
    a retry always sends the latest best score, and a lost task loses nothing (the sweep
    finds the row). ``last_error`` is what the instructor sees when the LMS refused.
    """

    lti_user = models.ForeignKey(
        "lti_tool.LtiUser", on_delete=models.CASCADE, related_name="dlmath_passbacks"
    )
    target = models.ForeignKey(LinkTarget, on_delete=models.CASCADE, related_name="passbacks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grade_passbacks"
    )
    score_given = models.FloatField(default=0.0)
    score_maximum = models.FloatField(default=1.0)
    completed = models.BooleanField(default=False)
    sent_score = models.FloatField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=PassbackStatus.choices, default=PassbackStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lti_user", "target"], name="grade_passback_unique")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="passback_due")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.target_id}: {self.score_given} ({self.status})"


class UsedNonce(models.Model):
    """A launch nonce (or one-time hand-off token) already spent: a replay is refused."""

    issuer = models.CharField(max_length=255)
    nonce = models.CharField(max_length=255)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "nonce"], name="nonce_once")]
        indexes = [models.Index(fields=["expires_at"], name="nonce_expiry")]

    def __str__(self) -> str:
        return f"{self.nonce} ({self.issuer})"
