"""Markdown with $math$ to safe HTML, rendered once at sync time.

Raw HTML in the source is not passed through (markdown-it's ``html`` option is off), and math
is emitted as escaped text inside ``.math`` elements for KaTeX to typeset on the page. A line
``{{ figure: name }}`` becomes a placeholder the page fills with the lesson's Plotly figure
(static or explorable), a line ``{{ question: name }}`` one the lesson page fills with the
learner's variant of that concept check, and a fenced block whose info string is
``python try`` a try-it cell (its code, escaped, which the page turns into an editor with a
Run button). ``rendering_problems`` finds what did not render (a placeholder or a figure or
question line left as text); ``check_content`` runs it over every lesson, prompt and overview.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.dollarmath import dollarmath_plugin

# Only spaces may trail the line: ``\s*$`` also ate the newline after it, so the placeholder
# ran into the next paragraph and was never turned into a figure.
FIGURE_LINE_RE = re.compile(r"^\{\{[ \t]*figure:[ \t]*([a-z0-9_-]+)[ \t]*\}\}[ \t]*$", re.MULTILINE)
FIGURE_TOKEN = "DLMATHFIGURE{}ENDFIGURE"  # noqa: S105 (a placeholder, not a secret)
FIGURE_TOKEN_RE = re.compile(r"<p>DLMATHFIGURE([a-z0-9_-]+)ENDFIGURE</p>")
# What must never reach a page: a placeholder, or a figure line the pattern did not take.
LEFTOVER_RE = re.compile(r"DLMATHFIGURE|ENDFIGURE|\{\{\s*figure\s*:")
FIGURE_ELEMENT_RE = re.compile(r'<figure class="lesson-figure" data-figure="([a-z0-9_-]+)">')

QUESTION_LINE_RE = re.compile(
    r"^\{\{[ \t]*question:[ \t]*([a-z0-9_-]+)[ \t]*\}\}[ \t]*$", re.MULTILINE
)
QUESTION_TOKEN = "DLMATHQUESTION{}ENDQUESTION"  # noqa: S105 (a placeholder, not a secret)
QUESTION_TOKEN_RE = re.compile(r"<p>DLMATHQUESTION([a-z0-9_-]+)ENDQUESTION</p>")
QUESTION_LEFTOVER_RE = re.compile(r"DLMATHQUESTION|ENDQUESTION|\{\{\s*question\s*:")
# The lesson page swaps each of these for the learner's variant (see question_placeholder).
QUESTION_ELEMENT_RE = re.compile(r'<div class="concept-check" data-question="([a-z0-9_-]+)"></div>')
TRY_INFO = ("python", "try")
TRY_ELEMENT_RE = re.compile(r'<div class="try-cell" data-cell="(\d+)">')
# Bumped whenever the HTML this module emits changes: lesson hashes include it, so the next
# sync re-renders every lesson instead of keeping HTML of the old shape.
RENDERING_VERSION = "2"


def question_placeholder(name: str) -> str:
    """The element a ``{{ question: name }}`` line becomes (and the page replaces)."""
    return f'<div class="concept-check" data-question="{html.escape(name)}"></div>'


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
    md.enable("table")
    # The plugin escapes the TeX and wraps it in span.math.inline / div.math.block.
    md.use(dollarmath_plugin, allow_space=True, double_inline=True)
    default_fence: Any = md.renderer.rules["fence"]  # type: ignore[attr-defined]

    def fence(
        _renderer: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        if tuple(token.info.split()) != TRY_INFO:
            return str(default_fence(tokens, idx, options, env))
        number = env["try_cells"] = env.get("try_cells", 0) + 1
        # The page's script turns this into an editor; without it, the code still reads.
        return (
            f'<div class="try-cell" data-cell="{number}"><pre class="try-code">'
            f'<code class="language-python">{html.escape(token.content)}</code></pre></div>\n'
        )

    md.add_render_rule("fence", fence)
    return md


@cache
def _inline_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
    md.use(dollarmath_plugin, allow_space=True, double_inline=True)
    return md


def render_inline(source: str) -> str:
    """One line of Markdown with math (an option of a question) as HTML without a paragraph."""
    return str(_inline_markdown().renderInline(source))


def render_markdown(source: str) -> str:
    """Markdown (with math) to HTML that is safe to mark safe in a template."""
    # Blank lines around the token make it a paragraph of its own even when the author
    # wrote the figure line against the text before or after it.
    with_tokens = FIGURE_LINE_RE.sub(
        lambda m: "\n" + FIGURE_TOKEN.format(m.group(1)) + "\n", source
    )
    with_tokens = QUESTION_LINE_RE.sub(
        lambda m: "\n" + QUESTION_TOKEN.format(m.group(1)) + "\n", with_tokens
    )
    rendered = _markdown().render(with_tokens, {})
    rendered = FIGURE_TOKEN_RE.sub(
        lambda m: (
            f'<figure class="lesson-figure" data-figure="{html.escape(m.group(1))}"></figure>'
        ),
        rendered,
    )
    return QUESTION_TOKEN_RE.sub(lambda m: question_placeholder(m.group(1)), rendered)


def figure_names(source: str) -> list[str]:
    return FIGURE_LINE_RE.findall(source)


def question_names(source: str) -> list[str]:
    """The concept checks a lesson's Markdown places, in page order."""
    return QUESTION_LINE_RE.findall(source)


def try_cell_count(source: str) -> int:
    return len(TRY_ELEMENT_RE.findall(render_markdown(source)))


def rendering_problems(source: str, rendered: str | None = None) -> list[str]:
    """What went wrong turning ``source`` into HTML; empty when every figure became one.

    ``rendered`` defaults to rendering ``source`` now (pass the stored HTML to check that).
    """
    html_out = render_markdown(source) if rendered is None else rendered
    problems = [
        f"raw text left in the page: {html_out[max(m.start() - 20, 0) : m.end() + 30]!r}"
        for m in LEFTOVER_RE.finditer(html_out)
    ]
    drawn = FIGURE_ELEMENT_RE.findall(html_out)
    problems += [
        f"figure {name!r} has no place in the page"
        for name in figure_names(source)
        if name not in drawn
    ]
    problems += [
        f"raw text left in the page: {html_out[max(m.start() - 20, 0) : m.end() + 30]!r}"
        for m in QUESTION_LEFTOVER_RE.finditer(html_out)
    ]
    placed = QUESTION_ELEMENT_RE.findall(html_out)
    names = question_names(source)
    problems += [
        f"question {name!r} has no place in the page" for name in names if name not in placed
    ]
    problems += [
        f"question {name!r} is placed twice" for name in set(names) if names.count(name) > 1
    ]
    return problems
