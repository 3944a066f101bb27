from django.contrib import admin

from apps.progress.models import Cohort, Enrollment, ExerciseProgress, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin[Profile]):
    list_display = ["user", "role"]
    list_filter = ["role"]
    search_fields = ["user__username"]


class EnrollmentInline(admin.TabularInline[Enrollment, Cohort]):
    model = Enrollment
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin[Cohort]):
    list_display = ["name", "join_code", "created_at", "archived_at"]
    filter_horizontal = ["instructors"]
    inlines = [EnrollmentInline]


@admin.register(ExerciseProgress)
class ExerciseProgressAdmin(admin.ModelAdmin[ExerciseProgress]):
    list_display = ["user", "exercise", "attempts", "best_score", "first_passed_at"]
    raw_id_fields = ["user", "exercise"]
    list_select_related = ["user", "exercise"]
