"""Markdown with $math$ to safe HTML, rendered once at sync time.

Raw HTML in the source is not passed through (markdown-it's ``html`` option is off), and math
is emitted as escaped text inside ``.math`` elements for KaTeX to typeset on the page. A line
``{{ figure: name }}`` becomes a placeholder the page fills with the lesson's Plotly figure.
"""

from __future__ import annotations

import html
import re
from functools import cache

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

FIGURE_LINE_RE = re.compile(r"^\{\{\s*figure:\s*([a-z0-9_-]+)\s*\}\}\s*$", re.MULTILINE)
FIGURE_TOKEN = "DLMATHFIGURE{}ENDFIGURE"  # noqa: S105 (a placeholder, not a secret)
FIGURE_TOKEN_RE = re.compile(r"<p>DLMATHFIGURE([a-z0-9_-]+)ENDFIGURE</p>")


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
    md.enable("table")
    # The plugin escapes the TeX and wraps it in span.math.inline / div.math.block.
    md.use(dollarmath_plugin, allow_space=True, double_inline=True)
    return md


def render_markdown(source: str) -> str:
    """Markdown (with math) to HTML that is safe to mark safe in a template."""
    with_tokens = FIGURE_LINE_RE.sub(lambda m: FIGURE_TOKEN.format(m.group(1)), source)
    rendered = _markdown().render(with_tokens)
    return FIGURE_TOKEN_RE.sub(
        lambda m: (
            f'<figure class="lesson-figure" data-figure="{html.escape(m.group(1))}"></figure>'
        ),
        rendered,
    )


def figure_names(source: str) -> list[str]:
    return FIGURE_LINE_RE.findall(source)
