"""Course pages: the map, a module, a lesson, each with the learner's standing (open to all).

The learner's path runs through them: "Next up" is the first lesson not read or exercise
not passed in teaching order, and a lesson's "Next" is the step after it (its exercises
before the next lesson). A lesson counts as read when the learner says so or reaches its
end (lesson.js), never merely by opening it.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from apps.curriculum.models import Lesson, ModuleKind
from apps.curriculum.rendering import QUESTION_ELEMENT_RE
from apps.curriculum.selectors import (
    lesson_exercises,
    lesson_figures_json,
    lesson_get,
    lesson_get_for_page,
    module_get,
    outline_token,
    question_get,
    step_neighbours,
)
from apps.progress.auth import authenticated_user
from apps.progress.deadlines import deadlines_for_learner, due_soon_for_learner
from apps.progress.learning_path import module_path, next_up
from apps.progress.questions import question_answer, questions_for_learner
from apps.progress.selectors import ModuleStanding, course_map_for_user, lesson_read_by_user
from apps.progress.services import lesson_mark_read
from frontend.templatetags.dlmath import step_url
from frontend.templatetags.memo import FragmentMemo


def module_standing(
    request: HttpRequest, module_slug: str
) -> tuple[ModuleStanding | None, dict[str, ModuleStanding]]:
    standings = course_map_for_user(user=request.user)
    by_slug = {s.module.slug: s for s in standings}
    return by_slug.get(module_slug), by_slug


def course_map_key(
    *, user_id: int | None, standings: list[ModuleStanding]
) -> tuple[object, ...] | None:
    """Everything the course map's module cards show, for ``{% memo %}``: the course (the
    outline's revision: titles, order, prerequisites, counts), whose map it is, and each
    module's standing (lock, mastery, exercises passed, lessons read). None (not memoised)
    if the outline was rebuilt meanwhile."""
    token = outline_token([s.module for s in standings])
    if token is None:
        return None
    return (
        token,
        user_id,
        tuple(
            (s.module.pk, s.unlocked, s.mastered, s.mastery, s.exercises_passed, s.lessons_read)
            for s in standings
        ),
    )


def course_map(request: HttpRequest) -> HttpResponse:
    standings = course_map_for_user(user=request.user)
    foundations = [s for s in standings if s.module.kind == ModuleKind.FOUNDATION]
    stages = [s for s in standings if s.module.kind != ModuleKind.FOUNDATION]
    started = any(s.lessons_read or any(e.attempts for e in s.exercises) for s in standings)
    signed_in = request.user.is_authenticated
    return render(
        request,
        "course/course_map.html",
        {
            "foundations": foundations,
            "stages": stages,
            "module_count": len(standings),
            "next_up": next_up(standings),
            "started": started,
            # Course time: deadlines soon (or missed) and passed exercises due for review.
            "due_soon": due_soon_for_learner(user=authenticated_user(request)) if signed_in else [],
            "reviews_due": sum(s.reviews_due for s in standings),
            "modules_key": course_map_key(user_id=request.user.pk, standings=standings),
        },
    )


def module_detail(request: HttpRequest, module_slug: str) -> HttpResponse:
    module = module_get(slug=module_slug)
    if module is None:
        raise Http404(gettext("No such module."))
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
    due = (
        deadlines_for_learner(user=authenticated_user(request))
        if request.user.is_authenticated
        else {}
    )
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
            # Exercise id -> the learner's deadline for it (their cohorts'), for the steps.
            "deadlines": due,
        },
    )


# What json_script escapes, so the JSON cannot close the script element it sits in.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def figures_script(lesson: Lesson) -> SafeString:
    """The lesson's figures for lesson.js, as json_script would write them (from a cache)."""
    # Escaped as json_script does, so it is safe inside the element it is marked safe for.
    text = mark_safe(lesson_figures_json(lesson=lesson).translate(JSON_SCRIPT_ESCAPES))  # noqa: S308
    return format_html('<script id="lesson-figures" type="application/json">{}</script>', text)


