"""Red-team walk-through of the pages after issue 16, turned into tests.

Each finding of /work/redteam16/REPORT.md that can be checked mechanically is a test here.
A test marked ``xfail(strict=True)`` fails today for the reason it gives; whoever fixes the
finding removes the marker (a strict xfail that starts passing fails the run, as a reminder).
Unmarked tests pin flows that work and matter.

Two kinds: Django-client tests (fast; they read the HTML a screen reader gets) and browser
tests (``pytest.mark.browser``, Chromium through the fixtures of tests/browser/fixtures.py,
whose tabs block every request to another host; the new learner's journey fails on one).
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from apps.progress.models import Role
from tests.browser.harness import VIEWPORTS, axe_violations, open_context

PASSWORD = "Red-team-pass-16"

DENSE_WRONG = """import numpy as np


def dense_layer(images, W, b):
    X = np.asarray(images, dtype=float).reshape(len(images), -1)
    return np.maximum(0, X @ W.T)
"""

DENSE_RIGHT = """import numpy as np


def dense_layer(images, W, b):
    X = np.asarray(images, dtype=float).reshape(len(images), -1)
    return np.maximum(0, X @ W.T + b)
"""

# Runs past a few seconds of wall-clock time, well inside the grading time limit.
DENSE_SLOW = """import time

import numpy as np

time.sleep({seconds})


def dense_layer(images, W, b):
    return np.zeros((len(images), len(W)))
