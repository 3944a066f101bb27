"""The interactive lesson (issue 17) in Chromium, offline: move an explorable's slider and see
the figure change, run a try-it cell that plots, answer a concept check wrong and right, run
an exercise on one's own input, use the scratchpad. Nothing may load from another host and
nothing may log an error."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from apps.curriculum.models import Question
from apps.curriculum.selectors import question_variant
from apps.progress.models import QuestionProgress, Role
from apps.progress.services import profile_ensure
from apps.sandbox.grading.questions import format_answer
from tests.browser.harness import DESKTOP, explorable_problems, open_context, wait_for_figures

pytestmark = pytest.mark.browser

LESSON = "/learn/optimization/gradient-descent-and-momentum/"
SOFTMAX = """import numpy as np


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
"""
PLOT_STATE_JS = """(name) => {
  const plot = document.querySelector(`figure[data-figure="${name}"] .js-plotly-plot`);
  return {title: plot.layout.title.text, x: plot.data[1].x.slice(0, 12), y: plot.data[1].y.slice(0, 12)};
}"""


def learner() -> Any:
    user = get_user_model().objects.create_user(username="explorer", password="explore-pass-42")
    profile_ensure(user=user, role=Role.LEARNER)
    return user


def set_editor(page: Any, handle: str, code: str) -> None:
    page.wait_for_function(f"() => window.{handle} !== undefined")
    page.evaluate(
        f"""(code) => {{ const view = window.{handle};
            view.dispatch({{changes: {{from: 0, to: view.state.doc.length, insert: code}}}}); }}""",
        code,
    )


def move_slider(page: Any, figure: str, param: str, index: int) -> None:
    page.evaluate(
        """([figure, param, index]) => {
            const input = document.querySelector(`figure[data-figure="${figure}"] input[data-param="${param}"]`);
            input.value = String(index);
            input.dispatchEvent(new Event("input"));
        }""",
        [figure, param, index],
    )


def test_sliders_try_it_cells_concept_checks_and_inputs_work_offline(
    browser: Any, site: str
) -> None:
    user = learner()
    context, watch = open_context(browser, site, viewport=DESKTOP, user=user, axe=False)
    page = context.new_page()
    try:
        page.goto(site + LESSON, wait_until="load")
        assert wait_for_figures(page) == []

        # An explorable with two parameters: each slider picks a frame, the figure changes.
        page.wait_for_selector('figure[data-figure="momentum"] .explorable-controls')
        labels = page.eval_on_selector_all(
            'figure[data-figure="momentum"] .explorable-param label',
            "els => els.map(e => e.textContent)",
        )
        assert [label.split()[0] for label in labels] == ["learning", "momentum"]
        before = page.evaluate(PLOT_STATE_JS, "momentum")
        assert before["title"].startswith("η = 0.03, β = 0")
        move_slider(page, "momentum", "lr", 9)
        page.wait_for_function(
            "(t) => document.querySelector('figure[data-figure=\"momentum\"] .js-plotly-plot').layout.title.text !== t",
            arg=before["title"],
        )
        after_lr = page.evaluate(PLOT_STATE_JS, "momentum")
        assert after_lr["title"].startswith("η = 0.09, β = 0: diverges")
        assert after_lr["y"] != before["y"]
        move_slider(page, "momentum", "beta", 4)
        page.wait_for_function(
            "(t) => document.querySelector('figure[data-figure=\"momentum\"] .js-plotly-plot').layout.title.text !== t",
            arg=after_lr["title"],
        )
        assert page.evaluate(PLOT_STATE_JS, "momentum")["title"].startswith("η = 0.09, β = 0.8")
        assert page.input_value('figure[data-figure="momentum"] input[data-param="beta"]') == "4"
        assert page.text_content('figure[data-figure="momentum"] output[for$="-beta"]') == "0.8"

        # A try-it cell: run it, see its output and its dlplot figure.
        cell = page.locator(".try-cell").first
        page.wait_for_selector(".try-cell[data-ready] .cm-editor")
        cell.locator("button[data-run]").click()
        page.wait_for_selector(".try-cell .run-figure .plot[data-drawn] .main-svg", timeout=60_000)
        assert "final losses:" in cell.locator(".run-result").inner_text()
        assert cell.locator(".run-status").inner_text().startswith("Ran in")

        # A concept check: a wrong answer, then the learner's own right answer.
        form = page.locator("form#question-largest-step")
        page.wait_for_selector("form#question-largest-step[data-ready]")
        form.locator("input[name=answer]").fill("12345")
        form.locator("button[type=submit]").click()
        page.wait_for_selector('#question-largest-step [data-feedback][data-kind="warn"]')
        assert "tries left" in form.locator("[data-feedback]").inner_text()
        question = Question.objects.select_related("lesson__module").get(name="largest-step")
        right = format_answer(question_variant(question=question, user_id=user.pk, variant=0).built)
        form.locator("input[name=answer]").fill(right)
        form.locator("button[type=submit]").click()
        page.wait_for_selector('#question-largest-step [data-feedback][data-kind="ok"]')
        assert form.locator("[data-feedback]").inner_text().startswith("Correct.")
        assert form.locator("[data-solved]").is_visible()
        assert QuestionProgress.objects.get(user=user, question=question).solved

        # Run on my own input, beside Submit on an exercise page.
        page.goto(site + "/exercises/softmax/", wait_until="load")
        page.wait_for_selector("#try-input .cm-editor")
        set_editor(page, "dlmathEditor", SOFTMAX)
        set_editor(
            page, "dlmathInputEditor", "softmax(np.array([[1000.0, 0.0, 3.0], [1.0, 2.0, 3.0]]))"
        )
        page.click("#try-input-run")
        page.wait_for_selector("#try-input-result .plot[data-drawn] .main-svg", timeout=60_000)
        value = page.inner_text("#try-input-result .run-value")
        assert "an array of shape (2, 3), dtype float64" in value
        # An error in the input is reported against the input's own line.
        set_editor(page, "dlmathInputEditor", "z = np.ones(3)\nsoftmax(z, 2)")
        page.click("#try-input-run")
        page.wait_for_selector('#try-input-result[data-status="error"]', timeout=60_000)
        assert "on line 2 of your input" in page.inner_text("#try-input-result .error-box")
        assert page.locator("#try-input-editor .cm-error-line").count() == 1

        # The scratchpad: the same cell, not tied to a lesson.
        page.goto(site + "/scratchpad/", wait_until="load")
        page.wait_for_selector(".try-cell[data-ready] .cm-editor")
        page.click(".try-cell button[data-run]")
        page.wait_for_selector(".try-cell .run-figure .plot[data-drawn] .main-svg", timeout=60_000)
        assert "tanh(1) =" in page.inner_text(".try-cell .run-result")

        assert watch.take() == []
    finally:
        context.close()


def test_an_animated_explorable_plays_through_its_frames(browser: Any, site: str) -> None:
    context, watch = open_context(browser, site, viewport=DESKTOP, axe=False)
    page = context.new_page()
    try:
        page.goto(site + "/learn/probability/softmax-and-cross-entropy/", wait_until="load")
        assert wait_for_figures(page) == []
        slider = 'figure[data-figure="temperature-slider"] input[data-param="tau"]'
        start = int(page.input_value(slider))
        page.click('figure[data-figure="temperature-slider"] .explorable-play')
        page.wait_for_function(
            f"() => Number(document.querySelector('{slider}').value) >= {start + 3}"
        )
        title = page.evaluate(
            "() => document.querySelector('figure[data-figure=\"temperature-slider\"] .js-plotly-plot').layout.title.text"
        )
        assert not title.startswith("τ = 1:")
        # Signed out: the try-it cell is shown, its Run button says why it is off.
        page.wait_for_selector(".try-cell[data-ready]")
        assert page.is_disabled(".try-cell button[data-run]")
        assert "Log in to run code." in page.inner_text(".try-cell .toolbar")
        assert watch.take() == []
    finally:
        context.close()


def test_the_every_page_explorable_check_finds_a_dead_slider(browser: Any, site: str) -> None:
    """The check test_every_page runs on every explorable passes on a working one and names a
    slider that no longer moves the figure (its listener removed, as a broken bundle would)."""
    context, watch = open_context(browser, site, viewport=DESKTOP, axe=False)
    page = context.new_page()
    try:
        page.goto(site + LESSON, wait_until="load")
        assert wait_for_figures(page) == []
        page.wait_for_selector('figure[data-figure="momentum"] .explorable-controls')
        assert explorable_problems(page) == []
        page.evaluate(
            """() => { const input = document.querySelector('figure[data-figure="momentum"] input[data-param="beta"]');
                       input.replaceWith(input.cloneNode(true)); }"""
        )
        problems = explorable_problems(page)
        assert any(p.startswith("explorable momentum: moving beta to") for p in problems), problems
        assert not any("moving lr" in p for p in problems), problems
        assert watch.take() == []
    finally:
        context.close()