# Concept-check forms this process rendered, by everything a form shows (a learner's
# numbers among it; ~1.5 kB each), with a stand-in for the CSRF token, which is new on every
# request and goes in as the form is served.
QUESTION_FORMS = FragmentMemo(2000)
CSRF_STAND_IN = "csrf-token-stand-in"
CSRF_FIELD_STAND_IN = f'name="csrfmiddlewaretoken" value="{CSRF_STAND_IN}"'


def lesson_body(request: HttpRequest, lesson: Lesson) -> SafeString:
    """The lesson's HTML (rendered at sync) with each concept check's placeholder replaced by
    the learner's variant of it, as a form (course/_question.html)."""
    states = {
        state.question.name: state
        for state in questions_for_learner(lesson=lesson, user=request.user)
    }

    # Rendered without the request: a page may hold several, and what the form needs of the
    # request is here (context processors would run again for each).
    signed_in = request.user.is_authenticated
    login_next = request.get_full_path()
    shared = {
        "module": lesson.module,
        "lesson": lesson,
        "user": request.user,
        "csrf_token": CSRF_STAND_IN,
        "login_next": login_next,
    }
    csrf_field = f'name="csrfmiddlewaretoken" value="{get_token(request)}"'

    def question(match: re.Match[str]) -> str:
        state = states.get(match.group(1))
        if state is None:
            return ""
        key = (
            get_language(),
            lesson.module.slug,
            lesson.slug,
            state.question.name,
            state.kind,
            tuple(state.shape or ()),
            state.variant.prompt_html,
            state.variant.options_html,
            state.solved,
            signed_in,
            login_next,
        )
        form = QUESTION_FORMS.get(key)
        if form is None:
            form = render_to_string("course/_question.html", {"state": state, **shared})
            QUESTION_FORMS.put(key, form)
        # (The token is letters and digits: nothing to escape.)
        return form.replace(CSRF_FIELD_STAND_IN, csrf_field)

    # The stored HTML was made safe at sync; each form is a template's autoescaped output.
    return mark_safe(QUESTION_ELEMENT_RE.sub(question, lesson.body_html))  # noqa: S308


def lesson_detail(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    lesson = lesson_get_for_page(module_slug=module_slug, lesson_slug=lesson_slug)
    if lesson is None:
        raise Http404(gettext("No such lesson."))
    read = lesson_read_by_user(user=request.user, lesson_id=lesson.pk)
    previous, following = step_neighbours(kind="lesson", pk=lesson.pk)
    exercises = lesson_exercises(lesson=lesson)
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
            "figures_script": figures_script(lesson),
            "body_html": lesson_body(request, lesson),
            "lesson_config": {
                "signedIn": request.user.is_authenticated,
                "runsUrl": reverse("api-runs"),
                "loginUrl": f"{reverse('login')}?next={request.path}",
            },
        },
    )


@login_required
@require_POST
def lesson_read(request: HttpRequest, module_slug: str, lesson_slug: str) -> HttpResponse:
    """ "Mark as read" without JavaScript: count the lesson, then go on to the next step."""
    lesson = lesson_get(module_slug=module_slug, lesson_slug=lesson_slug)
    if lesson is None:
        raise Http404(gettext("No such lesson."))
    lesson_mark_read(user=authenticated_user(request), lesson=lesson)
    _, following = step_neighbours(kind="lesson", pk=lesson.pk)
    if following is None:
        return redirect("curriculum:module", module_slug)
    return redirect(step_url(following))


@login_required
@require_POST
def lesson_question_answer(
    request: HttpRequest, module_slug: str, lesson_slug: str, name: str
) -> HttpResponse:
    """Answer a concept check without JavaScript: grade, say how it went, back to the lesson."""
    question = question_get(module_slug=module_slug, lesson_slug=lesson_slug, name=name)
    if question is None:
        raise Http404(gettext("No such question."))
    outcome = question_answer(
        user=authenticated_user(request), question=question, answer=request.POST.get("answer", "")
    )
    level = messages.SUCCESS if outcome.feedback.correct else messages.WARNING
    messages.add_message(request, level, outcome.feedback.message)
    if outcome.revealed:
        messages.info(request, outcome.revealed)
    url = reverse("curriculum:lesson", args=[module_slug, lesson_slug])
    return redirect(f"{url}#question-{name}")