"""


# --------------------------------------------------------------------------------------------
# Helpers: HTML as a tree of (tag, attrs, text), and accounts made through the public pages.
# --------------------------------------------------------------------------------------------


class _Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: _Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[_Node] = []
        self.text: list[str] = []

    def ancestors(self) -> list[_Node]:
        found, node = [], self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return found

    def all_text(self) -> str:
        return "".join(self.text + [child.all_text() for child in self.children])


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Tree(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {}, None)
        self.nodes: list[_Node] = []
        self._open = self.root
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs}, self._open)
        self._open.children.append(node)
        self.nodes.append(node)
        if tag not in _VOID:
            self._open = node

    def handle_endtag(self, tag: str) -> None:
        node: _Node | None = self._open
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self._open = node.parent

    def handle_data(self, data: str) -> None:
        self._open.text.append(data)

    def ids(self) -> set[str]:
        return {node.attrs["id"] for node in self.nodes if "id" in node.attrs}

    def find(self, tag: str, **attrs: str) -> list[_Node]:
        return [
            node
            for node in self.nodes
            if node.tag == tag and all(node.attrs.get(k) == v for k, v in attrs.items())
        ]


def _tree(response: Any) -> _Tree:
    return _Tree(response.content.decode())


def _sign_up(username: str, *, join_code: str = "", email: str = "") -> Client:
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": email or f"{username}@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "join_code": join_code,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def _instructor(make_user: Callable[..., Any], username: str = "teacher") -> Client:
    client = Client()
    client.force_login(make_user(username, role=Role.INSTRUCTOR, password=PASSWORD))
    return client


def _create_cohort(instructor: Client, name: str) -> tuple[str, str]:
    """(the cohort's dashboard path, its join code), through the dashboard's form."""
    response = instructor.post("/dashboard/", {"new-name": name})
    assert response.status_code == 302, response.content.decode()[:2000]
    path = response["Location"]
    page = instructor.get(path).content.decode()
    code = re.search(r'class="join-code"[^>]*>\s*([A-Z0-9]{6,16})\s*<', page)
    assert code, "no join code on the cohort page"
    return path, code.group(1)


@pytest.fixture
def submit(django_capture_on_commit_callbacks: Any) -> Callable[[Client, str, str], None]:
    """Submit through the API and grade it now (grading waits for the commit otherwise)."""

    def send(client: Client, slug: str, code: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/api/v1/exercises/{slug}/submissions/",
                data=json.dumps({"code": code}),
                content_type="application/json",
            )
        assert response.status_code in (200, 201, 202), response.content.decode()[:500]

    return send


# --------------------------------------------------------------------------------------------
# Django-client tests: flows that work
# --------------------------------------------------------------------------------------------


def test_sign_up_with_a_join_code_typed_loosely_joins_the_cohort(
    db: Any, make_user: Callable[..., Any]
) -> None:
    teacher = _instructor(make_user)
    _, code = _create_cohort(teacher, "Autumn seminar")
    learner = _sign_up("ada", join_code=f"  {code.lower()} ")
    page = learner.get("/cohorts/join/").content.decode()
    assert "Autumn seminar" in page
    # And without a code: an account, no cohort, sent to the course with a "Next up".
    plain = _sign_up("grace")
    course = plain.get("/learn/").content.decode()
    assert "Next up" in course
    assert "Autumn seminar" not in plain.get("/cohorts/join/").content.decode()


def test_password_reset_by_e_mail_sets_a_new_password(db: Any) -> None:
    _sign_up("ada", email="ada@example.org")
    response = Client().post("/accounts/password-reset/", {"email": "ADA@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/reset/[^\s]+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    browser = Client()
    form = browser.get(link.group(0), follow=True)
    assert form.status_code == 200
    set_password = form.redirect_chain[-1][0] if form.redirect_chain else link.group(0)
    done = browser.post(
        set_password,
        {"new_password1": "Brand-new-pass-77", "new_password2": "Brand-new-pass-77"},
    )
    assert done.status_code == 302
    assert Client().login(username="ada", password="Brand-new-pass-77")
    # The link works once.
    again = Client().get(link.group(0), follow=True).content.decode()
    assert "no longer works" in again


def test_unknown_addresses_answer_404_with_a_way_back(db: Any) -> None:
    anonymous = Client()
    for path in ("/nope/", "/learn/no-such-module/", "/learn/linear-algebra/no-such-lesson/"):
        response = anonymous.get(path)
        assert response.status_code == 404, path
        assert 'href="/learn/"' in response.content.decode(), path
    learner = _sign_up("ada")
    assert learner.get("/exercises/no-such-exercise/").status_code == 404
    assert learner.get("/dashboard/").status_code == 403


def test_instructor_creates_rotates_renames_archives_and_downloads_csvs(
    db: Any, make_user: Callable[..., Any], submit: Any
) -> None:
    teacher = _instructor(make_user)
    path, code = _create_cohort(teacher, "Spring 2027")
    ada = _sign_up("ada", join_code=code)
    submit(ada, "dense-layer-on-images", DENSE_WRONG)
    submit(ada, "dense-layer-on-images", DENSE_RIGHT)
    grace = _sign_up("grace", join_code=code)
    submit(grace, "dense-layer-on-images", DENSE_WRONG)

    # Rotate: the old code stops working, the new one works.
    rotated = teacher.post(f"{path}join-code/", follow=True)
    assert rotated.status_code == 200
    new_code = re.search(
        r'class="join-code"[^>]*>\s*([A-Z0-9]{6,16})\s*<', rotated.content.decode()
    )
    assert new_code
    assert new_code.group(1) != code
    late = _sign_up("late")
    refused = late.post("/cohorts/join/", {"join_code": code}).content.decode()
    assert "No cohort has that join code" in refused

    # Rename and archive.
    assert teacher.post(f"{path}rename/", {"name": "Spring 2027, group B"}).status_code == 302
    assert "Spring 2027, group B" in teacher.get(path).content.decode()
    assert teacher.post(f"{path}archive/", {"archived": "1"}).status_code == 302
    archived = late.post("/cohorts/join/", {"join_code": new_code.group(1)}).content.decode()
    assert "archived" in archived

    # The long-format CSV: one row per learner and exercise, scores formatted one way.
    cohort_id = path.strip("/").split("/")[-1]
    progress = teacher.get(f"/api/v1/cohorts/{cohort_id}/progress.csv")
    assert progress.status_code == 200
    rows = list(csv.DictReader(io.StringIO(progress.content.decode())))
    assert {"learner", "exercise", "attempts", "best_score", "passed"} <= set(rows[0])
    per_learner = {row["learner"]: 0 for row in rows}
    for row in rows:
        per_learner[row["learner"]] += 1
    assert set(per_learner) == {"ada", "grace"}
    assert len(set(per_learner.values())) == 1  # every learner x every exercise
    dense = {row["learner"]: row for row in rows if row["exercise"] == "dense-layer-on-images"}
    assert dense["ada"]["passed"] == "true"
    assert dense["ada"]["attempts"] == "2"
    assert dense["grace"]["passed"] == "false"
    scores = [row["best_score"] for row in rows if row["best_score"]]
    assert all(re.fullmatch(r"\d\.\d{4}", score) for score in scores), scores

    summary = teacher.get(f"/api/v1/cohorts/{cohort_id}/exercise-summary.csv")
    srows = list(csv.DictReader(io.StringIO(summary.content.decode())))
    dense_summary = next(row for row in srows if row["exercise"] == "dense-layer-on-images")
    assert dense_summary["attempted"] == "2"
    assert dense_summary["passed"] == "1"
    assert dense_summary["pass_rate"] == "0.5000"


# --------------------------------------------------------------------------------------------
# Django-client tests: findings
# --------------------------------------------------------------------------------------------


def test_form_errors_are_announced_with_their_field(db: Any, make_user: Callable[..., Any]) -> None:
    empty = {"username": "", "email": "", "password1": "", "password2": "", "join_code": ""}
    pages = [Client().post("/accounts/signup/", empty)]
    teacher = _instructor(make_user)
    pages.append(teacher.post("/dashboard/", {"new-name": ""}))
    path, _ = _create_cohort(teacher, "Autumn")
    pages.append(teacher.post(f"{path}rename/", {"name": ""}))
    for response in pages:
        tree = _tree(response)
        ids = tree.ids()
        invalid = [node for node in tree.nodes if node.attrs.get("aria-invalid") == "true"]
        assert invalid, "the form shows no invalid field"
        for node in invalid:
            described = node.attrs.get("aria-describedby", "").split()
            missing = [ref for ref in described if ref not in ids]
            assert not missing, f"{node.attrs.get('name')}: aria-describedby names {missing}"


def test_oversized_code_is_refused_with_the_limit_named(db: Any) -> None:
    learner = _sign_up("ada")
    response = learner.post(
        "/api/v1/exercises/dense-layer-on-images/submissions/",
        data=json.dumps({"code": "import numpy as np\n" + "#" * 300_000}),
        content_type="application/json",
    )
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    assert "65,536" in response.content.decode() or "64 KiB" in response.content.decode()


def test_dashboard_regions_have_distinct_names(
    db: Any, make_user: Callable[..., Any], submit: Any
) -> None:
    teacher = _instructor(make_user)
    path, code = _create_cohort(teacher, "Autumn")
    ada = _sign_up("ada", join_code=code)
    submit(ada, "dense-layer-on-images", DENSE_WRONG)
    cohort_page = teacher.get(path)
    learner_link = re.search(
        rf'href="({re.escape(path)}learners/\d+/)"', cohort_page.content.decode()
    )
    assert learner_link
    for response in (cohort_page, teacher.get(learner_link.group(1))):
        tree = _tree(response)
        doubled = []
        for node in tree.nodes:
            label = node.attrs.get("aria-labelledby")
            if node.attrs.get("role") != "region" or not label:
                continue
            if any(
                a.tag == "section" and a.attrs.get("aria-labelledby") == label
                for a in node.ancestors()
            ):
                doubled.append(label)
        assert not doubled, f"regions named like their section: {doubled}"


def test_attempts_in_the_same_minute_can_be_told_apart(
    db: Any, make_user: Callable[..., Any], submit: Any
) -> None:
    teacher = _instructor(make_user)
    path, code = _create_cohort(teacher, "Autumn")
    ada = _sign_up("ada", join_code=code)
    submit(ada, "dense-layer-on-images", DENSE_WRONG)
    submit(ada, "dense-layer-on-images", DENSE_RIGHT)
    cohort_page = teacher.get(path).content.decode()
    learner_path = re.search(rf'href="({re.escape(path)}learners/\d+/)"', cohort_page)
    assert learner_path
    tree = _tree(teacher.get(learner_path.group(1)))
    minutes = {
        node.attrs["datetime"][:16] for node in tree.find("time") if "datetime" in node.attrs
    }
    if len(minutes) != 1:
        pytest.skip("the two attempts fell on either side of a minute")
    labels = [
        " ".join(button.all_text().split())
        for button in tree.nodes
        if button.tag == "button" and "data-submission" in button.attrs
    ]
    assert len(labels) == 2
    assert labels[0] != labels[1], labels


def test_learner_attempt_buttons_say_which_attempt(db: Any, submit: Any) -> None:
    ada = _sign_up("ada")
    submit(ada, "dense-layer-on-images", DENSE_WRONG)
    submit(ada, "dense-layer-on-images", DENSE_RIGHT)
    tree = _tree(ada.get("/exercises/dense-layer-on-images/"))
    names = [
        button.attrs.get("aria-label") or " ".join(button.all_text().split())
        for button in tree.nodes
        if button.tag == "button" and "data-submission" in button.attrs
    ]
    assert len(names) == 2
    assert "View" not in names, names
    assert len(set(names)) == 2, names


def test_api_docs_page_declares_its_language(db: Any) -> None:
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    assert re.search(r"<html[^>]*\blang=\"en", response.content.decode())


def test_a_rejected_rename_is_shown_where_the_instructor_looks(
    db: Any, make_user: Callable[..., Any], submit: Any
) -> None:
    teacher = _instructor(make_user)
    path, code = _create_cohort(teacher, "Autumn")
    submit(_sign_up("ada", join_code=code), "dense-layer-on-images", DENSE_WRONG)
    response = teacher.post(f"{path}rename/", {"name": "   "})
    if response.status_code == 302:  # post/redirect/get with the error as a message: fine
        return
    tree = _tree(response)
    field = tree.find("input", name="name")[0]
    announced = any(node.attrs.get("role") == "alert" for node in tree.nodes)
    assert "autofocus" in field.attrs or announced


def test_module_next_up_comes_before_the_lesson_list(db: Any) -> None:
    learner = _sign_up("ada")
    page = learner.get("/learn/linear-algebra/").content.decode()
    next_up = page.find("data-next-up-link")
    first_lesson = page.find('href="/learn/linear-algebra/vectors-matrices-and-maps/"')
    assert next_up != -1
    assert first_lesson != -1
    assert next_up < first_lesson


# --------------------------------------------------------------------------------------------
# Browser tests
# --------------------------------------------------------------------------------------------


def _put_code(page: Any, code: str) -> None:
    page.click(".cm-content")
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)


def _wait_graded(page: Any, timeout: float = 60_000) -> str:
    page.wait_for_function(
        "() => (document.querySelector('#grading-status')?.innerText || '').startsWith('Graded')",
        timeout=timeout,
    )
    return str(page.inner_text("#grading-status"))


@pytest.mark.browser
def test_new_learner_signs_up_reads_and_solves_the_first_exercise(new_tab: Any) -> None:
    tab = new_tab()
    page = tab.page
    tab.goto("/learn/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"

    tab.goto("/accounts/signup/")
    page.fill("#id_username", "ada")
    page.fill("#id_email", "ada@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/learn/")
    page.click("[data-next-up-link]")
    page.wait_for_url("**/learn/linear-algebra/vectors-matrices-and-maps/")

    # Reading to the end marks the lesson read.
    page.keyboard.press("End")
    page.wait_for_selector("#lesson-read-state:not([hidden])")
    page.click("a:has-text('Next: exercise')")
    page.wait_for_url("**/exercises/dense-layer-on-images/")
    page.wait_for_selector(".cm-content")

    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    _put_code(page, DENSE_WRONG)
    page.dblclick("#submit-button")
    assert "Some checks failed" in _wait_graded(page)
    assert len([url for url in posts if "/submissions/" in url]) == 1

    # Every hint, then no button offering more.
    for _ in range(10):
        if not page.is_visible("#hint-button"):
            break
        page.click("#hint-button")
        page.wait_for_timeout(300)
    assert not page.is_visible("#hint-button")
    assert page.locator("#hint-list li").count() >= 1

    _put_code(page, DENSE_RIGHT)
    page.click(".cm-content")
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "() => (document.querySelector('#grading-status')?.innerText || '').includes('Passed')"
    )
    # The header's best score follows the new attempt.
    page.wait_for_function(
        "() => /best score 100% in 2 attempts/i.test(document.querySelector('main').innerText)"
    )
    assert not tab.outside, tab.outside
    assert not tab.errors, tab.errors


@pytest.mark.browser
def test_focus_is_not_lost_when_grading_ends(signed_in_tab: Any) -> None:
    tab = signed_in_tab("ada", PASSWORD)
    page = tab.page
    tab.goto("/exercises/dense-layer-on-images/")
    page.wait_for_selector(".cm-content")
    _put_code(page, DENSE_WRONG)
    page.focus("#submit-button")
    page.keyboard.press("Enter")
    _wait_graded(page)
    assert page.evaluate("document.activeElement !== document.body")


@pytest.mark.browser
def test_unsubmitted_code_survives_a_reload(signed_in_tab: Any) -> None:
    tab = signed_in_tab("ada", PASSWORD)
    page = tab.page
    tab.goto("/exercises/power-iteration/")
    page.wait_for_selector(".cm-content")
    page.click(".cm-content")
    page.keyboard.press("Control+End")
    page.keyboard.type("\n# half an hour of thinking\n")
    page.wait_for_timeout(1500)
    page.reload()
    page.wait_for_selector(".cm-content")
    assert "half an hour of thinking" in page.inner_text(".cm-content")


@pytest.mark.browser
def test_submit_after_logging_out_elsewhere_says_to_log_in(signed_in_tab: Any) -> None:
    tab = signed_in_tab("ada", PASSWORD)
    page = tab.page
    tab.goto("/exercises/power-iteration/")
    page.wait_for_selector(".cm-content")
    other = page.context.new_page()
    other.goto(tab.base_url + "/learn/")
    other.click("text=Log out")
    other.wait_for_url("**/accounts/login/**")
    page.bring_to_front()
    page.click("#submit-button")
    page.wait_for_function(
        "() => (document.querySelector('#grading-status')?.innerText || '').length > 0 "
        # The page marks the button busy with aria-disabled (it stays focusable): the
        # refusal has arrived when that is gone again.
        "&& !document.querySelector('#submit-button').hasAttribute('aria-disabled')"
    )
    status = page.inner_text("#grading-status")
    assert "log in" in status.lower(), status
    assert page.locator("#grading-status a[href*='/accounts/login/']").count() == 1
    # A hint asked for now says the same.
    page.evaluate("document.getElementById('grading-status').textContent = ''")
    page.click("#hint-button")
    page.wait_for_function(
        "() => (document.querySelector('#grading-status')?.innerText || '').length > 0"
    )
    status = page.inner_text("#grading-status")
    assert "log in" in status.lower(), status
    assert page.locator("#grading-status a[href*='/accounts/login/']").count() == 1


@pytest.mark.browser
def test_slow_grading_shows_elapsed_seconds(signed_in_tab: Any) -> None:
    tab = signed_in_tab("ada", PASSWORD)
    page = tab.page
    tab.goto("/exercises/dense-layer-on-images/")
    page.wait_for_selector(".cm-content")
    _put_code(page, DENSE_SLOW.format(seconds=3))
    page.click("#submit-button")
    seen = []
    started = time.monotonic()
    while time.monotonic() - started < 2.6:
        page.wait_for_timeout(300)
        seen.append(page.inner_text("#grading-status"))
    _wait_graded(page)
    assert any(re.search(r"\b[12] s\b", text) for text in seen), seen


@pytest.mark.browser
def test_figures_offer_no_upload_to_another_site(new_tab: Any) -> None:
    tab = new_tab()
    page = tab.page
    tab.goto("/learn/linear-algebra/vectors-matrices-and-maps/")
    page.wait_for_selector("figure.lesson-figure .main-svg")
    buttons = page.eval_on_selector_all(
        "figure .modebar-btn", "els => els.map(e => e.getAttribute('data-title'))"
    )
    assert buttons, "no toolbar drawn"
    assert not [title for title in buttons if "share" in (title or "").lower()], buttons


@pytest.mark.browser
def test_figure_axis_titles_do_not_cover_legends(new_tab: Any) -> None:
    tab = new_tab(viewport={"width": 1280, "height": 800})
    page = tab.page
    tab.goto("/learn/probability/sampling-distributions-and-intervals/")
    page.wait_for_selector("figure.lesson-figure .main-svg")
    page.wait_for_timeout(500)
    overlaps = page.evaluate(
        """() => {
        const hit = (a, b) => !(a.right <= b.left || a.left >= b.right
                                || a.bottom <= b.top || a.top >= b.bottom);
        const out = [];
        for (const f of document.querySelectorAll('figure.lesson-figure')) {
          const titles = [...f.querySelectorAll('.xtitle, [class^=x][class$=title]')]
            .map(e => e.getBoundingClientRect());
          const items = [...f.querySelectorAll('.legend .traces')]
            .map(e => e.getBoundingClientRect());
          for (const t of titles) for (const i of items) if (hit(t, i))
            out.push(f.getAttribute('aria-label'));
        }
        return [...new Set(out)];
      }"""
    )
    assert not overlaps, overlaps


@pytest.mark.browser
def test_api_docs_have_a_way_back_and_no_serious_axe_violation(browser: Any, site: str) -> None:
    context, watch = open_context(browser, site, viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    try:
        page.goto(site + "/api/docs/", wait_until="load")
        page.wait_for_selector(".opblock")
        assert page.locator("a[href='/learn/']").count() >= 1
        assert page.get_attribute("html", "lang")
        problems = axe_violations(page)
        # And with an operation open (its parameters, responses and "Try it out").
        page.click(".opblock-summary-control >> nth=0")
        page.wait_for_selector(".opblock-body")
        problems += axe_violations(page) + watch.take()
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_elapsed_seconds_continue_after_a_reload(signed_in_tab: Any) -> None:
    tab = signed_in_tab("ada", PASSWORD)
    page = tab.page
    tab.goto("/exercises/dense-layer-on-images/")
    page.wait_for_selector(".cm-content")
    _put_code(page, DENSE_SLOW.format(seconds=6))
    page.click("#submit-button")
    page.wait_for_timeout(3000)
    page.reload()
    page.wait_for_selector("#grading-status .grading-elapsed")
    shown = page.inner_text("#grading-status")
    seconds = re.search(r"\b(\d+) s\b", shown)
    assert seconds, shown
    assert int(seconds.group(1)) >= 2, shown  # counted from the submission, not the reload
    _wait_graded(page)


@pytest.mark.browser
def test_a_draft_is_restored_with_a_note_and_dropped_once_submitted(signed_in_tab: Any) -> None:
    tab = signed_in_tab("ada", PASSWORD)
    page = tab.page
    tab.goto("/exercises/dense-layer-on-images/")
    page.wait_for_selector(".cm-content")
    _put_code(page, DENSE_WRONG)
    page.wait_for_timeout(1000)
    tab.goto("/learn/")
    tab.goto("/exercises/dense-layer-on-images/")
    page.wait_for_selector("#draft-note")
    assert "X @ W.T)" in page.inner_text(".cm-content")
    page.click("#submit-button")
    _wait_graded(page)
    keys = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('dlmath:draft:'))")
    assert keys == [], keys
    page.reload()
    page.wait_for_selector(".cm-content")
    assert not page.is_visible("#draft-note")
    assert "X @ W.T)" in page.inner_text(".cm-content")  # now the last submission


@pytest.mark.browser
def test_code_over_the_limit_is_refused_before_sending(signed_in_tab: Any) -> None:
    tab = signed_in_tab("ada", PASSWORD)
    page = tab.page
    tab.goto("/exercises/dense-layer-on-images/")
    page.wait_for_selector(".cm-content")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.evaluate(
        "() => { const v = window.dlmathEditor; v.dispatch({changes: "
        "{from: 0, to: v.state.doc.length, insert: 'x = 1\\n' + '#'.repeat(300000)}}); }"
    )
    page.click("#submit-button")
    page.wait_for_selector("#grading-status[data-kind='error']")
    assert "65,536 bytes" in page.inner_text("#grading-status")
    assert not [url for url in posts if "/submissions/" in url]


@pytest.mark.browser
def test_instructor_copies_the_join_link_and_confirms_a_new_code(signed_in_tab: Any) -> None:
    tab = signed_in_tab(
        "teacher",
        PASSWORD,
        role=Role.INSTRUCTOR,
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = tab.page
    tab.goto("/dashboard/")
    page.fill("#id_new-name", "Autumn")
    page.click(".new-cohort button[type=submit]")
    page.wait_for_selector("#join-code")
    code = page.inner_text("#join-code").strip()

    link = page.input_value("#join-link")
    assert link.endswith(f"/cohorts/join/?code={code}"), link
    page.click("button[data-copy='join-link']")
    page.wait_for_function("() => document.getElementById('copy-status').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == link

    # A new code asks first: "Cancel" keeps the code, "OK" replaces it.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#rotate-code")
    page.wait_for_timeout(500)
    assert page.inner_text("#join-code").strip() == code
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#rotate-code")
    page.wait_for_function(
        f"() => document.getElementById('join-code').textContent.trim() !== '{code}'"
    )
    new_link = page.input_value("#join-link")

    # The link fills the code in for a learner; joining is one click.
    learner = signed_in_tab("ada", PASSWORD)
    learner.page.goto(new_link)
    learner.page.click("main form button[type=submit]")
    learner.page.wait_for_url("**/progress/")
    learner.goto("/cohorts/join/")
    assert "Autumn" in learner.page.inner_text("main")


@pytest.mark.browser
def test_reloading_after_a_rejected_rename_does_not_post_again(signed_in_tab: Any) -> None:
    tab = signed_in_tab("teacher", PASSWORD, role=Role.INSTRUCTOR)
    page = tab.page
    tab.goto("/dashboard/")
    page.fill("#id_new-name", "Autumn")
    page.click(".new-cohort button[type=submit]")
    page.wait_for_selector("#join-code")
    cohort_path = page.url
    page.fill(".rename-form input[name=name]", "   ")
    page.click(".rename-form button[type=submit]")
    page.wait_for_selector(".rename-form .errors")
    # The field with its error has focus, and the address is the cohort's own again (the
    # page's script replaces it once it runs: wait for it, up to the usual timeout).
    page.wait_for_url(cohort_path)
    assert page.evaluate("document.activeElement.name") == "name"
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.reload()
    page.wait_for_selector("#join-code")
    assert posts == []
