from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from apps.curriculum.models import Exercise, Lesson, Module


def modules_list() -> QuerySet[Module]:
    return (
        Module.objects.filter(retired=False)
        .prefetch_related(
            "prerequisites",
            Prefetch("lessons", queryset=Lesson.objects.filter(retired=False).order_by("order")),
            Prefetch(
                "exercises", queryset=Exercise.objects.filter(retired=False).order_by("order")
            ),
        )
        .order_by("order")
    )


def module_get(*, slug: str) -> Module | None:
    return modules_list().filter(slug=slug).first()


def lesson_get(*, module_slug: str, lesson_slug: str) -> Lesson | None:
    return (
        Lesson.objects.select_related("module")
        .filter(module__slug=module_slug, slug=lesson_slug, retired=False, module__retired=False)
        .first()
    )


def exercise_get(*, slug: str) -> Exercise | None:
    return (
        Exercise.objects.select_related("module", "lesson").filter(slug=slug, retired=False).first()
    )


def lesson_neighbours(*, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    """The lessons before and after this one along the whole course."""
    ordered = list(
        Lesson.objects.filter(retired=False, module__retired=False)
        .select_related("module")
        .order_by("module__order", "order")
        .only("slug", "title", "module__slug", "module__order", "order")
    )
    index = next(i for i, item in enumerate(ordered) if item.pk == lesson.pk)
    previous = ordered[index - 1] if index > 0 else None
    following = ordered[index + 1] if index + 1 < len(ordered) else None
    return previous, following
