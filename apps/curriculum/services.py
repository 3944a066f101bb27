"""Writes to the curriculum tables. The only writer is the sync from disk."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from apps.curriculum.companions import (
    lesson_figures,
    lesson_figures_build,
)
from apps.curriculum.loader import Curriculum, ExerciseSpec, LessonSpec, ModuleSpec
from apps.curriculum.models import Exercise, Lesson, Module, Question
from apps.curriculum.rendering import question_names, render_markdown
from apps.curriculum.selectors import curriculum_revision_bump
from apps.curriculum.validation import lesson_questions_validate
from apps.sandbox.grading.questions import QUESTION_POINTS

# Re-exported: the figure builder lived here before lessons had companions.
__all__ = ["SyncReport", "curriculum_sync", "lesson_figures_build"]

logger = logging.getLogger(__name__)


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: int = 0
    # Exercises whose grading changed (a new check version): their submissions can be regraded.
    regradable: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.retired)} retired, {self.unchanged} unchanged"
        )


def _upsert(
    model: type[Module] | type[Lesson] | type[Exercise],
    uuid: Any,
    values: dict[str, Any],
    label: str,
    content_hash: str,
    report: SyncReport,
    derived: Callable[[], dict[str, Any]] | None = None,
) -> Any:
    """Create or update the row with this uuid; report what happened.

    ``derived`` gives the values that follow from the content hash alone (a lesson's HTML and
    figures): they are built only for a new row or a changed hash, never compared.
    """
    row = model.objects.filter(uuid=uuid).first()
    if row is None:
        extra = derived() if derived else {}
        row = model.objects.create(uuid=uuid, content_hash=content_hash, **values, **extra)
        report.added.append(label)
        return row
    if (
        row.content_hash == content_hash
        and not row.retired
        and all(
            getattr(row, key) == value for key, value in values.items() if not key.endswith("_id")
        )
    ):
        report.unchanged += 1
        return row
    if isinstance(row, Exercise):
        _exercise_versions_bump(row, content_hash, values, report)
    for key, value in values.items():
        setattr(row, key, value)
    if derived is not None and row.content_hash != content_hash:
        for key, value in derived().items():
            setattr(row, key, value)
    row.content_hash = content_hash
    row.retired = False
    row.save()
    report.changed.append(label)
    return row


def _exercise_versions_bump(
    row: Exercise, content_hash: str, values: dict[str, Any], report: SyncReport
) -> None:
    """New files: a new content version; new grading (checks, solution, limits): a new
    check version too. A row with no check hash yet (synced before there was one) gets it
    without a bump: its submissions were graded by these very checks."""
    if row.content_hash != content_hash:
        row.content_version += 1
    if row.check_hash and row.check_hash != values["check_hash"]:
        row.check_version += 1
        report.regradable.append(values["slug"])


def _module_values(spec: ModuleSpec) -> dict[str, Any]:
    return {
        "slug": spec.slug,
        "title": spec.title,
        "kind": spec.kind,
        "order": spec.order,
        "overview": spec.overview,
        "overview_html": render_markdown(spec.overview),
        "further_reading": list(spec.further_reading),
        # Concept checks count in mastery beside the exercises.
        "total_points": sum(exercise.points for exercise in spec.exercises)
        + QUESTION_POINTS * sum(len(question_names(lesson.body)) for lesson in spec.lessons),
    }


def _lesson_values(spec: LessonSpec, module: Module) -> dict[str, Any]:
    return {
        "module": module,
        "slug": spec.slug,
        "title": spec.title,
        "order": spec.order,
        "summary": spec.summary,
    }


def _lesson_derived(spec: LessonSpec) -> dict[str, Any]:
    """What a lesson's content hash fixes: its HTML and figures (its questions are checked)."""
    problems = lesson_questions_validate(spec)
    if problems:
        raise ValueError(f"{spec.path}: " + "; ".join(problems))
    return {"body_html": render_markdown(spec.body), "figures": lesson_figures(spec)}


def _sync_questions(spec: LessonSpec, lesson: Lesson) -> None:
    """The lesson's Question rows: one per ``{{ question: name }}``, in page order."""
    wanted = {name: order for order, name in enumerate(question_names(spec.body), start=1)}
    rows = {row.name: row for row in Question.objects.filter(lesson=lesson)}
    for name, order in wanted.items():
        row = rows.get(name)
        if row is None:
            Question.objects.create(lesson=lesson, name=name, order=order, points=QUESTION_POINTS)
        elif (row.order, row.points, row.retired) != (order, QUESTION_POINTS, False):
            row.order, row.points, row.retired = order, QUESTION_POINTS, False
            row.save(update_fields=["order", "points", "retired"])
    for name, row in rows.items():
        if name not in wanted and not row.retired:
            row.retired = True
            row.save(update_fields=["retired"])


