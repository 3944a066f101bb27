"""Shared fixtures: the real curriculum synced once per test database, and user factories."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

# The browser fixtures (one Chromium per session, the live site, tabs) for every test that
# drives a page, wherever it lives: registered here once, so two directories never start two.
pytest_plugins = ["tests.browser.fixtures"]

_counter = itertools.count(1)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Every test database starts with the course synced from disk, as `make run` does."""
    with django_db_blocker.unblock():
        call_command("sync_curriculum", verbosity=0)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite, test against a database file, as `make run` serves from.

    Django's default test database on SQLite is a shared-cache memory database, where two
    connections writing at once are refused ("database table is locked") whatever the
    settings say, since that lock is the cache's own and never waits. A file has SQLite's
    real locking, which settings.py configures for concurrent requests.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("database") / "test.sqlite3"
        )


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    from django.contrib.auth import get_user_model

    from apps.progress.models import Role
    from apps.progress.services import profile_ensure

    def factory(
        username: str | None = None, *, role: str = Role.LEARNER, password: str = "pw-for-tests-1"
    ) -> Any:
        user = get_user_model().objects.create_user(
            username=username or f"user{next(_counter)}", password=password
        )
        profile_ensure(user=user, role=role)
        return user

    return factory


@pytest.fixture
def alice(make_user: Callable[..., Any]) -> Any:
    return make_user("alice")


@pytest.fixture
def bob(make_user: Callable[..., Any]) -> Any:
    return make_user("bob")


@pytest.fixture
def teacher(make_user: Callable[..., Any]) -> Any:
    from apps.progress.models import Role

    return make_user("teacher", role=Role.INSTRUCTOR)


@pytest.fixture
def make_cohort(db: Any) -> Callable[..., Any]:
    from apps.progress.models import Enrollment
    from apps.progress.services import cohort_create

    def factory(instructor: Any, learners: list[Any] = (), name: str = "Cohort") -> Any:  # type: ignore[assignment]
        cohort = cohort_create(name=name, instructor=instructor)
        for learner in learners:
            Enrollment.objects.create(cohort=cohort, user=learner)
        return cohort

    return factory


@pytest.fixture
def api_client() -> Any:
    from rest_framework.test import APIClient

    return APIClient()


def services_available() -> tuple[bool, str]:
    if not os.environ.get("REDIS_URL"):
        return False, "REDIS_URL is not set (CI sets it for `make test-services`)"
    return True, ""


@pytest.fixture
def live_db(transactional_db: Any) -> None:
    """A committed-transactions database holding the course.

    Transactional tests truncate every table when they finish, the synced curriculum with
    them, so each one syncs again (idempotent, and cheap once lessons are cached).
    """
    call_command("sync_curriculum", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_course_outline() -> None:
    """Tests roll back the database under process-wide caches: start each one fresh."""
    from django.core.cache import cache

    from apps.curriculum import selectors

    selectors._outline = None
    cache.clear()


@pytest.fixture
def django_capture_on_commit_callbacks(
    django_capture_on_commit_callbacks: Any,
) -> Callable[..., Any]:
    """pytest-django's, but the block stands for a transaction of its own, as a test's
    commits do: a callback registered before it, which no test commit will ever run, no
    longer stands in for one registered inside (``versioned.on_commit_once``)."""

    from django.db import connection

    from apps.progress.versioned import _OnCommitOnce

    def capture(**kwargs: Any) -> Any:
        for _savepoints, waiting, _robust in connection.run_on_commit:
            if isinstance(waiting, _OnCommitOnce):
                waiting.ran = True
        return django_capture_on_commit_callbacks(**kwargs)

    return capture


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """``committed(write, **kwargs)``: run a write, then what it defers to its commit (the
    cache versions' bumps), as a real commit would; a test's transaction never commits."""

    def run(write: Callable[..., Any], **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return write(**kwargs)

    return run
