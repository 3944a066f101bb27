"""Course pages: the map, a module, a lesson, each with the learner's standing (open to all)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from apps.curriculum.models import ModuleKind
from apps.curriculum.selectors import lesson_get, lesson_neighbours, module_get
from apps.progress.selectors import ModuleStanding, course_map_for_user
from apps.progress.services import lesson_mark_read


def module_standing(
    request: HttpRequest, module_slug: str
) -> tuple[ModuleStanding | None, dict[str, ModuleStanding]]:
    standings = course_map_for_user(user=request.user)
    by_slug = {s.module.slug: s for s in standings}
    return by_slug.get(module_slug), by_slug


def course_map(request: HttpRequest) -> HttpResponse:
    standings = course_map_for_user(user=request.user)
    foundations = [s for s in standings if s.module.kind == ModuleKind.FOUNDATION]
    stages = [s for s in standings if s.module.kind != ModuleKind.FOUNDATION]
    return render(
        request,
        "course/course_map.html",
        {"foundations": foundations, "stages": stages, "module_count": len(standings)},
    )


def module_detail(request: HttpRequest, module_slug: str) -> HttpResponse:
    module = module_get(slug=module_slug)
    if module is None:
        raise Http404("No such module.")
    standing, by_slug = module_standing(request, module_slug)
    prerequisites = [
        {
            "module": p,
            "mastery": by_slug[p.slug].mastery if p.slug in by_slug else 0.0,
            "mastered": by_slug[p.slug].mastered if p.slug in by_slug else False,
        }
        for p in module.prerequisites.all()
        if not p.retired
    ]
    return render(
        request,
        "course/module_detail.html",
        {"module": module, "standing": standing, "prerequisites": prerequisites},
    )


def lesson_detail(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = lesson_get(module_slug=module_slug, lesson_slug=lesson_slug)
    if lesson is None:
        raise Http404("No such lesson.")
    if request.user.is_authenticated:
        lesson_mark_read(user=request.user, lesson=lesson)
    previous, following = lesson_neighbours(lesson=lesson)
    exercises = list(lesson.exercises.filter(retired=False).order_by("order"))
    return render(
        request,
        "course/lesson_detail.html",
        {
            "lesson": lesson,
            "module": lesson.module,
            "previous": previous,
            "next": following,
            "exercises": exercises,
            "figures": lesson.figures or {},
        },
    )
