from typing import Any, TypeVar

from django.contrib import admin
from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest

from apps.curriculum.models import Exercise, Lesson, Module
from apps.curriculum.selectors import curriculum_revision_bump

M = TypeVar("M", bound=models.Model)


class ContentAdmin(admin.ModelAdmin[M]):
    """A change made here (retiring a row, say) is a change of the course like a sync's:
    pages keep the outline and rendered parts by the revision, so it moves on."""

    def save_model(self, request: HttpRequest, obj: M, form: ModelForm[M], change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(curriculum_revision_bump)

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(curriculum_revision_bump)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(curriculum_revision_bump)


# Content is edited on disk and synced; the admin shows it and can retire it.
@admin.register(Module)
class ModuleAdmin(ContentAdmin[Module]):
    list_display = ["order", "slug", "title", "kind", "total_points", "retired"]
    readonly_fields = ["uuid", "content_hash"]


@admin.register(Lesson)
class LessonAdmin(ContentAdmin[Lesson]):
    list_display = ["slug", "module", "order", "retired"]
    list_filter = ["module"]
    readonly_fields = ["uuid", "content_hash"]


@admin.register(Exercise)
class ExerciseAdmin(ContentAdmin[Exercise]):
    list_display = ["slug", "module", "points", "content_version", "retired"]
    list_filter = ["module"]
    readonly_fields = ["uuid", "content_hash", "content_version"]
