"""Nothing a learner submits is lost when a worker, Redis or PostgreSQL fails.

Each test runs the deployment's real path, from outside: gunicorn serving dlmath.wsgi and
`celery -A dlmath worker` (prefork), over a redis-server the test starts on a free port and
crashes itself (never the machine's Redis), on the test database (PostgreSQL) or, for the
database restart, on a throwaway PostgreSQL cluster of the test's own. Deadlines are derived
from the configured timeouts and grading times measured in the same test, and generous:
these machines are shared.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connection

from tests.servers import (
    ROOT,
    PostgresCluster,
    RedisServer,
    celery_worker,
    gunicorn,
    kill_group,
    logged_in_session,
    service_env,
    token_session,
    wait_until,
)

SOLUTION = (ROOT / "apps/curriculum/content/probability/exercises/softmax/solution.py").read_text()
# Slow enough that a worker holds several at once (softmax's checks call it five times).
SLOW_SOLUTION = SOLUTION.replace(
    '    """Probabilities over the last axis of z (same shape as z)."""',
    '    """Probabilities over the last axis of z (same shape as z)."""\n'
    "    import time\n    time.sleep(0.2)",
)
SUBMIT = "/api/v1/exercises/softmax/submissions/"
PENDING = ("queued", "running")
VISIBILITY_TIMEOUT = 8
RESTORE_INTERVAL = 1
PASSWORD = "pw-for-tests-1"

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="runs in `make test-services` (DATABASE_URL on PostgreSQL), not `make test`",
    ),
    pytest.mark.skipif(not RedisServer.binary, reason="redis-server is not installed"),
]


def _test_database_url() -> str:
    database = connection.settings_dict
    if not database["ENGINE"].endswith("postgresql"):
        pytest.skip("needs PostgreSQL (DATABASE_URL): workers share the test database")
    host = database["HOST"] or "127.0.0.1"
    return f"postgres://{database['USER']}@{host}:{database['PORT'] or 5432}/{database['NAME']}"


class Stack:
    """A Redis of its own, and the web and worker processes the test starts on it."""

    def __init__(self, database_url: str, logs: Path, **env: str) -> None:
        self.redis = RedisServer().start()
        self.logs = logs
        self.env = service_env(
            database_url=database_url,
            redis_url=self.redis.url(),
            CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
            CELERY_UNACKED_RESTORE_INTERVAL=str(RESTORE_INTERVAL),
            DLMATH_REQUEUE_INTERVAL="2",
            # Long, so that what recovers a killed worker's tasks here is the broker's
            # redelivery; the sweep is the belt to those braces.
            DLMATH_REQUEUE_AFTER="120",
            DLMATH_SUBMISSION_RATE="1000/min",
            **env,
        )
        self.processes: list[Any] = []
        self.url = ""

    def web(self) -> str:
        process, self.url = gunicorn(self.env, self.logs / "gunicorn.log")
        self.processes.append(process)
        return self.url

    def worker(self, *extra: str) -> Any:
        process = celery_worker(self.env, self.logs / "celery.log", "--concurrency", "2", *extra)
        self.processes.append(process)
        return process

    def health(self) -> dict[str, Any]:
        return requests.get(f"{self.url}/healthz", timeout=10).json()

    def wait_for_a_worker(self) -> float:
        """Seconds until a worker checks in (its requeue sweep's heartbeat)."""
        started = time.monotonic()
        wait_until(lambda: self.health()["grading"].get("workers"), 120, "a worker checking in")
        return time.monotonic() - started

    def close(self) -> None:
        for process in self.processes:
            kill_group(process)
        if self.redis.process is not None:
            self.redis.thaw()
            self.redis.crash()


@pytest.fixture
def stack(live_db: None, tmp_path: Path) -> Iterator[Stack]:
    running = Stack(_test_database_url(), tmp_path)
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def learner(make_user: Any) -> tuple[Any, str]:
    from rest_framework.authtoken.models import Token

    user = make_user("alice", password=PASSWORD)
    return user, Token.objects.create(user=user).key


def statuses(ids: list[int]) -> Counter[str]:
    from apps.sandbox.models import Submission

    return Counter(Submission.objects.filter(pk__in=ids).values_list("status", flat=True))


def all_finished(ids: list[int]) -> bool:
    counts = statuses(ids)
    return sum(counts.values()) == len(ids) and not any(counts[s] for s in PENDING)


def submit(api: requests.Session, url: str, code: str = SOLUTION) -> requests.Response:
    return api.post(f"{url}{SUBMIT}", json={"code": code}, timeout=30)


def assert_counted_once(user: Any, ids: list[int]) -> None:
    """Each graded submission is one attempt, one activity, one marker, one graded-attempt
    learning event: none twice."""
    from apps.progress.models import (
        ActivityDay,
        CountedSubmission,
        ExerciseProgress,
        LearningEvent,
        LearningEventKind,
    )

    progress = ExerciseProgress.objects.get(user=user, exercise__slug="softmax")
    assert progress.attempts == len(ids)
    assert sum(ActivityDay.objects.filter(user=user).values_list("submissions", flat=True)) == len(
        ids
    )
    assert CountedSubmission.objects.filter(submission_id__in=ids).count() == len(ids)
    graded = LearningEvent.objects.filter(
        kind=LearningEventKind.ATTEMPT_GRADED, submission_id__in=ids
    ).values_list("submission_id", flat=True)
    assert sorted(graded) == sorted(ids)


def test_a_worker_killed_with_submissions_reserved_and_running_loses_none(
    stack: Stack, learner: tuple[Any, str]
) -> None:
    user, token = learner
    url = stack.web()
    api = token_session(token)
    # The first worker reserves up to 8 (2 slots x prefetch 4), like a busy deployment.
    first = stack.worker("--prefetch-multiplier", "4")
    boot = stack.wait_for_a_worker()

    started = time.monotonic()
    warmup = submit(api, url, SLOW_SOLUTION).json()["id"]
    wait_until(lambda: all_finished([warmup]), 120, "the warm-up submission graded")
    one_grading = time.monotonic() - started

    ids = [submit(api, url, SLOW_SOLUTION).json()["id"] for _ in range(12)]
    unacked = stack.redis.client().hlen

    def holding_several() -> bool:
        return statuses(ids)["running"] >= 2 and unacked("unacked") >= 4

    wait_until(holding_several, 120, "the worker holding several submissions")
    in_flight = unacked("unacked")
    at_kill = statuses(ids)
    kill_group(first)  # SIGKILL, the worker and its children: nothing gets to acknowledge
    killed = time.monotonic()
    assert set(statuses(ids)) <= {"queued", "running", "passed"}

    stack.worker()
    deadline = 2 * boot + VISIBILITY_TIMEOUT + RESTORE_INTERVAL + len(ids) * one_grading + 30
    wait_until(lambda: all_finished(ids), deadline, "every submission graded after the kill")
    recovered = time.monotonic() - killed

    from apps.sandbox.models import Submission

    rows = list(Submission.objects.filter(pk__in=ids))
    print(
        f"\nworker killed with {in_flight} unacknowledged ({dict(at_kill)}); all {len(ids)} "
        f"graded {recovered:.1f} s after the kill (visibility timeout {VISIBILITY_TIMEOUT} s, "
        f"one grading {one_grading:.1f} s, worker boot {boot:.1f} s, bound {deadline:.0f} s); "
        f"runs {dict(Counter(row.runs for row in rows))}"
    )
    assert {row.status for row in rows} == {"passed"}, "no 'interrupted', no error: all graded"
    assert all(row.score == 1.0 for row in rows)
    assert_counted_once(user, [warmup, *ids])


def test_redis_down_keeps_pages_and_reads_up_refuses_submissions_and_recovers(
    stack: Stack, learner: tuple[Any, str]
) -> None:
    from apps.sandbox.models import Submission

    user, token = learner
    stack.env["DLMATH_SUBMISSION_RATE"] = "3/min"  # to see the local limit take over
    url = stack.web()
    stack.worker()
    stack.wait_for_a_worker()
    api = token_session(token)
    pages = logged_in_session(url, "alice", PASSWORD)
    before = submit(api, url).json()["id"]
    wait_until(lambda: all_finished([before]), 120, "a submission graded before the outage")

    stack.redis.crash()
    for path in ("/learn/", "/learn/probability/", "/progress/", "/exercises/softmax/"):
        response = pages.get(f"{url}{path}", timeout=30)
        assert response.status_code == 200, path
        assert "alice" in response.text, f"{path}: still logged in (session from the database)"
    for path in ("/api/v1/modules/", "/api/v1/progress/me/", f"/api/v1/submissions/{before}/"):
        assert api.get(f"{url}{path}", timeout=30).status_code == 200, path

    stored = Submission.objects.count()
    refused = [submit(api, url) for _ in range(3)]
    assert [r.status_code for r in refused] == [503, 503, 503]
    assert all(r.headers["Content-Type"] == "application/json" for r in refused)
    assert "Grading is temporarily unavailable" in refused[0].json()["detail"]
    assert Submission.objects.count() == stored, "nothing half-stored"
    assert submit(api, url).status_code == 429, "the rate limit held, counted in this process"

    health = requests.get(f"{url}/healthz", timeout=30)
    assert health.status_code == 200
    body = health.json()
    assert body["status"] == "degraded"
    assert (body["database"]["ok"], body["broker"]["ok"], body["cache"]["ok"]) == (
        True,
        False,
        False,
    )

    stack.redis.start()  # the same port, empty: no web or worker restart
    wait_until(lambda: stack.health()["status"] == "ok", 120, "/healthz ok again")
    after = wait_until(
        lambda: (r := submit(api, url)).status_code == 202 and r.json()["id"],
        60,
        "a submission accepted again",
    )
    wait_until(lambda: all_finished([after]), 120, "a submission graded after the outage")
    assert pages.get(f"{url}/learn/", timeout=30).status_code == 200
    assert statuses([before, after]) == Counter(passed=2)
    assert_counted_once(user, [before, after])


def test_submissions_waiting_when_redis_restarts_are_graded_once_a_worker_is_back(
    stack: Stack, learner: tuple[Any, str]
) -> None:
    user, token = learner
    url = stack.web()
    stack.worker()
    stack.wait_for_a_worker()
    for process in stack.processes[1:]:
        kill_group(process)  # no worker: submissions wait in Redis
    api = token_session(token)
    ids = [submit(api, url).json()["id"] for _ in range(5)]
    assert statuses(ids) == Counter(queued=5)
    stack.redis.crash()  # and the queue is gone with it
    stack.redis.start()
    assert stack.redis.client().llen("celery") == 0

    stack.worker()
    # The worker's first sweep finds the broker's marker gone and sends every one again.
    wait_until(lambda: all_finished(ids), 120, "the lost submissions graded")
    assert statuses(ids) == Counter(passed=5)
    assert_counted_once(user, ids)


def test_a_run_whose_worker_was_killed_is_run_again_and_a_stale_one_marked_lost(
    stack: Stack, learner: tuple[Any, str]
) -> None:
    """Try-it runs stranded by a dead worker: the workers' sweep, not the broker, sends a
    young one again and tells the learner about one too old to be waited for."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.sandbox.models import Run
    from apps.sandbox.runs import RUN_GIVE_UP_AFTER, RUN_LOST_MESSAGE

    user, token = learner
    # The broker would redeliver only after 10 minutes: what recovers the run is the sweep.
    stack.env.update(
        CELERY_VISIBILITY_TIMEOUT="600", DLMATH_REQUEUE_AFTER="6", DLMATH_REQUEUE_INTERVAL="1"
    )
    url = stack.web()
    first = stack.worker()
    stack.wait_for_a_worker()
    api = token_session(token)
    code = "import time\ntime.sleep(3)\nprint('still here')\n"
    response = api.post(f"{url}/api/v1/runs/", json={"code": code}, timeout=30)
    assert response.status_code == 202, response.text[:300]
    run_id = response.json()["id"]
    wait_until(lambda: Run.objects.get(pk=run_id).status == "running", 60, "the run started")
    kill_group(first)
    # A run from before the outage that nobody can still be waiting for.
    stale = Run.objects.create(user=user, kind="try", code="print(1)", status="running")
    long_ago = timezone.now() - RUN_GIVE_UP_AFTER - timedelta(minutes=1)
    Run.objects.filter(pk=stale.pk).update(created_at=long_ago, started_at=long_ago)

    stack.worker()
    wait_until(lambda: Run.objects.get(pk=run_id).status not in PENDING, 120, "the run run again")
    polled = api.get(f"{url}/api/v1/runs/{run_id}/", timeout=30).json()
    assert (polled["status"], polled["stdout"]) == ("ok", "still here\n")
    wait_until(lambda: Run.objects.get(pk=stale.pk).status == "error", 60, "the stale run lost")
    stale.refresh_from_db()
    assert (stale.error["type"], stale.error["message"]) == ("RunLost", RUN_LOST_MESSAGE)
    assert stale.stdout == ""


def _stack_on_a_new_database(cluster: PostgresCluster, logs: Path) -> tuple[Stack, str]:
    """A stack on a migrated, synced database of the cluster's own, and a learner's token."""
    import subprocess
    import sys

    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute("CREATE DATABASE dlmath")
    stack = Stack(cluster.url("dlmath"), logs)
    for command in (["migrate", "--noinput"], ["sync_curriculum"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=stack.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    setup = (
        "from django.contrib.auth.models import User; "
        "from rest_framework.authtoken.models import Token; "
        f"u = User.objects.create_user('alice', password='{PASSWORD}'); "
        "print(Token.objects.create(user=u).key)"
    )
    token = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", setup],
        cwd=ROOT,
        env=stack.env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    return stack, token


class Traffic:
    """Three clients in a loop until stopped: a page, a read API, a submission.

    ``seen`` holds (kind, status, content type, body) per response, status 0 for a request
    that got no response at all; ``accepted`` the ids of submissions answered 202.
    """

    KINDS = ("page", "read", "submit")

    def __init__(self, url: str, pages: requests.Session, api: requests.Session) -> None:
        self.url = url
        self.pages = pages
        self.api = api
        self.seen: list[tuple[str, int, str, str]] = []
        self.accepted: list[int] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._loop, args=(k,)) for k in self.KINDS]

    def _request(self, kind: str) -> requests.Response:
        if kind == "page":
            return self.pages.get(f"{self.url}/learn/", timeout=30)
        if kind == "read":
            return self.api.get(f"{self.url}/api/v1/progress/me/", timeout=30)
        response = submit(self.api, self.url)
        if response.status_code == 202:
            self.accepted.append(response.json()["id"])
        return response

    def _loop(self, kind: str) -> None:
        while not self._stop.is_set():
            try:
                r = self._request(kind)
            except requests.RequestException as exc:
                self.seen.append((kind, 0, "", type(exc).__name__))
                continue
            self.seen.append((kind, r.status_code, r.headers.get("Content-Type", ""), r.text))
            time.sleep(0.05)

    def __enter__(self) -> Traffic:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)


def assert_outage_answered_cleanly(seen: list[tuple[str, int, str, str]]) -> None:
    """200/202 or 503 only; a 503 is JSON under /api/ and the plain page elsewhere."""
    codes = Counter((kind, code) for kind, code, _, _ in seen)
    print(f"\nresponses around the PostgreSQL restart: {dict(codes)}")
    assert {code for _, code, _, _ in seen} <= {200, 202, 503}, "no 500, no dropped connection"
    for kind, code, content_type, text in seen:
        assert "Traceback" not in text
        if code == 503 and kind != "page":
            assert content_type == "application/json", text[:200]
        if code == 503 and kind == "page":
            assert "Briefly unavailable" in text


def test_a_postgresql_restart_under_load_fails_requests_cleanly_and_recovers(
    tmp_path: Path,
) -> None:
    if PostgresCluster.bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    import psycopg

    cluster = PostgresCluster().init()
    cluster.start()
    stack: Stack | None = None
    try:
        stack, token = _stack_on_a_new_database(cluster, tmp_path)
        url = stack.web()
        web_pid = stack.processes[0].pid
        stack.worker()
        stack.wait_for_a_worker()
        pages = logged_in_session(url, "alice", PASSWORD)

        with Traffic(url, pages, token_session(token)) as traffic:
            seen = traffic.seen
            time.sleep(2)
            cluster.stop()  # immediate shutdown: every connection is cut mid-flight
            wait_until(lambda: any(s[1] == 503 for s in seen), 60, "requests answered 503")
            time.sleep(2)
            cluster.start()
            restarted = len(seen)
            wait_until(
                lambda: all(s[1] in (200, 202) for s in seen[-9:]) and len(seen) > restarted + 9,
                120,
                "every kind of request succeeding again",
            )
        assert_outage_answered_cleanly(traffic.seen)
        assert stack.processes[0].pid == web_pid
        assert stack.processes[0].poll() is None, "the web process survived the outage"
        accepted = traffic.accepted

        def graded() -> bool:
            with psycopg.connect(cluster.url("dlmath")) as db:
                rows = db.execute(
                    "SELECT status FROM sandbox_submission WHERE id = ANY(%s)", (accepted,)
                ).fetchall()
            return len(rows) == len(accepted) and all(r[0] == "passed" for r in rows)

        wait_until(graded, 180, "every accepted submission graded after the restart")
        print(f"accepted {len(accepted)} submissions around the restart, all graded")
    finally:
        if stack is not None:
            stack.close()
        cluster.destroy()
