"""What every browser test shares: contexts that may not leave the site, signed-in contexts
without the login form, and the checks a page must pass (console, outside requests, raw
placeholders, figures, KaTeX, axe-core).

A context from ``open_context`` aborts and records every request to another host, records
console errors and uncaught exceptions, and carries axe-core (from npm, injected by
Playwright before the page's own scripts, so the site's CSP does not apply to it).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

# Raw text a page must never show: a figure placeholder or a figure line left unrendered.
RAW_MARKERS = ("DLMATHFIGURE", "ENDFIGURE", "{{ figure", "{{figure")


@dataclass
class Watch:
    """What a context saw go wrong, page by page."""

    base_url: str
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    current: str = ""

    def take(self) -> list[str]:
        found = [f"request to another host: {url}" for url in self.outside] + self.errors
        self.outside.clear()
        self.errors.clear()
        return found


def _is_outside(url: str, base_url: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return False
    return urlsplit(url).netloc != urlsplit(base_url).netloc


def block_other_hosts(context: Any, base_url: str, outside: list[str]) -> None:
    """Abort every request of ``context`` to a host other than ``base_url``'s, recording its
    URL in ``outside`` (the page must not depend on, or leak to, another site)."""

    def block(route: Any) -> None:
        outside.append(route.request.url)
        route.abort("blockedbyclient")

    context.route(lambda url: _is_outside(url, base_url), block)


def session_cookie(user: Any, base_url: str) -> dict[str, Any]:
    """A signed-in session for ``user`` as a cookie (no login form, no login throttle)."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


def open_context(
    browser: Any, base_url: str, *, viewport: dict[str, int], user: Any = None, axe: bool = True
) -> tuple[Any, Watch]:
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    context.set_default_timeout(30_000)
    watch = Watch(base_url)
    block_other_hosts(context, base_url, watch.outside)
    if axe:
        context.add_init_script(path=str(AXE))
    if user is not None:
        context.add_cookies([session_cookie(user, base_url)])

    def on_console(page: Any, msg: Any) -> None:
        if msg.type != "error":
            return
        # A page that is meant to answer 404 (checked by its test) logs its own status.
        own_status = msg.text.startswith("Failed to load resource") and (
            msg.location.get("url") == page.url
        )
        if not own_status:
            watch.errors.append(f"console error: {msg.text}")

    def on_page(page: Any) -> None:
        page.on("console", lambda msg: on_console(page, msg))
        page.on("pageerror", lambda exc: watch.errors.append(f"uncaught: {exc}"))

    context.on("page", on_page)
    return context, watch


def page_text_problems(page: Any) -> list[str]:
    """Raw placeholders, KaTeX errors and untypeset math on the page."""
    problems = []
    text = page.inner_text("body")
    problems += [f"raw text {marker!r} on the page" for marker in RAW_MARKERS if marker in text]
    katex_errors = page.eval_on_selector_all(
        ".katex-error", "els => els.map(e => e.getAttribute('title') || e.textContent)"
    )
    problems += [f"KaTeX error: {message}" for message in katex_errors]
    untypeset = page.eval_on_selector_all(
        ".math.inline:not([data-typeset]), .math.block:not([data-typeset])",
        "els => els.map(e => e.textContent.slice(0, 60))",
    )
    problems += [f"math not typeset: {tex!r}" for tex in untypeset]
    return problems


def wait_for_figures(page: Any, timeout_ms: int = 30_000) -> list[str]:
    """Waits for every lesson figure to be drawn; names the ones that were not."""
    # Playwright's TimeoutError is not worth an import: the names below say what failed.
    with contextlib.suppress(Exception):
        page.wait_for_function(
            """() => [...document.querySelectorAll('figure.lesson-figure')].every(
                f => f.querySelector('.js-plotly-plot .main-svg'))""",
            timeout=timeout_ms,
        )
    undrawn = page.eval_on_selector_all(
        "figure.lesson-figure",
        "els => els.filter(f => !f.querySelector('.js-plotly-plot .main-svg'))"
        ".map(f => f.dataset.figure)",
    )
    return [f"figure {name!r} not drawn" for name in undrawn]


