"""axe-core on every page type, signed out and in, on a desktop and a phone: no serious or
critical violation (issue 16). The page types are listed in pages.py."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.browser.harness import VIEWPORTS, axe_violations, open_context
from tests.browser.pages import PAGE_TYPES, build_world

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_serious_accessibility_violation_on_any_page_type(
    browser: Any, site: str, viewport: str
) -> None:
    world = build_world()
    users = {"anonymous": None, "learner": world.learner, "instructor": world.instructor}
    failures: list[str] = []
    started = time.monotonic()
    for who, user in users.items():
        context, watch = open_context(browser, site, viewport=VIEWPORTS[viewport], user=user)
        page = context.new_page()
        try:
            for page_type in (p for p in PAGE_TYPES if p.who == who):
                label = f"{page_type.name} ({who}, {viewport})"
                response = page.goto(site + page_type.path(world), wait_until="load")
                if response.status != page_type.status:
                    failures.append(f"{label}: HTTP {response.status}")
                if page_type.ready:
                    page.wait_for_selector(page_type.ready)
                if page_type.prepare:
                    page_type.prepare(page)
                problems = axe_violations(page) + watch.take()
                failures += [f"{label}: {problem}" for problem in problems]
        finally:
            context.close()
    print(
        f"\naxe on {len(PAGE_TYPES)} page types ({viewport}) in {time.monotonic() - started:.1f} s"
    )
    assert failures == [], "\n".join(failures)
