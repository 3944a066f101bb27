"""A learner's and an instructor's journey through the real pages in Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from apps.progress.models import Role
from apps.progress.services import cohort_create

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SOFTMAX = ROOT / "apps" / "curriculum" / "content" / "probability" / "exercises" / "softmax"
LESSON = "/learn/probability/softmax-and-cross-entropy/"

WRONG = """import numpy as np


def softmax(z):
    z = np.asarray(z, dtype=float)
    return np.exp(z) / np.exp(z).sum()
"""

RIGHT = (SOFTMAX / "solution.py").read_text() if SOFTMAX.exists() else ""

PASSWORD = "correct-horse-battery-9"


def set_code(page: Any, code: str) -> None:
    page.wait_for_function("() => window.dlmathEditor !== undefined")
    page.evaluate(
        """(code) => {
            const view = window.dlmathEditor;
            view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: code}});
            view.focus();
        }""",
        code,
    )


def wait_for_verdict(page: Any) -> str:
    page.wait_for_selector("#result:not([hidden]) .verdict", timeout=60_000)
    return page.get_attribute("#result", "data-status")


def test_learner_journey_and_instructor_dashboard(
    new_tab: Any, make_account: Any, log_in: Any
) -> None:
    teacher = make_account("teacher", PASSWORD, role=Role.INSTRUCTOR)
    cohort = cohort_create(name="Autumn cohort", instructor=teacher)

    tab = new_tab()
    page = tab.page

    # Anonymous course map, then sign up.
    tab.goto("/learn/")
    assert page.locator(".module-card").count() >= 1
    tab.shot("course-map-anonymous")
    page.click("header >> text=Sign up")
    page.fill("#id_username", "ada")
    page.fill("#id_email", "ada@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    tab.shot("signup")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/learn/")
    assert "Welcome, ada" in page.inner_text(".messages")

    # Join the cohort by code.
    page.click("header >> text=Join a cohort")
    page.fill("#id_join_code", cohort.join_code.lower())
    tab.shot("cohort-join")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/progress/")
    assert "Autumn cohort" in page.inner_text(".messages")

    # A lesson with typeset math.
    tab.goto(LESSON)
    page.wait_for_selector(".lesson-body .katex")
    assert page.locator(".lesson-body .math .katex").count() > 0
    tab.shot("lesson")

    # The exercise: a wrong answer submitted with Ctrl+Enter...
    tab.goto("/exercises/softmax/")
    page.wait_for_selector("#editor .cm-editor")
    assert page.locator(".prose .katex").count() > 0 or page.locator(".prose").count() == 1
    set_code(page, WRONG)
    page.keyboard.press("Control+Enter")
    assert wait_for_verdict(page) == "failed"
    failed = page.locator("#result .check-fail")
    assert failed.count() > 0
    # Failed checks come first, each linking to the lesson to review.
    assert "check-fail" in page.locator("#result .check").first.get_attribute("class")
    review = page.locator("#result .check-review a").first
    assert re.fullmatch(r"/learn/[a-z0-9-]+/[a-z0-9-]+/", review.get_attribute("href"))
    if page.locator("#result .result-figure").count():
        page.wait_for_selector("#result .js-plotly-plot .main-svg")
    tab.shot("exercise-failed")

    # ... a hint ...
    page.click("#hint-button")
    page.wait_for_selector("#hint-list li")
    assert page.locator("#hint-list li").count() == 1

    # ... then the right one with the button.
    set_code(page, RIGHT)
    page.click("#submit-button")
    page.wait_for_selector("#result[data-status=passed]", timeout=60_000)
    assert page.inner_text("#result .score") == "100%"
    page.wait_for_selector("#result .js-plotly-plot")
    assert page.locator("#history-list li").count() == 2
    tab.shot("exercise-passed")

    # A past attempt is viewable again.
    page.locator("#history-list li").nth(1).locator("button").click()
    page.wait_for_selector("#result[data-status=failed]")
    assert "Attempt 1 · " in page.inner_text("#result-heading")

    # The course map now shows mastery of probability.
    tab.goto("/learn/")
    label = page.inner_text('[data-module="probability"] .mastery-label')
    assert int(label.split("%")[0]) > 0
    tab.shot("course-map-learner")
    tab.goto("/progress/")
    assert "ada" in page.inner_text("header")
    tab.shot("progress")

    # Phone-sized course map: the menu collapses behind a toggle.
    phone = new_tab(viewport={"width": 390, "height": 844})
    log_in(phone, "ada", PASSWORD)
    assert not phone.page.is_visible("#site-menu")
    phone.page.click(".nav-toggle")
    assert phone.page.is_visible("#site-menu")
    phone.shot("course-map-phone")
    phone.goto("/exercises/softmax/")
    phone.page.wait_for_selector("#result .verdict")
    # The restored result draws its figures on a phone too.
    phone.page.wait_for_selector("#result .js-plotly-plot")
    phone.shot("exercise-phone")

    assert tab.errors == [], tab.errors
    assert phone.errors == [], phone.errors

    # The instructor sees ada on the heatmap and downloads the CSV.
    teacher_tab = new_tab()
    tpage = teacher_tab.page
    log_in(teacher_tab, "teacher", PASSWORD)
    tpage.click("header >> text=Dashboard")
    tpage.wait_for_url("**/dashboard/")
    teacher_tab.shot("dashboard")
    tpage.click("text=Autumn cohort")
    tpage.wait_for_selector("#heatmap table")
    assert "ada" in tpage.text_content("#heatmap")
    assert "A numerically stable softmax" in tpage.text_content("#heatmap")
    assert cohort.join_code in tpage.inner_text("#join-code")
    teacher_tab.shot("dashboard-cohort")
    with tpage.expect_download() as download_info:
        tpage.click("#csv-download")
    download = download_info.value
    content = Path(download.path()).read_text()
    assert "ada" in content
    assert "softmax" in content

    # Drill down into ada's attempts and open one.
    tpage.get_by_role("link", name="ada", exact=True).first.click()
    tpage.wait_for_url(re.compile(r".*/dashboard/\d+/learners/\d+/$"))
    assert tpage.locator("[data-submission]").count() == 2
    tpage.locator("[data-submission]").first.click()
    tpage.wait_for_selector("#attempt-body .verdict")
    assert "def softmax" in tpage.inner_text("#attempt-body .code-view .cm-content")
    teacher_tab.shot("dashboard-learner")
    assert teacher_tab.errors == [], teacher_tab.errors


def test_learner_cannot_open_the_dashboard(new_tab: Any, make_account: Any, log_in: Any) -> None:
    make_account("lin", PASSWORD)
    tab = new_tab()
    log_in(tab, "lin", PASSWORD)
    assert tab.page.locator("header >> text=Dashboard").count() == 0
    response = tab.goto("/dashboard/")
    assert response.status == 403
    assert "can't open this page" in tab.page.inner_text("main")
    tab.shot("dashboard-403")


def test_grading_unavailable_keeps_the_code(new_tab: Any, make_account: Any, log_in: Any) -> None:
    make_account("kai", PASSWORD)
    tab = new_tab()
    log_in(tab, "kai", PASSWORD)
    page = tab.page
    page.route(
        "**/api/v1/exercises/softmax/submissions/",
        lambda route: route.fulfill(
            status=503,
            content_type="application/json",
            body='{"detail": "Grading is temporarily unavailable"}',
        ),
    )
    tab.goto("/exercises/softmax/")
    set_code(page, "# my precious code\n" + WRONG)
    page.click("#submit-button")
    page.wait_for_selector("#grading-status[data-kind=error]")
    assert "unavailable" in page.inner_text("#grading-status")
    code = page.evaluate("() => window.dlmathEditor.state.doc.toString()")
    assert code.startswith("# my precious code")


def test_error_line_is_highlighted(new_tab: Any, make_account: Any, log_in: Any) -> None:
    make_account("eve", PASSWORD)
    tab = new_tab()
    log_in(tab, "eve", PASSWORD)
    page = tab.page
    tab.goto("/exercises/softmax/")
    set_code(page, "import numpy as np\n\n\ndef softmax(z):\n    return undefined_name\n")
    page.click("#submit-button")
    assert wait_for_verdict(page) == "error"
    page.wait_for_selector("#editor .cm-error-line")
    assert "undefined_name" in page.inner_text("#editor .cm-error-line")
    assert "line 5" in page.inner_text("#result .error-box")
    tab.shot("exercise-error")


def test_a_diagnosed_mistake_leads_the_result_and_reveals_its_hints(
    new_tab: Any, make_account: Any, log_in: Any
) -> None:
    make_account("noa", PASSWORD)
    tab = new_tab()
    log_in(tab, "noa", PASSWORD)
    page = tab.page
    tab.goto("/exercises/softmax/")
    set_code(page, (SOFTMAX / "mistakes" / "overflows.py").read_text())
    page.click("#submit-button")
    assert wait_for_verdict(page) == "failed"
    # The diagnosis comes right after the verdict, before the checks.
    first = page.locator("#result > *").nth(1)
    assert first.get_attribute("class") == "diagnosis"
    assert first.get_attribute("data-mistake") == "no-max-shift"
    assert "overflows to inf" in first.inner_text()
    assert "Fix:" in first.inner_text()
    page.click("#result .diagnosis-hint-button")
    assert page.locator("#result .diagnosis-hints li").count() == 1
    tab.shot("exercise-diagnosis")