FIGURE_LAYOUT_JS = """() => {
  const problems = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const box = plot.getBoundingClientRect();
    const title = plot.querySelector('.gtitle');
    const bar = plot.querySelector('.modebar');
    // An x axis's title drawn over a legend entry (a legend under the plot meets it).
    const hit = (a, c) => !(a.right <= c.left || a.left >= c.right || a.bottom <= c.top || a.top >= c.bottom);
    const entries = [...plot.querySelectorAll('.legend .traces')].map(e => e.getBoundingClientRect());
    for (const axisTitle of plot.querySelectorAll('.xtitle, [class^=x][class$=title]')) {
      const a = axisTitle.getBoundingClientRect();
      if (a.height > 0 && entries.some(e => hit(a, e))) {
        problems.push(`axis title over the legend: "${axisTitle.textContent.slice(0, 40)}"`);
      }
    }
    if (!title) continue;
    const t = title.getBoundingClientRect();
    if (t.left < box.left - 1 || t.right > box.right + 1) {
      problems.push(`title cut: "${title.textContent.slice(0, 40)}"`);
    }
    if (bar) {
      const b = bar.getBoundingClientRect();
      const overlap = !(b.right <= t.left || b.left >= t.right || b.bottom <= t.top || b.top >= t.bottom);
      if (overlap && b.width > 0) problems.push(`toolbar covers title: "${title.textContent.slice(0, 40)}"`);
    }
  }
  return problems;
}"""


def figure_layout_problems(page: Any) -> list[str]:
    """Plotly's toolbar over a title, a title wider than its figure, an axis title over the
    legend."""
    return list(page.evaluate(FIGURE_LAYOUT_JS))


def horizontal_overflow(page: Any) -> list[str]:
    """The page scrolls sideways, or a wide equation scrolls with no sign that it does."""
    problems = []
    # Fonts change equations' widths; math.js looks again once they are in.
    page.evaluate(
        "async () => { await document.fonts.ready;"
        " await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))); }"
    )
    if page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1"):
        problems.append("the page scrolls sideways")
    unmarked = page.evaluate(
        """() => [...document.querySelectorAll('.math.block')]
            .filter(e => e.scrollWidth > e.clientWidth + 1
                && !(e.classList.contains('is-scrollable') && e.tabIndex === 0))
            .map(e => e.textContent.slice(0, 50))"""
    )
    problems += [f"equation scrolls with no sign of it: {tex!r}" for tex in unmarked]
    problems += [f"wider than the screen: {what}" for what in page.evaluate(WIDER_THAN_VIEWPORT_JS)]
    return problems


# Elements of the page's main content that reach past the viewport's edges, unless an
# ancestor that fits on the screen clips or scrolls them (a wide table in its scroll box).
# `body { overflow-x: hidden }` or the like would hide them from the scrollWidth check.
WIDER_THAN_VIEWPORT_JS = """() => {
  const width = document.documentElement.clientWidth;
  const outside = (r) => r.width > 0 && (r.right > width + 1 || r.left < -1);
  const found = [];
  for (const el of document.querySelectorAll('main *')) {
    if (!outside(el.getBoundingClientRect())) continue;
    let contained = false;
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible' && !outside(a.getBoundingClientRect())) {
        contained = true;
        break;
      }
    }
    if (contained) continue;
    // Report the outermost element only, not each of its children.
    if (found.some((f) => f.contains(el))) continue;
    found.push(el);
  }
  return found.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`
    + ` "${(el.textContent || '').trim().slice(0, 40)}"`);
}"""


AXE_RUN_JS = """async () => {
  const results = await window.axe.run(document, {
    resultTypes: ['violations'],
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
  });
  return results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}));
}"""


def axe_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.wait_for_function("() => window.axe !== undefined")
    found = page.evaluate(AXE_RUN_JS)
    return [f"axe {v['impact']} {v['id']} ({v['help']}): {v['nodes']}" for v in found]


