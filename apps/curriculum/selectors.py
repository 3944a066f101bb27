"""Reads of the curriculum: the course outline pages share, rows by slug, an exercise's spec."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Literal, TypeVar

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, QuerySet

from apps.curriculum.companions import question_builders
from apps.curriculum.loader import ExerciseSpec, load_exercise
from apps.curriculum.models import Exercise, Lesson, Module, Question
from apps.curriculum.rendering import render_inline, render_markdown
from apps.sandbox.grading.questions import Choice, QuestionBuilder, precision_note
from apps.sandbox.grading.questions import Question as AnyQuestion

logger = logging.getLogger(__name__)

REVISION_KEY = "curriculum-revision"
# Without a shared cache (the embedded default) another process's sync can't tell this one;
# the outline is then rebuilt at least this often.
OUTLINE_MAX_AGE = 30.0


@dataclass(frozen=True)
class _Outline:
    revision: str | None
    built_at: float
    modules: tuple[Module, ...]


_outline: _Outline | None = None
_outline_lock = threading.Lock()

# The revision as read in the current request ({} until read; None outside a request, where
# every call reads the cache). A page asks for it from several places (the outline, the
# dashboard's key): one cache read serves them all, and they agree.
_request_revision: ContextVar[dict[str, str | None] | None] = ContextVar(
    "curriculum_request_revision", default=None
)


def curriculum_revision() -> str | None:
    """The course's revision in the shared cache (None if there is none): changed by every
    sync. Read once per request (apps.curriculum.middleware)."""
    memo = _request_revision.get()
    if memo is None:
        revision: str | None = cache.get(REVISION_KEY)
        return revision
    if "revision" not in memo:
        memo["revision"] = cache.get(REVISION_KEY)
    return memo["revision"]


def curriculum_revision_known() -> bool:
    """Whether this request has read the revision already (outside a request: no)."""
    memo = _request_revision.get()
    return memo is not None and "revision" in memo


def curriculum_revision_already_read(revision: str | None) -> None:
    """The revision, read by the caller with other keys in one round trip: this request's
    later reads use it (outside a request, nothing is kept)."""
    memo = _request_revision.get()
    if memo is not None and "revision" not in memo:
        memo["revision"] = revision


@contextmanager
def curriculum_revision_read_once() -> Iterator[None]:
    """Within the block (a request: ``curriculum_revision_middleware``), ``curriculum_revision``
    reads the cache once."""
    token = _request_revision.set({})
    try:
        yield
    finally:
        _request_revision.reset(token)


def curriculum_revision_bump() -> None:
    """Tell every process the course changed (called by the sync)."""
    global _outline
    cache.set(REVISION_KEY, uuid.uuid4().hex, timeout=None)
    _outline = None
    memo = _request_revision.get()
    if memo is not None:  # a sync or an admin edit inside a request: read it again
        memo.pop("revision", None)


def modules_outline() -> tuple[Module, ...]:
    """Live modules with prerequisites, lessons and exercises, light columns only.

    Every course page needs this shape and it changes only when the course is synced, so it
    is built once per process and revision. Treat the rows as read-only: they are shared.
    """
    global _outline
    revision = curriculum_revision()
    current = _outline
    if (
        current is not None
        and current.revision == revision
        and time.monotonic() - current.built_at < OUTLINE_MAX_AGE
    ):
        return current.modules
    with _outline_lock:
        lessons = Lesson.objects.filter(retired=False).only(
            "id", "module_id", "slug", "title", "order", "summary"
        )
        exercises = Exercise.objects.filter(retired=False).only(
            "id", "module_id", "lesson_id", "slug", "title", "order", "points"
        )
        modules = tuple(
            Module.objects.filter(retired=False)
            .only(
                "id",
                "slug",
                "title",
                "kind",
                "order",
                "overview",
                "further_reading",
                "total_points",
                "retired",
            )
            .prefetch_related(
                Prefetch(
                    "prerequisites",
                    queryset=Module.objects.filter(retired=False).only("id", "slug", "title"),
                ),
                Prefetch("lessons", queryset=lessons.order_by("order", "slug")),
                Prefetch("exercises", queryset=exercises.order_by("order", "slug")),
            )
            .order_by("order", "slug")
        )
        _outline = _Outline(revision=revision, built_at=time.monotonic(), modules=modules)
    return modules


def outline_token(modules: Sequence[Module]) -> str | float | None:
    """Names the outline ``modules`` came from (``modules_outline``'s rows): its revision, or
    when it was built if there is none; None if it is no longer this process's outline. It
    changes whenever the rows may have: a key for something rendered from them includes it."""
    current = _outline
    if current is None or len(current.modules) != len(modules):
        return None
    if not all(mine is theirs for mine, theirs in zip(current.modules, modules, strict=True)):
        return None
    return current.revision or current.built_at


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


def lesson_get(*, module_slug: str, lesson_slug: str, with_figures: bool = True) -> Lesson | None:
    """A live lesson. ``with_figures=False`` leaves its figures (up to ~2 MB of JSON with
    explorables) unloaded: the page reads them through ``lesson_figures_json``, cached."""
    lessons = Lesson.objects.select_related("module")
    if not with_figures:
        lessons = lessons.defer("figures")
    return lessons.filter(
        module__slug=module_slug, slug=lesson_slug, retired=False, module__retired=False
    ).first()


# (lesson id, content hash) -> the figures as JSON text: a lesson's figures change only with
# its content hash, and decoding and encoding them costs the page milliseconds per request.
_figures_json: dict[tuple[int, str], str] = {}
_figures_lock = threading.Lock()
MAX_CACHED_FIGURES = 32


def lesson_figures_json(*, lesson: Lesson) -> str:
    """The lesson's figures as JSON text (not escaped for HTML: the template does that)."""
    key = (lesson.pk, lesson.content_hash)
    text = _figures_json.get(key)
    if text is None:
        figures = Lesson.objects.filter(pk=lesson.pk).values_list("figures", flat=True).first()
        text = json.dumps(figures or {}, separators=(",", ":"))
        with _figures_lock:
            if len(_figures_json) >= MAX_CACHED_FIGURES:
                _figures_json.clear()
            _figures_json[key] = text
    return text


def exercise_get(*, slug: str) -> Exercise | None:
    return (
        Exercise.objects.select_related("module", "lesson").filter(slug=slug, retired=False).first()
    )


K = TypeVar("K")
R = TypeVar("R")


class OutlineRows(Generic[K, R]):
    """Rows a page reads by slug, kept in this process for as long as the course outline is.

    Lessons and exercises (prompt, body, hints, starter code) change only by a sync or in the
    admin, and both change the outline's revision (``outline_token``), which starts a fresh
    map. Read-only: a row is shared between requests and threads.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._token: str | float | None = None
        self._rows: dict[K, R | None] = {}
        self._lock = threading.Lock()

    def get(self, key: K, load: Callable[[], R | None]) -> R | None:
        token = outline_token(modules_outline())
        if token is None:  # an outline being replaced: read through
            return load()
        with self._lock:
            if self._token != token:
                self._token, self._rows = token, {}
            if key in self._rows:
                return self._rows[key]
            if len(self._rows) >= self.size:  # full: start again rather than grow
                self._rows = {}
            rows = self._rows
        row = load()
        with self._lock:
            rows[key] = row
        return row


_page_exercises: OutlineRows[str, Exercise] = OutlineRows(512)
_page_lessons: OutlineRows[tuple[str, str], Lesson] = OutlineRows(512)


def exercise_get_for_page(*, slug: str) -> Exercise | None:
    """``exercise_get`` with module and lesson, kept per outline (``OutlineRows``)."""
    return _page_exercises.get(slug, lambda: exercise_get(slug=slug))


def lesson_get_for_page(*, module_slug: str, lesson_slug: str) -> Lesson | None:
    """``lesson_get`` without figures, with its module, kept per outline (``OutlineRows``)."""
    return _page_lessons.get(
        (module_slug, lesson_slug),
        lambda: lesson_get(module_slug=module_slug, lesson_slug=lesson_slug, with_figures=False),
    )


def lesson_exercises(*, lesson: Lesson) -> list[Exercise]:
    """The live exercises that practise a lesson, in order: outline rows (slug, title)."""
    for module in modules_outline():
        if module.pk == lesson.module_id:
            return [e for e in module.exercises.all() if e.lesson_id == lesson.pk]
    return []


@dataclass(frozen=True)
class Step:
    """One stop on the course in teaching order: a lesson, or an exercise (after its lesson).

    ``item`` is the outline's row (read-only, shared); ``module`` is the module it is in.
    """

    module: Module
    kind: Literal["lesson", "exercise"]
    item: Lesson | Exercise

    @property
    def key(self) -> tuple[str, int]:
        return self.kind, self.item.pk


def module_steps(module: Module) -> list[Step]:
    """A module in teaching order: each lesson followed by the exercises that practise it.

    Exercises tied to no lesson of the module come last. ``module`` must be an outline row
    (its lessons and exercises prefetched, live and in order).
    """
    lessons = list(module.lessons.all())
    lesson_ids = {lesson.pk for lesson in lessons}
    practising: defaultdict[int | None, list[Exercise]] = defaultdict(list)
    for exercise in module.exercises.all():
        practising[exercise.lesson_id if exercise.lesson_id in lesson_ids else None].append(
            exercise
        )
    steps: list[Step] = []
    for lesson in lessons:
        steps.append(Step(module, "lesson", lesson))
        steps += [Step(module, "exercise", exercise) for exercise in practising[lesson.pk]]
    steps += [Step(module, "exercise", exercise) for exercise in practising[None]]
    return steps


# Every lesson and exercise page asks for its neighbours: the steps kept per outline.
_course_steps: OutlineRows[None, list[Step]] = OutlineRows(1)


def course_steps() -> list[Step]:
    """The whole course in teaching order (modules in course order)."""
    steps = _course_steps.get(
        None, lambda: [step for module in modules_outline() for step in module_steps(module)]
    )
    return list(steps or [])


def step_neighbours(
    *, kind: Literal["lesson", "exercise"], pk: int
) -> tuple[Step | None, Step | None]:
    """The steps before and after a lesson or exercise in teaching order, across modules."""
    steps = course_steps()
    index = next((i for i, step in enumerate(steps) if step.key == (kind, pk)), None)
    if index is None:
        return None, None
    previous = steps[index - 1] if index > 0 else None
    following = steps[index + 1] if index + 1 < len(steps) else None
    return previous, following


# (exercise id, content hash) -> spec. A sync that changes an exercise's files changes its
# hash, so a stale spec is never found; the size cap only bounds memory across many syncs.
_specs: dict[tuple[int, str], ExerciseSpec] = {}
_specs_lock = threading.Lock()
MAX_CACHED_SPECS = 1024


def exercise_spec(*, exercise: Exercise) -> ExerciseSpec:
    """The spec an exercise row was synced from: its own folder, read once per content hash.

    If the files changed on disk since the last sync, the files are what grading uses (with
    a warning), cached under the row's hash so an unsynced edit costs one read, not one per
    submission. ``exercise.module`` is only read on a miss.
    """
    key = (exercise.pk, exercise.content_hash)
    spec = _specs.get(key)
    if spec is not None:
        return spec
    module_slug = exercise.module.slug
    directory = Path(settings.CURRICULUM_DIR) / module_slug / "exercises" / exercise.slug
    spec = load_exercise(directory, module_slug)
    if spec.content_hash != exercise.content_hash:
        logger.warning("%s changed on disk since the last sync_curriculum", exercise.slug)
        spec = dataclasses.replace(spec, content_hash=exercise.content_hash)
    with _specs_lock:
        if len(_specs) >= MAX_CACHED_SPECS:
            _specs.clear()
        _specs[key] = spec
    return spec


# ----- concept checks ------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionVariant:
    """One learner's variant of a concept check: the question built from their seed.

    ``built`` holds the answer: never send it to the learner (serialise the prompt, the
    options and the kind only).
    """

    question: Question
    variant: int
    built: AnyQuestion
    prompt_html: str
    options_html: tuple[str, ...] = ()


def question_seed(*, question: Question, user_id: int | None, variant: int) -> int:
    """The seed of a learner's variant: fixed by the lesson, the question, the learner and
    the variant number, so a page and the grader draw the same numbers without storing them."""
    key = f"{question.lesson.uuid}:{question.name}:{user_id or 'anonymous'}:{variant}"
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


def _question_builders(lesson: Lesson) -> Mapping[str, QuestionBuilder]:
    path = (
        Path(settings.CURRICULUM_DIR)
        / lesson.module.slug
        / "lessons"
        / f"{lesson.slug}.questions.py"
    )
    return question_builders(path=path if path.exists() else None, content_hash=lesson.content_hash)


def question_variant(*, question: Question, user_id: int | None, variant: int) -> QuestionVariant:
    """Build ``question`` for this learner and variant (trusted content; cached module).

    The build depends only on the content and the seed, so it is kept per outline
    (``OutlineRows``): building and rendering two variants was a third of a lesson page.
    """
    seed = question_seed(question=question, user_id=user_id, variant=variant)
    if question.pk is None:
        built, prompt_html, options = _variant_built(question, seed)
    else:
        found = _variants.get((question.pk, seed), lambda: _variant_built(question, seed))
        assert found is not None
        built, prompt_html, options = found
    return QuestionVariant(
        question=question,
        variant=variant,
        built=built,
        prompt_html=prompt_html,
        options_html=options,
    )


def _variant_built(question: Question, seed: int) -> tuple[AnyQuestion, str, tuple[str, ...]]:
    builders = _question_builders(question.lesson)
    if question.name not in builders:
        raise LookupError(f"question {question.name!r} is not defined for {question.lesson.slug}")
    built = builders[question.name](np.random.default_rng(seed))
    options = (
        tuple(render_inline(option) for option in built.options)
        if isinstance(built, Choice)
        else ()
    )
    prompt_html = render_markdown(f"{built.prompt} {precision_note(built)}".strip())
    return built, prompt_html, options


def lesson_questions(*, lesson: Lesson) -> list[Question]:
    """The live concept checks of a lesson, in page order (each pointing at ``lesson``)."""
    questions = list(lesson.questions.filter(retired=False).order_by("order"))
    for question in questions:
        question.lesson = lesson  # the caller's row: not loaded again per question
    return questions


_page_questions: OutlineRows[int, list[Question]] = OutlineRows(512)
# (question id, seed) -> what question_variant builds: a few variants per learner and check.
_variants: OutlineRows[tuple[int, int], tuple[AnyQuestion, str, tuple[str, ...]]] = OutlineRows(
    4096
)


def lesson_questions_for_page(*, lesson: Lesson) -> list[Question]:
    """``lesson_questions``, kept per outline (``OutlineRows``): questions change only by a
    sync, which moves the outline's revision on. The list and its rows are shared: read-only."""
    return _page_questions.get(lesson.pk, lambda: lesson_questions(lesson=lesson)) or []


def question_get(*, module_slug: str, lesson_slug: str, name: str) -> Question | None:
    return (
        Question.objects.select_related("lesson__module")
        # A question needs its lesson's identity, not its page (HTML and figures are large).
        .defer("lesson__body_html", "lesson__figures")
        .filter(
            name=name,
            retired=False,
            lesson__slug=lesson_slug,
            lesson__retired=False,
            lesson__module__slug=module_slug,
            lesson__module__retired=False,
        )
        .first()
    )
