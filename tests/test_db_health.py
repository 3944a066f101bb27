"""The PostgreSQL health check (platform/db/postgresql/base.py): a poll, not a round trip.

Django checks a kept connection before each request's first query. This backend answers
from the socket when the connection is idle and nothing has arrived, and falls back to
Django's ``SELECT 1`` when something has: a server that ends the connection says so.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a PostgreSQL backend (DATABASE_URL unset)"
    ),
]


@pytest.fixture
def kept() -> Iterator[Any]:
    """A connection of this deployment's backend, of its own, in autocommit, idle."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    try:
        yield wrapper
    finally:
        wrapper.close()


def _backend_pid(wrapper: Any) -> int:
    with wrapper.connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def test_the_backend_is_this_deployments(kept: Any) -> None:
    assert type(kept).__module__ == "dlmath.db.postgresql.base"


def test_an_idle_healthy_connection_is_checked_without_a_statement(
    kept: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _backend_pid(kept)

    def no_statement(*args: object, **kwargs: object) -> None:
        raise AssertionError("the health check sent a statement")

    monkeypatch.setattr(kept.connection, "cursor", no_statement)
    assert kept.is_usable() is True


def test_a_connection_the_server_ended_fails_the_check_and_is_replaced(kept: Any) -> None:
    pid = _backend_pid(kept)
    with connection.cursor() as cursor:  # another session ends this one, as a restart would
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while kept.is_usable() and time.monotonic() < deadline:
        time.sleep(0.02)  # the server's goodbye is on its way
    assert kept.is_usable() is False

    kept.health_check_enabled = True
    kept.health_check_done = False
    kept.close_if_health_check_failed()
    assert kept.connection is None, "the dead connection was closed"
    assert _backend_pid_after_reconnect(kept) != pid


def _backend_pid_after_reconnect(wrapper: Any) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def test_a_connection_inside_a_transaction_is_checked_by_a_statement(
    kept: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept.connection.execute("BEGIN")
    sent: list[object] = []
    real_cursor = kept.connection.cursor

    def counted(*args: object, **kwargs: object) -> Any:
        sent.append(args)
        return real_cursor(*args, **kwargs)

    monkeypatch.setattr(kept.connection, "cursor", counted)
    assert kept.is_usable() is True
    assert sent, "not idle: Django's SELECT 1"
    kept.connection.execute("ROLLBACK")
