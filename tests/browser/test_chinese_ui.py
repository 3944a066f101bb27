"""The Chinese UI in Chromium: the header's switcher, the pages and the script's grading states."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-9"

WRONG = """import numpy as np


def softmax(z):
    z = np.asarray(z, dtype=float)
    return np.exp(z) / np.exp(z).sum()
"""


def switch_language(page: Any, code: str) -> None:
    page.select_option("#language-select", code)
    with page.expect_navigation():
        page.click(".language-switcher button[type=submit]")


def set_code(page: Any, code: str) -> None:
    page.wait_for_function("() => window.dlmathEditor !== undefined")
    page.evaluate(
        """(code) => {
            const view = window.dlmathEditor;
            view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: code}});
        }""",
        code,
    )


def test_a_learner_switches_to_chinese_submits_and_switches_back(
    new_tab: Any, make_account: Any, log_in: Any
) -> None:
    make_account("lin", PASSWORD)
    tab = new_tab(locale="en-US")
    page = tab.page
    log_in(tab, "lin", PASSWORD)

    tab.goto("/learn/")
    assert page.get_attribute("html", "lang") == "en"
    assert page.title().startswith("Course map")

    # The switcher is a plain form: choose, submit, and the same page comes back in Chinese.
    switch_language(page, "zh-hans")
    assert page.url.endswith("/learn/")
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert page.title().startswith("课程地图")
    assert page.inner_text("#site-menu").split()[:3] == ["课程", "学习进度", "草稿本"]
    assert "已开放" in page.inner_text("main")  # a module card's state
    assert page.input_value("#language-select") == "zh-hans"

    # The exercise page, and the states its script writes while grading, in Chinese.
    tab.goto("/exercises/softmax/")
    assert page.inner_text("#submit-button") == "提交评分"
    assert page.inner_text("#hint-count") == "已显示 0/3 条提示"
    set_code(page, WRONG)
    seen: list[str] = []
    page.expose_function("noteStatus", lambda text: seen.append(text))
    page.evaluate(
        """() => new MutationObserver(() => window.noteStatus(
               document.getElementById("grading-status").innerText))
             .observe(document.getElementById("grading-status"),
                      {childList: true, subtree: true, characterData: true})"""
    )
    page.click("#submit-button")
    page.wait_for_selector("#result:not([hidden]) .verdict", timeout=60_000)
    assert page.get_attribute("#result", "data-status") == "failed"
    assert page.inner_text("#result .verdict-title") == "部分检查未通过"
    status = page.inner_text("#grading-status")
    assert status.startswith("评分完成：部分检查未通过，得分"), status
    assert any(text.startswith("正在发送你的代码") for text in seen), seen
    assert "检查项" in page.inner_text("#result")
    assert page.inner_text("#history-list li .badge") == "未通过"
    assert "年" in page.inner_text("#history-list li time")  # 2026年12月6日 14:05
    assert page.inner_text("#result-heading") == "你的最新结果"

    # The lesson text and the checks' messages stay English: content is not translated.
    assert "softmax" in page.inner_text(".exercise-task")

    # And back: the choice sticks (a cookie) until changed again.
    switch_language(page, "en")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("#submit-button") == "Submit for grading"
    tab.goto("/learn/")
    assert page.title().startswith("Course map")
    assert tab.errors == []


def test_the_browsers_own_language_picks_chinese_until_the_learner_chooses(
    new_tab: Any,
) -> None:
    tab = new_tab(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    page = tab.page
    tab.goto("/learn/")
    assert page.get_attribute("html", "lang") == "zh-hans"
    switch_language(page, "en")
    assert page.get_attribute("html", "lang") == "en"
    tab.goto("/accounts/login/")
    assert page.get_attribute("html", "lang") == "en"
    assert tab.errors == []
