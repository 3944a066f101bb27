"""Requests writing at once: the embedded SQLite default must queue writers, not refuse them.

`make run` without a database serves SQLite to a web process of eight threads, each grading
eagerly. In SQLite's default (deferred) transactions a transaction that has read and then
writes is refused at once when another connection wrote in between: the learner's grading
failed with "database is locked" and the submission stayed queued. settings.py sets
write-ahead logging and BEGIN IMMEDIATE with a busy timeout; these tests hold it to that,
on a database file (tests/conftest.py), as `make run` serves from.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction

from apps.sandbox.models import Submission, SubmissionStatus
from tests.redteam.test_sqlite_concurrency_redteam import SOLUTION, api, at_once, submit

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own locking")


@on_sqlite
@pytest.mark.django_db
def test_the_embedded_database_is_a_file_with_a_write_ahead_log() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert connection.transaction_mode == "IMMEDIATE"
    assert not connection.is_in_memory_db()


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_two_transactions_that_read_then_write_both_commit(make_user: Any) -> None:
    """The shape of every grading's store: read the row, then write it, in one transaction."""
    user = make_user()
    first_has_read = threading.Event()
    errors: list[BaseException] = []

    def read_then_write(name: str, wait_for: threading.Event | None) -> None:
        if wait_for is not None:
            wait_for.wait(5)
        try:
            with transaction.atomic():
                current = type(user).objects.get(pk=user.pk).first_name
                if wait_for is None:
                    first_has_read.set()
                    threading.Event().wait(0.3)  # the other one reads meanwhile
                type(user).objects.filter(pk=user.pk).update(first_name=current + name)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=read_then_write, args=("a", None)),
        threading.Thread(target=read_then_write, args=("b", first_has_read)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    # Each read the other's committed write: neither update was lost.
    assert type(user).objects.get(pk=user.pk).first_name == "ab"


@pytest.mark.usefixtures("live_db")
def test_eight_learners_submitting_at_once_are_all_graded(make_user: Any) -> None:
    """As many at once as `make run`'s web threads, each graded inline in the sandbox."""
    users = [make_user() for _ in range(8)]
    answers = at_once(
        [lambda user=user: submit(api(user), SOLUTION) for user in users], timeout=120
    )
    assert [answer.status_code for answer in answers] == [202] * len(users)
    statuses = dict(Submission.objects.values_list("user_id", "status"))
    assert statuses == {user.pk: SubmissionStatus.PASSED for user in users}
