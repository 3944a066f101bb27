"""A lesson's companion files: ``<slug>.figures.py`` and ``<slug>.questions.py`` (trusted).

Figures (static and explorable) are built at sync time and cached by the lesson's content
hash, which covers the Markdown, both companions and the versions of the rendering and
explorable code: in this process, and on disk under ``settings.LESSON_FIGURE_CACHE_DIR``
(so a fresh test database or a second process does not rebuild 121-frame explorables that
have not changed). The disk cache is an optimisation only: unwritable, it is skipped.

Question builders are loaded once per content hash too, for the lesson page and the API to
draw each learner's variant.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import tempfile
import threading
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings

from apps.curriculum.loader import LessonSpec
from apps.curriculum.rendering import figure_names, question_names
from apps.sandbox.grading.explorables import Explorable, explorable_to_dict
from apps.sandbox.grading.figures import figure_to_dict
from apps.sandbox.grading.questions import QuestionBuilder, builders_of

logger = logging.getLogger(__name__)

_figures: dict[str, dict[str, Any]] = {}
_questions: dict[tuple[str, str], Mapping[str, QuestionBuilder]] = {}
_lock = threading.Lock()
MAX_CACHED = 256


def load_companion(path: Path, name: str) -> types.ModuleType:
    """Execute a companion file (trusted content) as a fresh module."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def lesson_figures_build(lesson: LessonSpec) -> dict[str, Any]:
    """Run a lesson's ``<slug>.figures.py`` and return its figures as data (no cache).

    Each value ``figures()`` returns is a Plotly figure (or its dict) or an Explorable,
    which becomes one figure with frames and sliders (explorables.explorable_to_dict).
    """
    names = figure_names(lesson.body)
    if lesson.figures_path is None:
        if names:
            raise ValueError(
                f"{lesson.path}: uses figures {names} but has no {lesson.slug}.figures.py"
            )
        return {}
    module = load_companion(lesson.figures_path, f"lesson_figures_{lesson.slug}")
    built = {}
    for name, figure in module.figures().items():
        try:
            if isinstance(figure, Explorable):
                built[name] = explorable_to_dict(figure)
            else:
                built[name] = figure_to_dict(figure)
        except ValueError as exc:
            raise ValueError(f"{lesson.figures_path}: figure {name!r}: {exc}") from exc
    missing = [name for name in names if name not in built]
    if missing:
        raise ValueError(f"{lesson.figures_path}: figures() does not build {missing}")
    return built


def _cache_path(content_hash: str) -> Path:
    return Path(settings.LESSON_FIGURE_CACHE_DIR) / f"{content_hash}.json"


def _read_disk(content_hash: str) -> dict[str, Any] | None:
    try:
        data = json.loads(_cache_path(content_hash).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_disk(content_hash: str, figures: dict[str, Any]) -> None:
    target = _cache_path(content_hash)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written whole, then renamed: a reader never sees half a file.
        fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(figures, handle)
        os.replace(temporary, target)
    except OSError as exc:
        logger.info("lesson figure cache not written (%s)", exc)


def lesson_figures(lesson: LessonSpec) -> dict[str, Any]:
    """A lesson's figures, built once per content hash (see the module docstring)."""
    cached = _figures.get(lesson.content_hash)
    if cached is None:
        cached = _read_disk(lesson.content_hash)
    if cached is None:
        cached = lesson_figures_build(lesson)
        _write_disk(lesson.content_hash, cached)
    with _lock:
        if len(_figures) >= MAX_CACHED:
            _figures.clear()
        _figures[lesson.content_hash] = cached
    return cached


def question_builders(
    *, path: Path | None, content_hash: str, names: list[str] | None = None
) -> Mapping[str, QuestionBuilder]:
    """The ``questions()`` of a lesson's questions file, loaded once per content hash.

    ``names``, when given, must all be defined (the questions the Markdown places).
    """
    if path is None:
        if names:
            raise ValueError(f"questions {names} are placed but there is no questions file")
        return {}
    key = (str(path), content_hash)
    builders = _questions.get(key)
    if builders is None:
        module = load_companion(path, f"lesson_questions_{path.stem.replace('.', '_')}")
        try:
            builders = builders_of(module)
        except TypeError as exc:
            raise ValueError(f"{path}: {exc}") from exc
        with _lock:
            if len(_questions) >= MAX_CACHED:
                _questions.clear()
            _questions[key] = builders
    missing = [name for name in names or [] if name not in builders]
    if missing:
        raise ValueError(f"{path}: questions() does not define {missing}")
    return builders


def lesson_question_builders(lesson: LessonSpec) -> Mapping[str, QuestionBuilder]:
    return question_builders(
        path=lesson.questions_path,
        content_hash=lesson.content_hash,
        names=question_names(lesson.body),
    )