def _exercise_values(spec: ExerciseSpec, module: Module, lesson: Lesson | None) -> dict[str, Any]:
    return {
        "module": module,
        "lesson": lesson,
        "slug": spec.slug,
        "title": spec.title,
        "order": spec.order,
        "points": spec.points,
        "prompt_html": render_markdown(spec.prompt),
        "starter_code": spec.starter,
        "functions": [
            {"name": f.name, "signature": f.signature, "doc": f.doc} for f in spec.functions
        ],
        "hints": list(spec.hints),
        "limits": dict(spec.limits),
        "try_input": spec.try_input,
        "check_hash": spec.check_hash,
    }


def _live_uuids(curriculum: Curriculum) -> set[Any]:
    uuids = {m.uuid for m in curriculum.modules}
    uuids |= {lesson.uuid for m in curriculum.modules for lesson in m.lessons}
    uuids |= {e.uuid for m in curriculum.modules for e in m.exercises}
    return uuids


def _retire_missing(curriculum: Curriculum, report: SyncReport) -> None:
    live_uuids = _live_uuids(curriculum)
    for model in (Module, Lesson, Exercise):
        for row in model.objects.exclude(uuid__in=live_uuids).filter(retired=False):
            row.retired = True
            row.slug = f"retired-{row.pk}-{row.slug}"[:80]
            row.save(update_fields=["retired", "slug"])
            report.retired.append(f"{model.__name__.lower()} {row.slug}")


def _park_changing_slugs(curriculum: Curriculum) -> None:
    """Park slugs of live rows whose slug changes, so a swap of two slugs can't collide."""
    wanted_slugs: dict[type[Module] | type[Exercise], dict[Any, str]] = {
        Module: {m.uuid: m.slug for m in curriculum.modules},
        Exercise: {e.uuid: e.slug for m in curriculum.modules for e in m.exercises},
    }
    for model, slugs in wanted_slugs.items():
        for row in model.objects.filter(uuid__in=slugs):
            if row.slug != slugs[row.uuid]:
                model.objects.filter(pk=row.pk).update(slug=f"renaming-{row.pk}")


def _sync_module_contents(spec: ModuleSpec, modules: dict[str, Module], report: SyncReport) -> None:
    """A module's prerequisites, lessons and exercises (every module row exists by now)."""
    module = modules[spec.slug]
    wanted = {modules[slug].pk for slug in spec.prerequisites}
    if set(module.prerequisites.values_list("pk", flat=True)) != wanted:
        module.prerequisites.set(wanted)
    lessons: dict[str, Lesson] = {}
    for lesson_spec in spec.lessons:
        lessons[lesson_spec.slug] = _upsert(
            Lesson,
            lesson_spec.uuid,
            _lesson_values(lesson_spec, module),
            f"lesson {spec.slug}/{lesson_spec.slug}",
            lesson_spec.content_hash,
            report,
            derived=functools.partial(_lesson_derived, lesson_spec),
        )
        _sync_questions(lesson_spec, lessons[lesson_spec.slug])
    for exercise_spec in spec.exercises:
        _upsert(
            Exercise,
            exercise_spec.uuid,
            _exercise_values(exercise_spec, module, lessons.get(exercise_spec.lesson_slug)),
            f"exercise {exercise_spec.slug}",
            exercise_spec.content_hash,
            report,
        )


@transaction.atomic
def curriculum_sync(*, curriculum: Curriculum) -> SyncReport:
    """Upsert every module, lesson and exercise by uuid; retire rows no longer on disk.

    Idempotent: a second run with the same files changes nothing. Rows are matched by uuid,
    so a renamed exercise keeps its id and with it every learner's progress. Slugs are freed
    first (renames can swap slugs), then rewritten.
    """
    report = SyncReport()
    _retire_missing(curriculum, report)
    _park_changing_slugs(curriculum)
    modules = {
        spec.slug: _upsert(
            Module,
            spec.uuid,
            _module_values(spec),
            f"module {spec.slug}",
            spec.content_hash,
            report,
        )
        for spec in curriculum.modules
    }
    for spec in curriculum.modules:
        _sync_module_contents(spec, modules, report)
    # Course pages cache the outline per process; they rebuild once this commits.
    transaction.on_commit(curriculum_revision_bump)
    return report
