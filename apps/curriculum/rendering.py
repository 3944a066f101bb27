"""Markdown with $math$ to safe HTML, rendered once at sync time.

Raw HTML in the source is not passed through (markdown-it's ``html`` option is off), and math
is emitted as escaped text inside ``.math`` elements for KaTeX to typeset on the page. A line
``{{ figure: name }}`` becomes a placeholder the page fills with the lesson's Plotly figure.
``rendering_problems`` finds what did not render (a placeholder or figure line left as text);
``check_content`` runs it over every lesson, prompt and overview.
"""

from __future__ import annotations

import html
import re
from functools import cache

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

# Only spaces may trail the line: ``\s*$`` also ate the newline after it, so the placeholder
# ran into the next paragraph and was never turned into a figure.
FIGURE_LINE_RE = re.compile(r"^\{\{[ \t]*figure:[ \t]*([a-z0-9_-]+)[ \t]*\}\}[ \t]*$", re.MULTILINE)
FIGURE_TOKEN = "DLMATHFIGURE{}ENDFIGURE"  # noqa: S105 (a placeholder, not a secret)
FIGURE_TOKEN_RE = re.compile(r"<p>DLMATHFIGURE([a-z0-9_-]+)ENDFIGURE</p>")
# What must never reach a page: a placeholder, or a figure line the pattern did not take.
LEFTOVER_RE = re.compile(r"DLMATHFIGURE|ENDFIGURE|\{\{\s*figure\s*:")
FIGURE_ELEMENT_RE = re.compile(r'<figure class="lesson-figure" data-figure="([a-z0-9_-]+)">')


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
    md.enable("table")
    # The plugin escapes the TeX and wraps it in span.math.inline / div.math.block.
    md.use(dollarmath_plugin, allow_space=True, double_inline=True)
    return md


def render_markdown(source: str) -> str:
    """Markdown (with math) to HTML that is safe to mark safe in a template."""
    # Blank lines around the token make it a paragraph of its own even when the author
    # wrote the figure line against the text before or after it.
    with_tokens = FIGURE_LINE_RE.sub(
        lambda m: "\n" + FIGURE_TOKEN.format(m.group(1)) + "\n", source
    )
    rendered = _markdown().render(with_tokens)
    return FIGURE_TOKEN_RE.sub(
        lambda m: (
            f'<figure class="lesson-figure" data-figure="{html.escape(m.group(1))}"></figure>'
        ),
        rendered,
    )


def figure_names(source: str) -> list[str]:
    return FIGURE_LINE_RE.findall(source)


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
    return problems
