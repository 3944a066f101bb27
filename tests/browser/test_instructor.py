"""The instructor's journey and the accounts pages in Chromium, with axe-core on every page.

An instructor logs in (and lands on the dashboard), creates a cohort, a learner signs up with
its code, the instructor gives the cohort a new code, reads the heatmap and its legend, opens
the learner, reads an attempt's highlighted code, compares two attempts inline and side by
side, and downloads both CSVs. axe-core (from npm, injected before the page's scripts, so the
site's CSP does not apply to it) must find no serious or critical violation on any of these
pages, at 1280x800 and at 390x844; no request may leave the site.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from apps.curriculum.models import Exercise
from apps.progress.models import Cohort, Role
from apps.progress.services import exercise_progress_record_attempt
from apps.sandbox.models import Submission

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PASSWORD = "instructor-journey-7"

BEFORE = """import numpy as np


def softmax(z):
    z = np.asarray(z, dtype=float)
    return np.exp(z) / np.exp(z).sum()
"""
AFTER = """import numpy as np


def softmax(z):
    z = np.asarray(z, dtype=float)
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)
"""

AXE_RUN = """async () => {
  const results = await window.axe.run(document, {
    resultTypes: ['violations'],
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
  });
  return results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact} ${v.id} (${v.help}): ` +
      v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | '));
}"""


class Watched:
    """A browser context that may not leave the site, with axe-core on every page."""

    def __init__(self, browser: Any, base_url: str, viewport: dict[str, int]) -> None:
        self.base_url = base_url
        self.context = browser.new_context(viewport=viewport, accept_downloads=True)
        self.context.set_default_timeout(30_000)
        self.context.add_init_script(path=str(AXE))
        self.problems: list[str] = []
        host = urlsplit(base_url).netloc

        def outside(url: str) -> bool:
            return not url.startswith(("data:", "blob:", "about:")) and urlsplit(url).netloc != host

        def block(route: Any) -> None:
            self.problems.append(f"request to another host: {route.request.url}")
            route.abort("blockedbyclient")

        self.context.route(outside, block)
        self.page = self.context.new_page()
        self.page.on(
            "console",
            lambda msg: (
                self.problems.append(f"console: {msg.text}") if msg.type == "error" else None
            ),
        )
        self.page.on("pageerror", lambda exc: self.problems.append(f"uncaught: {exc}"))

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base_url + path, wait_until="load")

    def axe(self, label: str) -> None:
        self.page.wait_for_function("() => window.axe !== undefined")
        found = self.page.evaluate(AXE_RUN)
        self.problems += [f"{label}: axe {violation}" for violation in found]
        if self.page.evaluate("() => document.documentElement.scrollWidth > innerWidth + 1"):
            self.problems.append(f"{label}: the page scrolls sideways")

    def log_in(self, username: str) -> None:
        self.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("main form button[type=submit]")
        self.page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def watched(browser: Any, site: str) -> Iterator[Callable[[dict[str, int]], Watched]]:
    opened: list[Watched] = []

    def open_context(viewport: dict[str, int]) -> Watched:
        opened.append(Watched(browser, site, viewport))
        return opened[-1]

    yield open_context
    for each in opened:
        each.context.close()


def graded(user: Any, slug: str, code: str, score: float, minutes_ago: int) -> Submission:
    """A graded attempt stored as the grading task would leave it (no sandbox needed)."""
    at = timezone.now() - timedelta(minutes=minutes_ago)
    exercise = Exercise.objects.get(slug=slug)
    passed = score == 1.0
    submission = Submission.objects.create(
        user=user,
        exercise=exercise,
        code=code,
        status="passed" if passed else "failed",
        score=score,
        checks=[
            {"name": "rows sum to one", "passed": True, "message": "They do.", "points": 1},
            {"name": "stable", "passed": passed, "message": "Overflow at 1000.", "points": 1},
        ],
        started_at=at,
        finished_at=at,
    )
    Submission.objects.filter(pk=submission.pk).update(created_at=at)
    exercise_progress_record_attempt(
        user=user,
        exercise=exercise,
        submission_id=submission.pk,
        score=score,
        passed=passed,
        failed_checks=[] if passed else ["stable"],
        at=at,
    )
    return submission


def read_csv(download: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))


def test_the_instructor_journey(watched: Any, make_account: Any) -> None:
    make_account("teacher", PASSWORD, role=Role.INSTRUCTOR)
    desk = watched(DESKTOP)
    page = desk.page

    # Logging in lands on the dashboard; a cohort is one form away.
    desk.log_in("teacher")
    assert urlsplit(page.url).path == "/dashboard/"
    desk.axe("dashboard, no cohort")
    page.fill("#id_new-name", "Autumn cohort")
    page.click(".new-cohort button[type=submit]")
    page.wait_for_url(re.compile(r".*/dashboard/\d+/$"))
    cohort = Cohort.objects.get(name="Autumn cohort")
    first_code = page.inner_text("#join-code")
    assert first_code == cohort.join_code
    desk.axe("cohort, no learners")

    # A learner signs up with the code (and an e-mail), joining as they sign up.
    learner = watched(DESKTOP)
    learner.goto("/accounts/signup/")
    learner.axe("sign up")
    learner.page.fill("#id_username", "ada")
    learner.page.fill("#id_email", "ada@example.org")
    learner.page.fill("#id_password1", PASSWORD)
    learner.page.fill("#id_password2", PASSWORD)
    learner.page.fill("#id_join_code", first_code)
    learner.page.click("main form button[type=submit]")
    learner.page.wait_for_url("**/learn/")
    assert "Autumn cohort" in learner.page.inner_text(".messages")
    learner.goto("/cohorts/join/")
    assert "Autumn cohort" in learner.page.inner_text("main")
    learner.axe("join page, one cohort")

    ada = cohort.enrollments.get().user
    graded(ada, "softmax", BEFORE, 0.0, minutes_ago=30)
    graded(ada, "softmax", AFTER, 1.0, minutes_ago=20)
    graded(ada, "entropy", "def entropy(p):\n    return 0\n", 0.5, minutes_ago=10)

    # A new join code, once confirmed: the page shows it and the old one is gone.
    page.reload()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#rotate-code")
    page.wait_for_load_state("load")
    cohort.refresh_from_db()
    assert cohort.join_code != first_code
    assert page.inner_text("#join-code") == cohort.join_code
    assert f"The old code {first_code} no longer works" in page.inner_text(".messages")

    # The heatmap: titles under their module, a legend, 0% unlike never attempted.
    heatmap = page.locator("#heatmap table")
    assert "A numerically stable softmax" in heatmap.inner_text()
    assert "Probability and information theory" in heatmap.inner_text()
    assert page.locator(".heatmap-legend li").count() == 5
    assert "Not attempted" in page.inner_text(".heatmap-legend")
    ada_row = page.locator("#heatmap tbody tr", has_text="ada")
    assert ada_row.locator("td.s3").inner_text() == "100%"
    assert ada_row.locator("td.s2").inner_text() == "50%"
    never = page.evaluate(
        "() => getComputedStyle(document.querySelector('.hm-swatch.hm-none')).backgroundImage"
    )
    zero = page.evaluate(
        "() => getComputedStyle(document.querySelector('.hm-swatch.s0')).backgroundColor"
    )
    assert "gradient" in never
    assert zero == "rgb(180, 35, 24)"
    desk.axe("cohort with a heatmap")

    # Both CSVs download from the cohort page.
    with page.expect_download() as long_format:
        page.click("#csv-download")
    rows = read_csv(long_format.value)
    softmax = next(r for r in rows if r["exercise"] == "softmax")
    assert (softmax["learner"], softmax["attempts"], softmax["best_score"]) == (
        "ada",
        "2",
        "1.0000",
    )
    # One row per learner x exercise, then one per learner x lesson with concept checks.
    exercise_rows = [r for r in rows if r["exercise"]]
    assert len(exercise_rows) == Exercise.objects.filter(retired=False).count()
    assert all(r["lesson"] for r in rows if not r["exercise"])
    assert len(rows) > len(exercise_rows)
    with page.expect_download() as summary:
        page.click("#summary-csv-download")
    summary_rows = read_csv(summary.value)
    entropy = next(r for r in summary_rows if r["exercise"] == "entropy")
    assert (entropy["attempted"], entropy["mean_best_score"]) == ("1", "0.5000")

    # The learner: a summary per module, when they were last active, their attempts.
    page.locator("#heatmap").get_by_role("link", name="ada").click()
    page.wait_for_url(re.compile(r".*/dashboard/\d+/learners/\d+/$"))
    assert "Probability and information theory" in page.inner_text(".module-summary-table")
    assert page.locator("#last-active time").count() == 1
    assert page.locator("tr[data-attempt]").count() == 3
    desk.axe("learner")

    # The newest softmax attempt: its result and its code, highlighted and read-only.
    page.locator("tr[data-exercise=softmax] [data-submission]").first.click()
    page.wait_for_selector("#attempt-body .verdict")
    code = page.locator("#attempt-body .code-view .cm-content")
    assert "keepdims=True" in code.inner_text()
    assert code.get_attribute("contenteditable") == "false"
    assert page.locator("#attempt-body .code-view .cm-content span[class]").count() > 3

    # Compared with the earlier one: the lines it changed, inline, then side by side.
    options = page.locator("#compare-with option")
    assert options.count() == 1  # the only other softmax attempt; entropy's is not offered
    page.click("#compare-button")
    page.wait_for_selector("#diff-view .cm-changedLine")
    assert "1 changed region, 1 line removed, 3 lines added" in page.inner_text("#diff-summary")
    assert page.locator("#diff-view .cm-deletedChunk").count() >= 1
    desk.axe("learner, attempt compared inline")
    page.click("#diff-layout")
    page.wait_for_selector("#diff-view .cm-mergeView")
    assert page.get_attribute("#diff-layout", "aria-pressed") == "true"
    assert "return np.exp(z) / np.exp(z).sum()" in page.inner_text("#diff-view .cm-merge-a")
    assert "shifted" in page.inner_text("#diff-view .cm-merge-b")
    desk.axe("learner, attempts side by side")

    # Rename and archive from the cohort page.
    page.click("nav.breadcrumbs >> text=Autumn cohort")
    page.fill("#id_name", "Autumn cohort (A)")
    page.click(".rename-form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.inner_text("h1").startswith("Autumn cohort (A)")
    page.click(".archive-form button[type=submit]")
    page.wait_for_load_state("load")
    assert "Archived" in page.inner_text("h1")
    assert page.locator("#join-code").count() == 0
    desk.axe("archived cohort")
    desk.goto("/dashboard/")
    assert "Autumn cohort (A)" in page.inner_text(".archived-cohorts")
    desk.axe("dashboard, archived cohort")
    desk.page.screenshot(path=str(ROOT / "artifacts" / "screenshots" / "instructor-home.png"))

    assert desk.problems == [], "\n".join(desk.problems)
    assert learner.problems == [], "\n".join(learner.problems)


def test_the_instructor_pages_on_a_phone(watched: Any, make_account: Any) -> None:
    teacher = make_account("teacher", PASSWORD, role=Role.INSTRUCTOR)
    ada = make_account("ada", PASSWORD)
    cohort = Cohort.objects.create(name="Phone cohort")
    cohort.instructors.add(teacher)
    cohort.enrollments.create(user=ada)
    for index, slug in enumerate(("power-iteration", "softmax", "entropy", "conv2d")):
        graded(ada, slug, BEFORE, 0.25 * index, minutes_ago=60 - index)
    graded(ada, "softmax", AFTER, 1.0, minutes_ago=5)
    phone = watched(PHONE)
    page = phone.page
    phone.log_in("teacher")
    assert urlsplit(page.url).path == "/dashboard/"
    phone.axe("dashboard (phone)")
    phone.goto(f"/dashboard/{cohort.pk}/")
    page.wait_for_selector("#heatmap table")
    # The heatmap scrolls inside its own region, named and reachable by keyboard.
    region = page.locator("#heatmap")
    assert region.get_attribute("tabindex") == "0"
    assert page.evaluate("() => document.querySelector('#heatmap').scrollWidth") > 0
    phone.axe("cohort (phone)")
    phone.goto(f"/dashboard/{cohort.pk}/learners/{ada.pk}/")
    phone.axe("learner (phone)")
    page.locator("tr[data-exercise=softmax] [data-submission]").first.click()
    page.wait_for_selector("#attempt-body .code-view .cm-content")
    page.click("#compare-button")
    page.wait_for_selector("#diff-view .cm-changedLine")
    phone.axe("learner with a diff (phone)")
    assert phone.problems == [], "\n".join(phone.problems)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_accounts_pages_pass_axe(watched: Any, make_account: Any, viewport: Any) -> None:
    make_account("lin", PASSWORD)
    tab = watched(viewport)
    for path in (
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password-reset/",
        "/accounts/password-reset/sent/",
        "/accounts/reset/MQ/bad-token/",
        "/accounts/reset/done/",
    ):
        assert tab.goto(path).status == 200, path
        tab.axe(path)
    # A sign-up with errors (the error messages are linked to their fields).
    tab.goto("/accounts/signup/")
    tab.page.click("main form button[type=submit]")
    tab.page.wait_for_selector(".errors")
    tab.axe("sign up with errors")
    tab.log_in("lin")
    assert urlsplit(tab.page.url).path == "/learn/"
    tab.goto("/cohorts/join/")
    tab.axe("join page, no cohort")
    assert tab.problems == [], "\n".join(tab.problems)
