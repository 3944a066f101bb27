from django.contrib import admin

from apps.sandbox.models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin[Submission]):
    list_display = ["id", "user", "exercise", "status", "score", "created_at"]
    list_filter = ["status", "exercise__module"]
    raw_id_fields = ["user", "exercise"]
    readonly_fields = ["checks", "figures", "error", "stdout", "stderr", "seed", "runs"]
    list_select_related = ["user", "exercise"]
