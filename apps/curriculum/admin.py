from django.contrib import admin

from apps.curriculum.models import Exercise, Lesson, Module


# Content is edited on disk and synced; the admin shows it and can retire it.
@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin[Module]):
    list_display = ["order", "slug", "title", "kind", "total_points", "retired"]
    readonly_fields = ["uuid", "content_hash"]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin[Lesson]):
    list_display = ["slug", "module", "order", "retired"]
    list_filter = ["module"]
    readonly_fields = ["uuid", "content_hash"]


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin[Exercise]):
    list_display = ["slug", "module", "points", "content_version", "retired"]
    list_filter = ["module"]
    readonly_fields = ["uuid", "content_hash", "content_version"]
