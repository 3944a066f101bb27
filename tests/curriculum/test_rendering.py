"""Lesson Markdown to HTML: every figure line becomes a figure, and check_content says so."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.curriculum import rendering
from apps.curriculum.models import Lesson
from apps.curriculum.rendering import figure_names, render_markdown, rendering_problems

# The pattern before issue 16: its trailing \s* ate the newline after the figure line.
SWALLOWING_PATTERN = re.compile(r"^\{\{\s*figure:\s*([a-z0-9_-]+)\s*\}\}\s*$", re.MULTILINE)


def render_markdown_before_issue_16(source: str) -> str:
    with_tokens = SWALLOWING_PATTERN.sub(lambda m: rendering.FIGURE_TOKEN.format(m[1]), source)
    return rendering.FIGURE_TOKEN_RE.sub(
        lambda m: f'<figure class="lesson-figure" data-figure="{m[1]}"></figure>',
        rendering._markdown().render(with_tokens),
    )


@pytest.mark.parametrize(
    "source",
    [
        "Before.\n\n{{ figure: bowl }}\n\nAfter.",
        "Before.\n{{ figure: bowl }}\nAfter.",
        "{{ figure: bowl }}\n\n$$x^2$$\n",
        "Text.\n\n{{figure:bowl}}   \n",
    ],
)
def test_a_figure_line_becomes_a_figure_and_leaves_the_text_around_it(source: str) -> None:
    html = render_markdown(source)
    assert '<figure class="lesson-figure" data-figure="bowl"></figure>' in html
    assert "DLMATHFIGURE" not in html
    assert rendering_problems(source) == []


def test_a_figure_line_inside_a_quote_is_reported() -> None:
    problems = rendering_problems("> {{ figure: bowl }}\n")
    assert problems
    assert "raw text left in the page" in problems[0]


def test_stored_html_with_a_placeholder_is_reported() -> None:
    source = "{{ figure: bowl }}\n\nNext."
    stale = "<p>DLMATHFIGUREbowlENDFIGURE\nNext.</p>"
    assert any("DLMATHFIGURE" in p for p in rendering_problems(source, stale))
    assert any("'bowl' has no place" in p for p in rendering_problems(source, stale))


@pytest.mark.django_db
def test_every_synced_lesson_has_each_figure_in_place_and_no_raw_placeholder() -> None:
    lessons = list(Lesson.objects.filter(retired=False))
    assert len(lessons) >= 30
    figures = 0
    for lesson in lessons:
        assert rendering_problems("", lesson.body_html) == [], lesson.slug
        drawn = re.findall(r'data-figure="([a-z0-9_-]+)"', lesson.body_html)
        assert sorted(drawn) == sorted(lesson.figures), lesson.slug
        figures += len(drawn)
    assert figures >= 12


def test_check_content_passes_the_course_as_it_is(capsys: Any) -> None:
    call_command("check_content", "softmax", "--in-process")
    out = capsys.readouterr().out
    assert "pages render cleanly" in out
    assert "FAIL" not in out


def test_check_content_fails_on_the_newline_swallowing_pattern(
    monkeypatch: Any, capsys: Any
) -> None:
    monkeypatch.setattr(rendering, "render_markdown", render_markdown_before_issue_16)
    with pytest.raises(CommandError, match="failed validation"):
        call_command("check_content", "softmax", "--in-process")
    out = capsys.readouterr().out
    # The lessons the issue names, among them all three generative ones.
    for lesson in ("optimization/", "generative/gibbs-sampling", "rnn/", "linear-algebra/"):
        assert f"FAIL lesson {lesson}" in out
    assert "DLMATHFIGURE" in out


def test_check_content_fails_on_a_lesson_that_keeps_a_figure_line(
    tmp_path: Path, settings: Any, capsys: Any
) -> None:
    source = Path(settings.CURRICULUM_DIR)
    content = tmp_path / "content"
    shutil.copytree(source, content)
    lesson = next((content / "linear-algebra" / "lessons").glob("*.md"))
    names = figure_names(lesson.read_text())
    lesson.write_text(lesson.read_text() + "\n> {{ figure: " + (names or ["x"])[0] + " }}\n")
    settings.CURRICULUM_DIR = content
    with pytest.raises(CommandError):
        call_command("check_content", "softmax", "--in-process")
    assert f"FAIL lesson linear-algebra/{lesson.stem}" in capsys.readouterr().out
