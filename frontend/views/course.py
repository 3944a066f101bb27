"""Course pages: the map, a module, a lesson, each with the learner's standing (open to all).

The learner's path runs through them: "Next up" is the first lesson not read or exercise
not passed in teaching order, and a lesson's "Next" is the step after it (its exercises
before the next lesson). A lesson counts as read when the learner says so or reaches its
end (lesson.js), never merely by opening it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.curriculum.models import ModuleKind
from apps.curriculum.selectors import lesson_get, module_get, step_neighbours
from apps.progress.auth import authenticated_user
from apps.progress.learning_path import module_path, next_up
from apps.progress.selectors import ModuleStanding, course_map_for_user
from apps.progress.services import lesson_mark_read
from frontend.templatetags.dlmath import step_url


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
    started = any(s.lessons_read or any(e.attempts for e in s.exercises) for s in standings)
    return render(
        request,
        "course/course_map.html",
        {
            "foundations": foundations,
            "stages": stages,
            "module_count": len(standings),
            "next_up": next_up(standings),
            "started": started,
        },
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
    steps = module_path(standing) if standing else []
    module_next = next_up([standing]) if standing else None
    return render(
        request,
        "course/module_detail.html",
        {
            "module": module,
            "standing": standing,
            "prerequisites": prerequisites,
            "steps": steps,
            "next_up": module_next,
            "started": any(p.done or p.started for p in steps),
            # When this module is done, where the course goes on.
            "course_next_up": None if module_next else next_up(by_slug.values()),
        },
    )


def lesson_detail(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = lesson_get(module_slug=module_slug, lesson_slug=lesson_slug)
    if lesson is None:
        raise Http404("No such lesson.")
    standing, _ = module_standing(request, module_slug)
    read = bool(standing and any(s.read for s in standing.lessons if s.lesson.pk == lesson.pk))
    previous, following = step_neighbours(kind="lesson", pk=lesson.pk)
    exercises = list(lesson.exercises.filter(retired=False).order_by("order"))
    return render(
        request,
        "course/lesson_detail.html",
        {
            "lesson": lesson,
            "module": lesson.module,
            "previous": previous,
            "next": following,
            "read": read,
            "exercises": exercises,
            "figures": lesson.figures or {},
        },
    )


@login_required
@require_POST
def lesson_read(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    """ "Mark as read" without JavaScript: count the lesson, then go on to the next step."""
    lesson = lesson_get(module_slug=module_slug, lesson_slug=lesson_slug)
    if lesson is None:
        raise Http404("No such lesson.")
    lesson_mark_read(user=authenticated_user(request), lesson=lesson)
    _, following = step_neighbours(kind="lesson", pk=lesson.pk)
    if following is None:
        return redirect("curriculum:module", module_slug)
    return redirect(step_url(following))
