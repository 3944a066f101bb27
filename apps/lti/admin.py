"""LTI in the admin: platform registrations come from django-lti's admin (lti_tool); here the
accounts, cohorts, links and grade passbacks dlmath keeps for them."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.lti.models import ContextCohort, GradePassback, LinkTarget, PlatformAccount
from apps.lti.services.passbacks import grade_passback_resend


@admin.register(PlatformAccount)
class PlatformAccountAdmin(admin.ModelAdmin[PlatformAccount]):
    list_display = ["subject", "issuer", "user", "created_at"]
    search_fields = ["subject", "issuer", "user__username"]
    raw_id_fields = ["user"]


@admin.register(ContextCohort)
class ContextCohortAdmin(admin.ModelAdmin[ContextCohort]):
    list_display = ["context", "cohort", "roster_synced_at"]


@admin.register(LinkTarget)
class LinkTargetAdmin(admin.ModelAdmin[LinkTarget]):
    list_display = ["resource_link", "exercise", "module", "lineitem_url"]


@admin.register(GradePassback)
class GradePassbackAdmin(admin.ModelAdmin[GradePassback]):
    list_display = ["user", "target", "score_given", "score_maximum", "status", "attempts"]
    list_filter = ["status"]
    search_fields = ["user__username"]
    readonly_fields = ["last_error", "sent_at", "sent_score", "attempts"]
    raw_id_fields = ["user", "lti_user", "target"]
    actions = ["retry_now"]

    @admin.action(description="Send to the LMS again now (the worker picks it up)")
    def retry_now(self, request: HttpRequest, queryset: QuerySet[GradePassback]) -> None:
        for passback in queryset:
            grade_passback_resend(passback=passback)
        self.message_user(request, f"{len(queryset)} passback(s) queued for the LMS.")
