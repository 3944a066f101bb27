"""Course pages: the map, a module, a lesson, an exercise (server-rendered, small ES modules)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from apps.curriculum.models import ModuleKind
from apps.curriculum.selectors import exercise_get, lesson_get, lesson_neighbours, module_get
from apps.progress.selectors import course_map_for_user, exercise_progress_for_user
from apps.progress.services import lesson_mark_read
from apps.sandbox.models import PENDING_STATUSES, Submission
from apps.sandbox.selectors import submission_history

HISTORY_SHOWN = 30


def _standing(request: HttpRequest, module_slug: str):  # type: ignore[no-untyped-def]
    standings = course_map_for_user(user=request.user)
    by_slug = {s.module.slug: s for s in standings}
    return by_slug.get(module_slug), by_slug


def course_map(request: HttpRequest) -> HttpResponse:
    standings = course_map_for_user(user=request.user)
    titles = {s.module.slug: s.module.title for s in standings}
    for standing in standings:
        standing.prerequisite_titles = [  # type: ignore[attr-defined]
            {"slug": slug, "title": titles.get(slug, slug)} for slug in standing.prerequisites
        ]
        standing.exercises_passed = sum(  # type: ignore[attr-defined]
            1 for e in standing.exercises if e["passed"]
        )
        standing.lessons_read = sum(  # type: ignore[attr-defined]
            1 for lesson in standing.lessons if lesson["read"]
        )
    foundations = [s for s in standings if s.module.kind == ModuleKind.FOUNDATION]
    stages = [s for s in standings if s.module.kind != ModuleKind.FOUNDATION]
    return render(
        request,
        "curriculum/course_map.html",
        {"foundations": foundations, "stages": stages, "module_count": len(standings)},
    )


def module_detail(request: HttpRequest, module_slug: str) -> HttpResponse:
    module = module_get(slug=module_slug)
    if module is None:
        raise Http404("No such module.")
    standing, by_slug = _standing(request, module_slug)
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
        "curriculum/module_detail.html",
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
        "curriculum/lesson_detail.html",
        {
            "lesson": lesson,
            "module": lesson.module,
            "previous": previous,
            "next": following,
            "exercises": exercises,
            "figures": lesson.figures or {},
        },
    )


@login_required
def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = exercise_get(slug=slug)
    if exercise is None:
        raise Http404("No such exercise.")
    history = list(submission_history(user=request.user, exercise_slug=slug)[:HISTORY_SHOWN])
    last = (
        Submission.objects.filter(user=request.user, exercise=exercise)
        .order_by("-created_at", "-id")
        .only("id", "code", "status")
        .first()
    )
    progress = exercise_progress_for_user(user=request.user, exercise=exercise)
    revealed = progress.hints_revealed if progress else 0
    standing, _ = _standing(request, exercise.module.slug)
    lesson_url = (
        reverse("curriculum:lesson", args=[exercise.module.slug, exercise.lesson.slug])
        if exercise.lesson
        else None
    )
    config = {
        "slug": exercise.slug,
        "code": last.code if last else exercise.starter_code,
        "starter": exercise.starter_code,
        "submitUrl": reverse("api-exercise-submissions", args=[exercise.slug]),
        "hintsUrl": reverse("api-hints", args=[exercise.slug]),
        "hints": list(exercise.hints[:revealed]),
        "hintsTotal": len(exercise.hints),
        "lessonUrl": lesson_url,
        "lastSubmissionId": (last.pk if last and last.status not in PENDING_STATUSES else None),
    }
    return render(
        request,
        "curriculum/exercise_detail.html",
        {
            "exercise": exercise,
            "module": exercise.module,
            "history": history,
            "progress": progress,
            "standing": standing,
            "config": config,
            "restored": last is not None,
        },
    )