INTERACTIVE_JS = """() => {
  const problems = [];
  const figures = JSON.parse(document.getElementById('lesson-figures').textContent || '{}');
  for (const [name, figure] of Object.entries(figures)) {
    if (!figure.explorable) continue;
    const el = document.querySelector(`figure.lesson-figure[data-figure="${name}"]`);
    const inputs = el ? el.querySelectorAll('.explorable-controls input[type=range]') : [];
    if (inputs.length !== figure.explorable.params.length) problems.push(`explorable ${name}: no controls`);
    const plot = el && el.querySelector('.js-plotly-plot');
    if (plot && !(plot._transitionData && plot._transitionData._frames.length === figure.frames.length)) {
      problems.push(`explorable ${name}: frames not loaded`);
    }
  }
  for (const cell of document.querySelectorAll('.try-cell')) {
    if (!cell.hasAttribute('data-ready') || !cell.querySelector('.cm-editor')) {
      problems.push(`try-it cell ${cell.dataset.cell} has no editor`);
    }
  }
  const signedIn = (JSON.parse(document.getElementById('lesson-config').textContent || '{}')).signedIn;
  for (const form of document.querySelectorAll('form.concept-check')) {
    if (signedIn && !form.hasAttribute('data-ready')) problems.push(`question ${form.dataset.question} not wired`);
    if (form.querySelector('.math.inline:not([data-typeset])')) problems.push(`question ${form.dataset.question}: math not typeset`);
  }
  return problems;
}"""


def interactive_problems(page: Any, timeout_ms: int = 30_000) -> list[str]:
    """Explorables without their controls or frames, try-it cells without an editor, concept
    checks not wired: waits for the lazily loaded editor first."""
    with contextlib.suppress(Exception):
        page.wait_for_function(
            "() => [...document.querySelectorAll('.try-cell')].every(c => c.hasAttribute('data-ready'))",
            timeout=timeout_ms,
        )
    return list(page.evaluate(INTERACTIVE_JS))


# Every explorable, driven as a reader would: each slider moved to another position must change
# what the plot shows (its traces' data, title or annotations) and the value printed beside
# it, and moving it back must change the figure again.
EXPLORABLE_MOVES_JS = """async () => {
  const problems = [];
  const figures = JSON.parse(document.getElementById('lesson-figures').textContent || '{}');
  const plain = (v) => (ArrayBuffer.isView(v) ? Array.from(v) : v);
  const shown = (plot) => JSON.stringify([
    (plot.data || []).map((t) => [plain(t.x), plain(t.y), plain(t.z), t.text]),
    plot.layout && plot.layout.title && plot.layout.title.text,
    ((plot.layout && plot.layout.annotations) || []).map((a) => a.text),
  ]);
  const settle = async (plot, differentFrom, sameAs) => {
    for (let i = 0; i < 100; i += 1) {
      const now = shown(plot);
      if (sameAs !== undefined ? now === sameAs : now !== differentFrom) return now;
      await new Promise((r) => setTimeout(r, 50));
    }
    return shown(plot);
  };
  for (const [name, figure] of Object.entries(figures)) {
    if (!figure.explorable) continue;
    const el = document.querySelector(`figure.lesson-figure[data-figure="${name}"]`);
    const plot = el && el.querySelector('.js-plotly-plot');
    const inputs = el ? [...el.querySelectorAll('.explorable-controls input[type=range]')] : [];
    if (!plot || !inputs.length) continue;  // reported by interactive_problems
    for (const [k, input] of inputs.entries()) {
      const param = figure.explorable.params[k];
      const start = Number(input.value);
      const target = start === Number(input.max) ? 0 : Number(input.max);
      const before = shown(plot);
      input.value = String(target);
      input.dispatchEvent(new Event('input'));
      const after = await settle(plot, before);
      if (after === before) problems.push(`explorable ${name}: moving ${param.name} to ${param.values[target]} changed nothing`);
      const output = input.parentElement.querySelector('output');
      if (!output || output.textContent !== String(param.values[target])) {
        problems.push(`explorable ${name}: ${param.name} shows ${output && output.textContent}, not ${param.values[target]}`);
      }
      input.value = String(start);
      input.dispatchEvent(new Event('input'));
      // Back where it started: the figure changes again (the first drawing and the start's
      // frame may differ in form, e.g. traces a frame leaves as they were, so not compared).
      if (await settle(plot, after) === after) problems.push(`explorable ${name}: moving ${param.name} back changed nothing`);
    }
  }
  return problems;
}"""


def explorable_problems(page: Any) -> list[str]:
    """Each explorable's sliders moved and moved back: what did not change the figure."""
    return list(page.evaluate(EXPLORABLE_MOVES_JS))
