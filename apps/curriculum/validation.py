"""What check_content proves about a lesson beyond its Markdown rendering: its figures build
(explorables within their caps), its concept checks are sound for many seeds, and its page
stays under MAX_LESSON_PAGE_BYTES."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from apps.curriculum.companions import lesson_figures, lesson_question_builders
from apps.curriculum.loader import LessonSpec
from apps.curriculum.rendering import question_names, render_markdown
from apps.sandbox.grading.explorables import MAX_EXPLORABLE_BYTES, MAX_FRAMES
from apps.sandbox.grading.questions import question_problems

# The whole lesson page as sent (HTML with its figures' JSON inline), for any learner.
MAX_LESSON_PAGE_BYTES = 2_000_000
# What a page carries besides the lesson's own HTML and figures (header, navigation, script
# tags, the pager) and what each concept check's form adds: an allowance, measured on the
# real pages by tests/curriculum/test_lesson_pages.py.
PAGE_CHROME_BYTES = 40_000
QUESTION_FORM_BYTES = 5_000
CHECK_SEEDS = range(20)


def lesson_questions_validate(spec: LessonSpec, seeds: range = range(1)) -> list[str]:
    """Problems with the lesson's concept checks, each built from every seed in ``seeds``."""
    problems = []
    for name, build in lesson_question_builders(spec).items():
        for seed in seeds:
            try:
                question = build(np.random.default_rng(seed))
            except Exception as exc:
                problems.append(
                    f"question {name!r} (seed {seed}) raised {type(exc).__name__}: {exc}"
                )
                break
            found = question_problems(question)
            problems += [f"question {name!r} (seed {seed}): {problem}" for problem in found]
            if found:
                break
    return problems


def _figure_problems(name: str, figure: dict[str, Any]) -> list[str]:
    if "frames" not in figure:
        return []
    problems = []
    if len(figure["frames"]) > MAX_FRAMES:
        problems.append(
            f"explorable {name!r} has {len(figure['frames'])} frames (cap {MAX_FRAMES})"
        )
    size = len(json.dumps(figure))
    if size > MAX_EXPLORABLE_BYTES:
        problems.append(f"explorable {name!r} is {size:,} bytes (cap {MAX_EXPLORABLE_BYTES:,})")
    return problems


def lesson_page_bytes(spec: LessonSpec, figures: dict[str, Any]) -> int:
    """An upper estimate of the lesson page's size (see PAGE_CHROME_BYTES)."""
    body = len(render_markdown(spec.body).encode())
    inline = len(json.dumps(figures).encode())
    return body + inline + PAGE_CHROME_BYTES + QUESTION_FORM_BYTES * len(question_names(spec.body))


def lesson_problems(spec: LessonSpec, *, seeds: range = CHECK_SEEDS) -> list[str]:
    """Everything wrong with a lesson's figures, questions and page size (empty when fine)."""
    try:
        figures = lesson_figures(spec)
    except Exception as exc:
        return [f"figures do not build: {exc}"]
    problems = [p for name, figure in figures.items() for p in _figure_problems(name, figure)]
    try:
        problems += lesson_questions_validate(spec, seeds)
    except Exception as exc:
        problems.append(f"questions do not load: {exc}")
    size = lesson_page_bytes(spec, figures)
    if size > MAX_LESSON_PAGE_BYTES:
        problems.append(f"the page would be about {size:,} bytes (cap {MAX_LESSON_PAGE_BYTES:,})")
    return problems
