"""Playwright (sync API) against Debian's Chromium and pytest-django's live server: the fixtures
of every browser test (tests/browser, tests/redteam), registered once by tests/conftest.py so
one Chromium serves the whole session.

Skipped, with the reason, when /usr/bin/chromium or the built bundles are missing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.harness import block_other_hosts

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
# test body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
DIST = ROOT / "frontend" / "static" / "dist"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    if not (DIST / "app.js").exists() or not (DIST / "exercise.js").exists():
        return (
            f"{DIST} has no bundles: run `cd frontend && npm ci && npm run build` "
            "(the Makefile does)"
        )
    return None


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    reason = _skip_reason()
    if reason is None:
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def site(live_server: Any, transactional_db: Any) -> str:
    """The live server's URL, its database holding the synced course.

    Transactional tests truncate every table afterwards, so each test syncs again.
    """
    call_command("sync_curriculum", verbosity=0)
    return live_server.url


class Tab:
    """A page plus what it logged: console errors and uncaught exceptions fail the test.
    ``outside`` lists the requests to another host, which its context aborts."""

    def __init__(self, page: Any, base_url: str, outside: list[str]) -> None:
        self.page = page
        self.base_url = base_url
        self.outside = outside
        self.errors: list[str] = []
        page.on(
            "console",
            lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base_url + path, wait_until="load")

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(target), full_page=True)
        return target


@pytest.fixture
def new_tab(browser: Any, site: str) -> Iterator[Callable[..., Tab]]:
    contexts: list[Any] = []

    def open_tab(**context_options: Any) -> Tab:
        context = browser.new_context(
            viewport=context_options.pop("viewport", {"width": 1280, "height": 900}),
            accept_downloads=True,
            **context_options,
        )
        context.set_default_timeout(30_000)
        contexts.append(context)
        outside: list[str] = []
        block_other_hosts(context, site, outside)
        return Tab(context.new_page(), site, outside)

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def make_account(transactional_db: Any) -> Callable[..., Any]:
    from django.contrib.auth import get_user_model

    from apps.progress.models import Role
    from apps.progress.services import profile_ensure

    def create(username: str, password: str, *, role: str = Role.LEARNER) -> Any:
        user = get_user_model().objects.create_user(username=username, password=password)
        profile_ensure(user=user, role=role)
        return user

    return create


@pytest.fixture
def log_in() -> Callable[[Tab, str, str], None]:
    def submit_login_form(tab: Tab, username: str, password: str) -> None:
        tab.goto("/accounts/login/")
        tab.page.fill("#id_username", username)
        tab.page.fill("#id_password", password)
        tab.page.click("main form button[type=submit]")
        # Learners land on the course, instructors on their dashboard.
        tab.page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return submit_login_form


@pytest.fixture
def signed_in_tab(
    new_tab: Callable[..., Tab], make_account: Callable[..., Any], log_in: Any
) -> Callable[..., Tab]:
    """A new account and a tab logged in as it through the login form; ``role`` and the
    context options (``viewport``, ``permissions``...) are passed on."""

    def open_signed_in(
        username: str, password: str, *, role: str | None = None, **options: Any
    ) -> Tab:
        from apps.progress.models import Role

        make_account(username, password, role=role or Role.LEARNER)
        tab = new_tab(**options)
        log_in(tab, username, password)
        return tab

    return open_signed_in
