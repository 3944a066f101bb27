"""The instructor's dashboard: their cohorts (create, rename, archive, a new join code), one
cohort's heatmap and tables, one learner's modules and attempts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.curriculum.models import Exercise
from apps.lti.selectors import cohorts_marked_lms_courses
from apps.progress.auth import authenticated_user
from apps.progress.deadlines import deadlines_version_key
from apps.progress.models import Cohort
from apps.progress.selectors import (
    COHORTS_EPOCH_KEY,
    CohortProgress,
    cohort_dashboard_cache_keys,
    cohort_for_instructor,
    cohort_has_learner,
    cohort_progress,
    cohorts_for_instructor,
    cohorts_with_learner_counts,
    concept_checks_for_learner,
    last_activity_for_user,
    last_attempt_by_learner,
    progress_for_user,
    user_is_instructor,
)
from apps.progress.services import (
    cohort_archive,
    cohort_create,
    cohort_join_code_rotate,
    cohort_rename,
    cohort_unarchive,
)
from apps.progress.versioned import VersionedEntries, version_read
from apps.sandbox.selectors import (
    submissions_of_learner_for_instructor,
    submissions_with_attempt_numbers,
)
from frontend.forms import CohortNameForm
from frontend.templatetags.course_time import course_time_panel_key

# Versioned keys make stale entries unreachable; the timeout only bounds memory.
COHORT_BODY_SECONDS = 600
# Bodies this process keeps (a 200-learner body is ~400 kB): a few cohorts' worth.
COHORT_BODIES = VersionedEntries(size=16, max_age=COHORT_BODY_SECONDS)
# Where the cached body goes in the rendered page (``_cohort_page``).
BODY_SLOT = mark_safe("<!--cohort-body-->")
BODY_SLOT_BYTES = BODY_SLOT.encode()
ATTEMPTS_SHOWN = 200
# Instructors' lists of cohorts (a few hundred bytes each), by their epoch-named key. Kept
# as briefly as the signed-in user (their role): the list also decides which cohort pages
# they may open, and a write Django sends no signal for (rows written straight to the table
# behind ``Cohort.instructors``) should not outlive that.
INSTRUCTOR_COHORTS_SECONDS = 300
INSTRUCTOR_COHORTS = VersionedEntries(size=512, max_age=INSTRUCTOR_COHORTS_SECONDS)


def _require_instructor(request: HttpRequest) -> None:
    if not user_is_instructor(user=request.user):
        raise PermissionDenied(_("The dashboard is for instructors."))


@login_required
@require_http_methods(["GET", "POST"])
def dashboard(request: HttpRequest) -> HttpResponse:
    """The cohorts one teaches, current and archived; POST creates one."""
    _require_instructor(request)
    instructor = authenticated_user(request)
    form = CohortNameForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        try:
            cohort = cohort_create(name=form.cleaned_data["name"], instructor=instructor)
        except ValidationError as exc:
            form.add_error("name", exc.messages)
        else:
            messages.success(
                request,
                _("Cohort “%(name)s” created. Learners join it with the code %(code)s.")
                % {"name": cohort.name, "code": cohort.join_code},
            )
            return redirect("dashboard-cohort", cohort.pk)
    cohorts = list(cohorts_with_learner_counts(instructor=instructor))
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "form": form,
            "current": [c for c in cohorts if not c.archived],
            "archived": [c for c in cohorts if c.archived],
        },
        status=400 if form.errors else 200,
    )


def _cohort_or_404(request: HttpRequest, cohort_id: int) -> Cohort:
    _require_instructor(request)
    cohort = cohort_for_instructor(instructor=authenticated_user(request), cohort_id=cohort_id)
    if cohort is None:
        raise Http404(_("No such cohort among yours."))
    return cohort


@login_required
def dashboard_cohort(request: HttpRequest, cohort_id: int) -> HttpResponse:
    # The page lists the instructor's other cohorts: one query finds this one among them.
    _require_instructor(request)
    cohorts = _cohorts_of(request)
    cohort = next((c for c in cohorts if c.pk == cohort_id), None)
    if cohort is None:
        raise Http404(_("No such cohort among yours."))
    form = CohortNameForm(initial={"name": cohort.name})
    return _cohort_page(request, cohort, form, cohorts=cohorts)


def _cohorts_of(request: HttpRequest) -> list[Cohort]:
    """The instructor's cohorts (the page's own among them, and the switcher's), each marked
    an LMS course or not (the grades-to-the-LMS panel): with a shared cache, from it (and
    this process's copy) while the cohorts' epoch holds, read before the cohorts."""
    instructor = authenticated_user(request)

    def read() -> list[Cohort]:
        return list(cohorts_marked_lms_courses(cohorts_for_instructor(instructor=instructor)))

    if not settings.SHARED_CACHE:
        return read()
    key = f"instructor-cohorts:{instructor.pk}:{version_read(COHORTS_EPOCH_KEY)}"
    return INSTRUCTOR_COHORTS.fetch(key, read, INSTRUCTOR_COHORTS_SECONDS)


def _cohort_page(
    request: HttpRequest,
    cohort: Cohort,
    rename_form: CohortNameForm,
    status: int = 200,
    replace_url: str = "",
    cohorts: list[Cohort] | None = None,
) -> HttpResponse:
    # The heatmap and tables change only when a member's progress does: render them once
    # per cohort version and share them between the cohort's instructors, as UTF-8.
    # (Only with a cache all processes share: a per-process one would miss another's bump.)
    # The body is translated: one copy per language.
    # The versions in one cache read, then the body and the deadlines panel in another.
    body_key, deadlines_version = cohort_dashboard_cache_keys(
        cohort_id=cohort.pk, also=deadlines_version_key(cohort.pk)
    )
    key = f"{body_key}:{get_language()}:utf-8"
    panel_key = course_time_panel_key(body_key=body_key, deadlines_version=deadlines_version)
    cached = COHORT_BODIES.get(key)
    wanted = [panel_key] if cached is not None else [key, panel_key]
    found = cache.get_many(wanted) if settings.SHARED_CACHE else {}
    if cached is None:
        cached = found.get(key)
        if cached is None:
            cached = _cohort_body(cohort)
            if settings.SHARED_CACHE:
                cache.set(key, cached, timeout=COHORT_BODY_SECONDS)
        COHORT_BODIES.keep(key, cached)
    body, learner_count = cached
    response = render(
        request,
        "dashboard/dashboard_cohort.html",
        {
            "cohort": cohort,
            "cohorts": cohorts if cohorts is not None else _cohorts_of(request),
            "body": BODY_SLOT,
            "learner_count": learner_count,
            "rename_form": rename_form,
            # The rename form as served on a GET shows only the cohort's name (a form sent
            # back with errors shows what was typed, and is rendered as is).
            "rename_key": None if rename_form.is_bound else (cohort.pk, cohort.name),
            "csv_url": reverse("api-cohort-progress-csv", args=[cohort.pk]),
            "summary_csv_url": reverse("api-cohort-exercise-summary-csv", args=[cohort.pk]),
            "replace_url": replace_url,
            "course_time": (panel_key, found.get(panel_key)),
        },
        status=status,
    )
    # The page around the body is rendered with a slot where the body goes, and the body's
    # bytes go in as they are: a 200-learner body (~400 kB) is neither copied through every
    # level of the templates nor encoded again on each view. The slot is markup (escaped
    # wherever text from a user is shown), so its first occurrence is the slot.
    before, after = response.content.split(BODY_SLOT_BYTES, 1)
    response.content = b"".join((before, body, after))
    return response


@dataclass(frozen=True)
class ModuleColumns:
    """A module's exercises as a run of heatmap columns."""

    title: str
    exercises: list[Exercise]


def score_band(score: float | None) -> str:
    """A heatmap cell's colour class: never attempted, 0%, under half, half or more, full."""
    if score is None:
        return ""
    if score <= 0:
        return "s0"
    if score < 0.5:
        return "s1"
    if score < 1:
        return "s2"
    return "s3"


def _heatmap_cell(score: float | None) -> tuple[str, str]:
    """(colour class, text): the text is what a screen reader reads, empty if not attempted."""
    return score_band(score), "" if score is None else f"{round(score * 100)}%"


def _heatmap(progress: CohortProgress) -> dict[str, Any]:
    """Columns: exercises somebody attempted, in course order, grouped by module."""
    attempted = [
        j
        for j in range(len(progress.exercises))
        if any(row[j] is not None for row in progress.scores)
    ]
    groups: list[ModuleColumns] = []
    for j in attempted:
        exercise = progress.exercises[j]
        if not groups or groups[-1].title != exercise.module.title:
            groups.append(ModuleColumns(title=exercise.module.title, exercises=[]))
        groups[-1].exercises.append(exercise)
    rows = []
    for learner, row in zip(progress.learners, progress.scores, strict=True):
        cells = [_heatmap_cell(row[j]) for j in attempted]
        # Built here, not by a template loop: a 200-learner cohort has thousands of cells,
        # and each is a fixed class and a number (nothing that needs escaping).
        html = "".join(
            f'<td class="{band}">{text}</td>' if band else "<td></td>" for band, text in cells
        )
        rows.append({"learner": learner, "cells": cells, "html": mark_safe(html)})  # noqa: S308
    return {"groups": groups, "columns": len(attempted), "rows": rows}


def _cohort_body(cohort: Cohort) -> tuple[bytes, int]:
    """The cohort's heatmap and tables as UTF-8, and how many learners it has."""
    progress = cohort_progress(cohort=cohort)
    last_attempt = last_attempt_by_learner(cohort=cohort)
    learners = []
    for learner, row, checks in zip(
        progress.learners, progress.scores, progress.concept_checks, strict=True
    ):
        done = [s for s in row if s is not None]
        learners.append(
            {
                "user": learner,
                "attempted": len(done),
                "passed": sum(1 for s in done if s >= 1.0),
                "mean": (sum(done) / len(done)) if done else None,
                "last_attempt": last_attempt.get(learner.pk),
                # Concept checks over every lesson: answered at least once, and correctly.
                "checks_answered": sum(c.answered for c in checks),
                "checks_correct": sum(c.correct for c in checks),
            }
        )
    body = render_to_string(
        "dashboard/_cohort_body.html",
        {
            "cohort": cohort,
            "heatmap": _heatmap(progress),
            "learners": learners,
            "stats": [
                (exercise, stat)
                for exercise, stat in zip(progress.exercises, progress.exercise_stats, strict=True)
                if stat.attempted
            ],
            "exercise_total": len(progress.exercises),
            "questions_total": sum(lesson.questions for lesson in progress.lessons),
        },
    )
    return body.encode(), len(learners)


@login_required
@require_POST
def dashboard_cohort_rename(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _cohort_or_404(request, cohort_id)
    form = CohortNameForm(request.POST)
    if form.is_valid():
        try:
            cohort_rename(
                cohort=cohort,
                instructor=authenticated_user(request),
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            form.add_error("name", exc.messages)
        else:
            messages.success(request, _("Renamed to “%(name)s”.") % {"name": cohort.name})
            return redirect("dashboard-cohort", cohort.pk)
    cohort.refresh_from_db()
    # The form is far down a long page: the browser lands on the field with its error, and
    # the page's address goes back to the cohort's, so a reload does not post again.
    form.fields["name"].widget.attrs["autofocus"] = True
    return _cohort_page(
        request, cohort, form, status=400, replace_url=reverse("dashboard-cohort", args=[cohort.pk])
    )


@login_required
@require_POST
def dashboard_cohort_join_code(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _cohort_or_404(request, cohort_id)
    old = cohort.join_code
    cohort_join_code_rotate(cohort=cohort, instructor=authenticated_user(request))
    messages.success(
        request,
        _("New join code: %(code)s. The old code %(old)s no longer works.")
        % {"code": cohort.join_code, "old": old},
    )
    return redirect("dashboard-cohort", cohort.pk)


@login_required
@require_POST
def dashboard_cohort_archive(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """``archived=1`` archives the cohort, ``archived=0`` reopens it."""
    cohort = _cohort_or_404(request, cohort_id)
    instructor = authenticated_user(request)
    if request.POST.get("archived") == "0":
        cohort_unarchive(cohort=cohort, instructor=instructor)
        messages.success(request, _("“%(name)s” is open again.") % {"name": cohort.name})
    else:
        cohort_archive(cohort=cohort, instructor=instructor)
        messages.success(
            request,
            _("“%(name)s” is archived: nobody can join it; its progress stays here.")
            % {"name": cohort.name},
        )
    return redirect("dashboard-cohort", cohort.pk)


@login_required
def dashboard_learner(request: HttpRequest, cohort_id: int, user_id: int) -> HttpResponse:
    cohort = _cohort_or_404(request, cohort_id)
    instructor = authenticated_user(request)
    if not cohort_has_learner(cohort=cohort, user_id=user_id):
        raise Http404(_("That learner is not in this cohort."))
    learner = get_user_model().objects.get(pk=user_id)
    progress = progress_for_user(user=learner)
    attempted = [
        standing.exercise
        for module in progress.modules
        for standing in module.exercises
        if standing.attempts
    ]
    chosen = next((e for e in attempted if e.slug == request.GET.get("exercise")), None)
    submissions = submissions_of_learner_for_instructor(instructor=instructor, learner_id=user_id)
    if chosen is not None:
        submissions = submissions.filter(exercise=chosen)
    return render(
        request,
        "dashboard/dashboard_learner.html",
        {
            "cohort": cohort,
            "learner": learner,
            "submissions": list(
                submissions_with_attempt_numbers(
                    submissions.defer("code", "stdout", "stderr", "checks")
                ).order_by("-created_at", "-id")[:ATTEMPTS_SHOWN]
            ),
            "attempts_shown": ATTEMPTS_SHOWN,
            "progress": progress,
            "last_active": last_activity_for_user(user=learner),
            "attempted_exercises": attempted,
            "chosen": chosen,
            "concept_checks": concept_checks_for_learner(user=learner),
        },
    )
