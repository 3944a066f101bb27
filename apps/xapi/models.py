from django.db import models


class DeliveryStatus(models.TextChoices):
    PENDING = "pending"
    SENT = "sent"
    # Sending failed (LRS down, 5xx, bad credentials): retried with backoff.
    FAILED = "failed"
    # The LRS refused the statement itself (HTTP 400): retrying can't help; an operator can.
    REJECTED = "rejected"


class StatementDelivery(models.Model):
    """One learning event on its way to the LRS, as the statement built when it was queued.

    The statement is stored, not rebuilt per try, so a retry sends the same bytes under the
    same id: an LRS that already stored it answers as for a duplicate, never a conflict.
    """

    event = models.OneToOneField(
        "progress.LearningEvent", on_delete=models.CASCADE, related_name="xapi_delivery"
    )
    statement_id = models.UUIDField(unique=True)
    statement = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="xapi_delivery_due")]

    def __str__(self) -> str:
        return f"statement {self.statement_id} ({self.status})"
