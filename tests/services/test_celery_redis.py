"""Grading over the real broker: a Celery worker process, Redis, and (in CI) PostgreSQL.

These run when REDIS_URL is set (`make test-services` in CI sets it and DATABASE_URL) and
skip otherwise, saying so. The worker is a real `celery -A dlmath worker` subprocess using
the test database, so what it writes the test can read.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "apps/curriculum/content/probability/exercises/softmax/solution.py").read_text()
# Slow once, at import: the run is mid-grade for a few seconds, whatever the number of cases
# (a sleep per call outgrew the run's wall clock as softmax gained deterministic cases).
SLOW_SOLUTION = "import time\n\ntime.sleep(4)\n" + SOLUTION

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no Redis to talk to"
    ),
]


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    database = connection.settings_dict
    if database["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
            f"/{database['NAME']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
    # A redelivery after a dead worker should come within seconds in a test, not minutes.
    env["CELERY_VISIBILITY_TIMEOUT"] = "4"
    env["CELERY_UNACKED_RESTORE_INTERVAL"] = "1"
    return env


def _start_worker() -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dlmath",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=_worker_env(),
        start_new_session=True,
    )
    return process


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture
def worker(live_db: None) -> Iterator[subprocess.Popen[bytes]]:
    from dlmath.celery import app

    app.control.purge()
    process = _start_worker()
    yield process
    _stop(process)


def _wait_for(predicate, timeout: float = 40.0, interval: float = 0.2):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s")


def test_celery_round_trips_a_task_through_redis(worker: subprocess.Popen[bytes]) -> None:
    from dlmath.celery import ping

    assert ping.delay().get(timeout=30) == "pong"


def test_a_submission_is_graded_by_the_worker_over_redis(worker, make_user, api_client) -> None:
    from apps.sandbox.models import Submission

    alice = make_user("alice")
    api_client.force_authenticate(alice)
    response = api_client.post(
        "/api/v1/exercises/softmax/submissions/", {"code": SOLUTION}, format="json"
    )
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    submission_id = response.json()["id"]

    def finished() -> Any:
        body = api_client.get(f"/api/v1/submissions/{submission_id}/").json()
        return body if body["status"] not in ("queued", "running") else None

    body = _wait_for(finished)
    assert body["status"] == "passed"
    assert body["score"] == 1.0
    assert body["figures"], "the worker stored the figures"
    assert Submission.objects.get(pk=submission_id).runs == 1


def test_the_worker_keeps_its_database_session_from_one_grading_to_the_next(
    worker, make_user
) -> None:
    """Celery's Django fixup closed the worker's connection around every task, so each
    grading paid a new PostgreSQL session (~4 ms, then its cold caches). Now the worker keeps
    one, as the web does (CONN_MAX_AGE, health checks; CELERY_DB_REUSE_MAX)."""
    if connection.vendor != "postgresql":
        pytest.skip("counts PostgreSQL sessions (make test-services runs it on PostgreSQL)")
    from apps.curriculum.models import Exercise
    from apps.sandbox.models import Submission
    from apps.sandbox.services import submission_create

    alice = make_user("alice")
    exercise = Exercise.objects.get(slug="softmax")

    def graded(ids: list[int]) -> bool:
        return Submission.objects.filter(pk__in=ids, status="passed").count() == len(ids)

    def sessions() -> int:
        time.sleep(1.5)  # other backends report their statistics at most once a second
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
            )
            return int(cursor.fetchone()[0])

    first = submission_create(user=alice, exercise=exercise, code=SOLUTION)
    _wait_for(lambda: graded([first.pk]))  # the worker's session is open from here on
    before = sessions()
    ids = [submission_create(user=alice, exercise=exercise, code=SOLUTION).pk for _ in range(6)]
    _wait_for(lambda: graded(ids))
    # Six gradings opened twelve sessions before (one per task's start and end, at least
    # six); now none, or one should the kept session have been recycled meanwhile.
    assert sessions() - before <= 1


def test_a_worker_killed_mid_grade_leaves_the_submission_rerun_not_lost(worker, make_user) -> None:
    from apps.curriculum.models import Exercise
    from apps.sandbox.models import Submission
    from apps.sandbox.services import submission_create

    alice = make_user("alice")
    submission = submission_create(
        user=alice, exercise=Exercise.objects.get(slug="softmax"), code=SLOW_SOLUTION
    )
    _wait_for(lambda: Submission.objects.filter(pk=submission.pk, status="running").exists())
    _stop(worker)  # the machine dies: SIGKILL to the worker and everything it started
    assert Submission.objects.get(pk=submission.pk).status == "running"

    replacement = _start_worker()
    try:
        graded = _wait_for(
            lambda: Submission.objects.filter(pk=submission.pk, status="passed").first(), timeout=60
        )
    finally:
        _stop(replacement)
    assert graded.runs == 2, "the redelivered task graded it a second time"
    assert graded.score == 1.0


def test_a_run_without_grading_is_executed_by_the_worker_over_redis(
    worker, make_user, api_client
) -> None:
    # The run task lives outside tasks.py: the worker must have it registered (CELERY_IMPORTS).
    alice = make_user("alice")
    api_client.force_authenticate(alice)
    code = "import numpy as np\nfrom dlplot import line\nline(np.arange(3.0))\nprint('ran')\n"
    response = api_client.post("/api/v1/runs/", {"code": code}, format="json")
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    run_id = response.json()["id"]

    def finished() -> Any:
        body = api_client.get(f"/api/v1/runs/{run_id}/").json()
        return body if body["status"] not in ("queued", "running") else None

    body = _wait_for(finished)
    assert (body["status"], body["stdout"]) == ("ok", "ran\n")
    assert body["figures"][0]["data"][0]["y"] == [0.0, 1.0, 2.0]


def _fresh_pools(app: Any) -> None:
    """Drop the app's broker connections so the next send connects to ``broker_url`` anew.

    Closing the pool alone leaves it closed for good ("Acquire on closed pool" in every later
    test); unset, Celery builds a new pool and producer pool on first use.
    """
    from kombu import pools

    pools.reset()  # closes every pool and forgets them (kombu keys its pools by connection)
    app._pool = None
    app.amqp._producer_pool = None


def test_redis_down_when_a_learner_submits_gives_503_and_stores_nothing(
    live_db, make_user, api_client
) -> None:
    from apps.sandbox.models import Submission
    from dlmath.celery import app

    alice = make_user("alice")
    api_client.force_authenticate(alice)
    real_broker = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    _fresh_pools(app)
    try:
        response = api_client.post(
            "/api/v1/exercises/softmax/submissions/", {"code": SOLUTION}, format="json"
        )
    finally:
        app.conf.broker_url = real_broker
        _fresh_pools(app)
    assert response.status_code == 503
    assert "not submitted" in response.json()["detail"]
    assert Submission.objects.count() == 0


def test_a_regrade_runs_on_its_own_queue_through_a_default_worker(worker, make_user) -> None:
    """The worker started as everywhere (no -Q) takes regrade batches from their queue."""
    from django.utils import timezone

    from apps.curriculum.models import Exercise
    from apps.sandbox.models import Regrade, RegradeStatus, Submission
    from apps.sandbox.regrading import regrade_start

    alice = make_user("alice")
    softmax = Exercise.objects.get(slug="softmax")
    now = timezone.now()
    Submission.objects.create(
        user=alice,
        exercise=softmax,
        code=SOLUTION,
        status="failed",
        score=0.5,
        seed=1,
        check_version=softmax.check_version,
        started_at=now,
        finished_at=now,
    )
    Exercise.objects.filter(pk=softmax.pk).update(check_version=softmax.check_version + 1)
    regrade = regrade_start(exercise=Exercise.objects.get(pk=softmax.pk))
    _wait_for(lambda: Regrade.objects.get(pk=regrade.pk).status == RegradeStatus.READY)
    assert regrade.rows.get().new_status == "passed"
