"""Every lesson and every exercise page of the course, in one browser, with the network cut
off at the site's edge: no raw placeholder, every figure drawn, no KaTeX error, no console
error, no request to another host (issue 16); every explorable's sliders moved and moved back.

The pages come from the synced curriculum, not a sample. One context per viewport is reused
for all of them; the run prints its timing.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from apps.curriculum.selectors import course_steps
from apps.progress.models import Role
from apps.progress.services import profile_ensure
from tests.browser.harness import (
    DESKTOP,
    PHONE,
    explorable_problems,
    figure_layout_problems,
    horizontal_overflow,
    interactive_problems,
    open_context,
    page_text_problems,
    wait_for_figures,
)

pytestmark = pytest.mark.browser


def learner(username: str = "sweeper") -> Any:
    user = get_user_model().objects.create_user(username=username, password="sweep-pass-42")
    profile_ensure(user=user, role=Role.LEARNER)
    return user


def step_path(step: Any) -> str:
    if step.kind == "lesson":
        return f"/learn/{step.module.slug}/{step.item.slug}/"
    return f"/exercises/{step.item.slug}/"


def check_lesson(page: Any) -> list[str]:
    figures = wait_for_figures(page)
    return (
        figures
        + page_text_problems(page)
        + figure_layout_problems(page)
        + interactive_problems(page)
        + explorable_problems(page)
    )


def check_exercise(page: Any) -> list[str]:
    page.wait_for_selector("#editor .cm-editor")
    page.wait_for_selector("#try-input .cm-editor")
    return page_text_problems(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_lesson_and_exercise_page_renders_offline(
    browser: Any, site: str, viewport: dict[str, int]
) -> None:
    steps = course_steps()
    lessons = [s for s in steps if s.kind == "lesson"]
    exercises = [s for s in steps if s.kind == "exercise"]
    assert len(lessons) >= 30
    assert len(exercises) >= 40
    context, watch = open_context(browser, site, viewport=viewport, user=learner(), axe=False)
    page = context.new_page()
    failures: list[str] = []
    started = time.monotonic()
    try:
        for step in steps:
            path = step_path(step)
            response = page.goto(site + path, wait_until="load")
            problems = [] if response.status == 200 else [f"HTTP {response.status}"]
            problems += check_lesson(page) if step.kind == "lesson" else check_exercise(page)
            if viewport is PHONE:
                problems += horizontal_overflow(page)
            problems += watch.take()
            failures += [f"{path}: {problem}" for problem in problems]
    finally:
        context.close()
    elapsed = time.monotonic() - started
    print(f"\nswept {len(lessons)} lessons and {len(exercises)} exercises in {elapsed:.1f} s")
    assert failures == [], "\n".join(failures)
