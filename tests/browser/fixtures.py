"""Playwright (sync API) against Debian's Chromium and pytest-django's live server: the fixtures
of every browser test (tests/browser, tests/redteam), registered once by tests/conftest.py so
one Chromium serves the whole session.

Skipped, with the reason, when /usr/bin/chromium or the built bundles are missing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread

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


class _LiveServer(ThreadedWSGIServer):
    """The live server; during a browser test on in-memory SQLite, one request at a time.

    Django hands the live server's threads the test's own SQLite connection (an in-memory
    database exists only inside it), so two requests served at once share one connection:
    a page's own background POST and the test's click raced to "cannot release savepoint -
    SQL statements in progress". While ``one_at_a_time`` is set (by the ``site`` fixture of
    the browser tests) connections are still accepted and kept alive by a thread each, but
    the application runs one request at a time, its body read out under the lock. Not for
    every live-server test: in the LTI tests a request to dlmath calls the LMS, which calls
    dlmath back (its key set) and would wait on the lock. On PostgreSQL every thread has its
    own connection and requests always run concurrently, as in production.
    """

    one_at_a_time = threading.Event()
    _lock = threading.Lock()

    def set_app(self, application: Callable[..., Any]) -> None:
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            application = _one_at_a_time(application, self._lock, self.one_at_a_time)
        super().set_app(application)


def _one_at_a_time(
    application: Callable[..., Any], lock: threading.Lock, when: threading.Event
) -> Callable[..., Any]:
    def serialised(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not when.is_set():
            return application(environ, start_response)  # type: ignore[no-any-return]
        with lock:
            result = application(environ, start_response)
            try:
                return list(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()

    return serialised


LiveServerThread.server_class = _LiveServer


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
def site(live_server: Any, transactional_db: Any) -> Iterator[str]:
    """The live server's URL, its database holding the synced course.

    Transactional tests truncate every table afterwards, so each test syncs again.
    """
    call_command("sync_curriculum", verbosity=0)
    _LiveServer.one_at_a_time.set()
    try:
        yield live_server.url
    finally:
        _LiveServer.one_at_a_time.clear()


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
