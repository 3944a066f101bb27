from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.xapi.models import StatementDelivery
from apps.xapi.services import statement_delivery_retry_now
from apps.xapi.tasks import statements_flush_task


@admin.register(StatementDelivery)
class StatementDeliveryAdmin(admin.ModelAdmin[StatementDelivery]):
    list_display = ["statement_id", "event", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    readonly_fields = [
        "event",
        "statement_id",
        "statement",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "created_at",
    ]
    actions = ["retry_now"]

    @admin.action(description="Send again now")
    def retry_now(self, request: HttpRequest, queryset: QuerySet[StatementDelivery]) -> None:
        for delivery in queryset:
            statement_delivery_retry_now(delivery=delivery)
        statements_flush_task.apply_async(retry=False)
        self.message_user(request, f"{len(queryset)} statement(s) queued for the LRS.")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
