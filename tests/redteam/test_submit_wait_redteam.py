"""Red team: POST /api/v1/exercises/<slug>/submissions/?wait=N and the worker's one-transaction store.

Written from the interface only (the brief, the existing wait tests' fixtures). Waiting is
switched on per test by pointing settings.REDIS_URL at a spare Redis database (/12); the queue
is stood in for by monkeypatching ``services.submission_enqueue`` (``queue`` fixture), except
where the real inline (eager) grading is the point. Store refusals go through
``connection.execute_wrapper``; on PostgreSQL the "data" refusal is a real failing statement, so
the transaction is really aborted as the database would abort it. No defect was found: every
test passed on SQLite and PostgreSQL when it was written. A refusal the database reports as an
OperationalError leaves the submission pending for the task's retry (by design), which then
grades and counts it once.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import DataError, IntegrityError, OperationalError, connection
from django.utils import timezone
from rest_framework.test import APIClient

from apps.curriculum.models import Exercise
from apps.progress.models import (
    ActivityDay,
    CheckFailureCount,
    CountedSubmission,
    ExerciseProgress,
    LearningEvent,
    ModuleProgress,
)
from apps.sandbox import selectors, services, waits
from apps.sandbox.models import Submission, SubmissionStatus

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "apps/curriculum/content/probability/exercises/softmax/solution.py").read_text()
WRONG = "import numpy as np\ndef softmax(z):\n    return np.exp(z)\n"
SUBMIT = "/api/v1/exercises/softmax/submissions/"
ON_PG = connection.vendor == "postgresql"


def _redis_url() -> str | None:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/12"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.3).ping()
    except redis.RedisError:
        return None
    return url


REDIS_URL = _redis_url()
needs_redis = pytest.mark.skipif(REDIS_URL is None, reason="no Redis server to wait through")


# --- fixtures and helpers ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_clients() -> Iterator[None]:
    waits._client.cache_clear()
    waits._waiters.cache_clear()
    yield
    waits._client.cache_clear()
    waits._waiters.cache_clear()


@pytest.fixture
def with_redis(settings: Any) -> None:
    settings.REDIS_URL = REDIS_URL


def _raw() -> redis.Redis:
    assert REDIS_URL
    return redis.Redis.from_url(REDIS_URL, socket_timeout=5)


def _db_number() -> int:
    return _raw().connection_pool.connection_kwargs.get("db", 0)


class Queue:
    """Stands in for the queue: records each enqueued id and runs ``then(id)`` in the request."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.threads: list[threading.Thread] = []
        self.then: Callable[[int], None] | None = None

    def __call__(self, *, submission_id: int) -> None:
        self.ids.append(submission_id)
        if self.then is not None:
            self.then(submission_id)

    def later(self, after: float, fn: Callable[..., Any], *args: Any) -> None:
        def run() -> None:
            time.sleep(after)
            try:
                fn(*args)
            finally:
                connection.close()

        thread = threading.Thread(target=run, daemon=True)
        self.threads.append(thread)
        thread.start()

    def grades(self, *steps: tuple[float, str]) -> None:
        """Each enqueued submission goes through ``steps`` (delay, status), committed+announced."""

        def run(submission_id: int) -> None:
            for delay, status in steps:
                time.sleep(delay)
                change(submission_id, status)

        self.then = lambda submission_id: self.later(0, run, submission_id)


@pytest.fixture
def queue(monkeypatch: Any) -> Iterator[Queue]:
    stand_in = Queue()
    monkeypatch.setattr(services, "submission_enqueue", stand_in)
    yield stand_in
    for thread in list(stand_in.threads):
        thread.join(30)


def change(submission_id: int, status: str, announce: bool = True) -> None:
    finished = (
        None if status in (SubmissionStatus.QUEUED, SubmissionStatus.RUNNING) else timezone.now()
    )
    Submission.objects.filter(pk=submission_id).update(
        status=status, started_at=timezone.now(), finished_at=finished
    )
    if announce:
        waits.submission_changed(submission_id=submission_id, status=status)


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def post(client: APIClient, wait: object = None, code: object = WRONG) -> Any:
    query = "" if wait is None else f"?wait={wait}"
    # Encoded here (ASCII-escaped), so a lone surrogate reaches the server as JSON sends it.
    return client.post(
        f"{SUBMIT}{query}", data=json.dumps({"code": code}), content_type="application/json"
    )


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    result = fn()
    return result, time.monotonic() - started


def free_slots() -> int:
    """How many waiting places this process has free right now (taken and given back)."""
    slots = waits._waiters()
    taken = 0
    while taken < 64 and slots.acquire(blocking=False):
        taken += 1
    for _ in range(taken):
        slots.release()
    return taken


def subscribers(submission_id: int, settle: float = 2.0) -> int:
    """Subscribers to the submission's channel, polled a moment for a close to land."""
    name = waits.channel(submission_id)
    deadline = time.monotonic() + settle
    while True:
        count = dict(_raw().pubsub_numsub(name)).get(name.encode(), 0)
        if count == 0 or time.monotonic() > deadline:
            return count
        time.sleep(0.05)


def pubsub_clients() -> set[str]:
    """Ids of the Redis connections subscribed to anything on our database number."""
    db = _db_number()
    return {
        str(client["id"])
        for client in _raw().client_list()
        if int(client.get("db", -1)) == db
        and (int(client.get("sub", 0)) or int(client.get("psub", 0)))
    }


def no_new_pubsub_clients(before: set[str], settle: float = 2.0) -> set[str]:
    deadline = time.monotonic() + settle
    while True:
        extra = pubsub_clients() - before
        if not extra or time.monotonic() > deadline:
            return extra
        time.sleep(0.05)


def detail(client: APIClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.get(f"/api/v1/submissions/{body['id']}/")
    assert response.status_code == 200
    return response.json()


def attempts(user: Any) -> int:
    row = ExerciseProgress.objects.filter(user=user, exercise__slug="softmax").first()
    return 0 if row is None else row.attempts


def pending(user: Any, code: str = WRONG) -> Submission:
    return Submission.objects.create(
        user=user, exercise=Exercise.objects.get(slug="softmax"), code=code
    )


# --- 1. waiting places and subscriptions never leak --------------------------------------------


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf", "", "1,5", "0x10"])
def test_a_refused_wait_takes_no_place_stores_nothing_and_subscribes_nobody(
    alice, queue, settings, value
) -> None:
    settings.SUBMISSION_WAITERS = 1
    before = pubsub_clients()
    response = post(client_for(alice), value)
    if value == "":
        # An empty wait may be read as "no wait": then it answers at once, never a 5xx.
        assert response.status_code in (202, 400)
    else:
        assert response.status_code == 400, response.content
        assert not Submission.objects.filter(user=alice).exists()
        assert queue.ids == []
    assert free_slots() == 1
    assert no_new_pubsub_clients(before) == set()


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
@pytest.mark.parametrize("case", ["unknown-exercise", "anonymous", "no-code-field", "bad-json"])
def test_a_submit_refused_before_storing_takes_no_place_and_subscribes_nobody(
    alice, queue, settings, case
) -> None:
    settings.SUBMISSION_WAITERS = 1
    client = APIClient() if case == "anonymous" else client_for(alice)
    before = pubsub_clients()
    if case == "unknown-exercise":
        response = client.post(
            "/api/v1/exercises/no-such-thing/submissions/?wait=15",
            data=json.dumps({"code": WRONG}),
            content_type="application/json",
        )
        assert response.status_code == 404
    elif case == "anonymous":
        assert post(client, 15).status_code == 401
    elif case == "no-code-field":
        response = client.post(
            f"{SUBMIT}?wait=15", data=json.dumps({"kode": WRONG}), content_type="application/json"
        )
        assert response.status_code == 400
    else:
        response = client.post(
            f"{SUBMIT}?wait=15", data='{"code": "x', content_type="application/json"
        )
        assert response.status_code == 400
    assert not Submission.objects.exists()
    assert queue.ids == []
    assert free_slots() == 1
    assert no_new_pubsub_clients(before) == set()


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
@pytest.mark.parametrize(
    "code",
    ["", "   \n\t", "x = 1\x00", "\ud800", "# " + "x" * 70_000, "\x00" * 10],
    ids=["empty", "blank", "nul", "lone-surrogate", "oversized", "only-nuls"],
)
def test_rejected_code_is_answered_at_once_and_gives_back_its_place(
    alice, queue, settings, monkeypatch, code
) -> None:
    settings.SUBMISSION_WAITERS = 1
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 30.0)
    queue.grades((0.2, SubmissionStatus.RUNNING), (0.2, SubmissionStatus.FAILED))
    client = client_for(alice)
    before = pubsub_clients()
    response, elapsed = timed(lambda: post(client, 15, code))
    assert response.status_code in (202, 400), response.content
    assert elapsed < 5, "rejected code held its answer for an announcement that never comes"
    assert free_slots() == 1
    assert no_new_pubsub_clients(before) == set()
    if response.status_code == 400:
        assert not Submission.objects.filter(user=alice).exists()
        assert queue.ids == []
    else:
        body = response.json()
        if body["id"] not in queue.ids:  # stored without grading: it must say why
            assert body["status"] == "rejected"
        assert body == detail(client, body)


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_a_queue_down_again_and_again_leaks_no_place_no_subscription_no_row(
    alice, queue, settings, monkeypatch
) -> None:
    settings.SUBMISSION_WAITERS = 1
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 30.0)
    down = True

    def maybe_down(submission_id: int) -> None:
        if down:
            raise services.BrokerUnavailable("the grading queue is unreachable", submission_id)

    queue.then = maybe_down
    client = client_for(alice)
    before = pubsub_clients()
    for _ in range(4):
        response = post(client, 15)
        assert response.status_code == 503
    assert not Submission.objects.filter(user=alice).exists()
    assert free_slots() == 1
    assert no_new_pubsub_clients(before) == set()
    for submission_id in queue.ids:
        assert subscribers(submission_id) == 0
    # The queue is back: the one place still lets a submit wait for its verdict.
    down = False
    queue.then = None
    queue.grades((0.2, SubmissionStatus.RUNNING), (0.2, SubmissionStatus.PASSED))
    response, elapsed = timed(lambda: post(client, 15))
    assert response.status_code == 202
    assert response.json()["status"] == "passed"
    assert elapsed < 5


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_an_unexpected_enqueue_failure_gives_back_the_place_and_the_subscription(
    alice, queue, settings
) -> None:
    settings.SUBMISSION_WAITERS = 1

    def bug(submission_id: int) -> None:
        raise RuntimeError("a bug in the enqueue")

    queue.then = bug
    client = client_for(alice)
    client.raise_request_exception = False
    before = pubsub_clients()
    for _ in range(3):
        response = post(client, 15)
        assert response.status_code != 202 or response.json()["status"] == "queued"
    assert free_slots() == 1
    assert no_new_pubsub_clients(before) == set()


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
@pytest.mark.parametrize("fault", ["subscribe-raises", "confirm-raises", "never-confirmed"])
def test_a_subscription_that_fails_inside_redis_answers_at_once_and_frees_the_place(
    alice, queue, settings, monkeypatch, fault
) -> None:
    settings.SUBMISSION_WAITERS = 1
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 30.0)
    from redis.client import PubSub

    if fault == "subscribe-raises":

        def subscribe(self: PubSub, *args: Any, **kwargs: Any) -> None:
            raise redis.ConnectionError("Redis went away while subscribing")

        monkeypatch.setattr(PubSub, "subscribe", subscribe)
    elif fault == "confirm-raises":

        def get_message(self: PubSub, *args: Any, **kwargs: Any) -> None:
            raise redis.ConnectionError("Redis went away before confirming")

        monkeypatch.setattr(PubSub, "get_message", get_message)
    else:
        monkeypatch.setattr(PubSub, "get_message", lambda *args, **kwargs: None)
    client = client_for(alice)
    response, elapsed = timed(lambda: post(client, 15))
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"
    assert queue.ids == [body["id"]], "a failed subscription still queues the grading"
    assert elapsed < 5
    assert free_slots() == 1
    monkeypatch.undo()  # real PubSub again, to count subscribers
    assert subscribers(body["id"]) == 0


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_an_exception_while_waiting_gives_back_the_place_and_the_subscription(
    alice, queue, settings, monkeypatch
) -> None:
    settings.SUBMISSION_WAITERS = 1

    def broken(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug while waiting")

    monkeypatch.setattr(waits.Subscription, "wait_while", broken)
    client = client_for(alice)
    client.raise_request_exception = False
    before = pubsub_clients()
    response = post(client, 15)
    assert len(queue.ids) == 1, "the grading was queued before the wait"
    assert free_slots() == 1
    assert no_new_pubsub_clients(before) == set()
    assert subscribers(queue.ids[0]) == 0
    assert Submission.objects.filter(pk=queue.ids[0]).exists()
    assert response.status_code in (202, 500)


@needs_redis
@pytest.mark.usefixtures("live_db")
def test_an_unreachable_redis_answers_at_once_and_still_queues(alice, queue, settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.SUBMISSION_WAITERS = 1
    client = client_for(alice)
    for _ in range(3):
        response, elapsed = timed(lambda: post(client, 15))
        assert response.status_code == 202
        body = response.json()
        assert body["status"] == "queued"
        assert body["id"] == queue.ids[-1]
        assert elapsed < 3
        assert body == detail(client, body)
    assert free_slots() == 1


@pytest.fixture
def silent_redis() -> Iterator[str]:
    """A TCP server that accepts connections and never says a word (a hung Redis)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def _bounded(fn: Callable[[], Any], seconds: float) -> tuple[bool, Any]:
    box: list[Any] = []

    def run() -> None:
        try:
            box.append(fn())
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    return (not thread.is_alive()), (box[0] if box else None)


@pytest.mark.usefixtures("live_db")
def test_a_redis_that_never_answers_does_not_hang_the_submit(
    alice, queue, settings, silent_redis
) -> None:
    settings.REDIS_URL = silent_redis
    settings.SUBMISSION_WAITERS = 1
    client = client_for(alice)
    done, response = _bounded(lambda: post(client, 15), 10)
    assert done, "the submit hung on a Redis that accepts and never answers"
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert queue.ids == [response.json()["id"]]
    assert free_slots() == 1


def test_announcing_to_a_redis_that_never_answers_does_not_hang_the_worker(
    settings, silent_redis
) -> None:
    settings.REDIS_URL = silent_redis
    done, _ = _bounded(lambda: waits.submission_changed(submission_id=1, status="passed"), 10)
    assert done, "the worker's announcement hung on a silent Redis"


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_redis_dropping_the_subscription_mid_wait_still_answers(
    alice, queue, settings, monkeypatch
) -> None:
    settings.SUBMISSION_WAITERS = 1
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 0.3)
    before = pubsub_clients()

    def kill_then_grade(submission_id: int) -> None:
        def kill() -> None:
            for client_id in pubsub_clients() - before:
                _raw().client_kill_filter(_id=client_id)

        queue.later(0.3, kill)
        queue.later(0.8, change, submission_id, SubmissionStatus.PASSED)

    queue.then = kill_then_grade
    client = client_for(alice)
    client.raise_request_exception = False
    response, elapsed = timed(lambda: post(client, 6))
    assert response.status_code == 202, "a stored, queued submission answered as a failure"
    body = response.json()
    assert body["status"] in ("queued", "passed")
    assert elapsed < 9
    assert free_slots() == 1
    assert no_new_pubsub_clients(before) == set()


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_a_wait_nobody_ends_gives_its_place_back_at_the_cap(
    alice, bob, queue, settings, monkeypatch
) -> None:
    """A client that gave up (timed out) is not seen by the server: its wait must still end at
    the server's cap and give its place back, while others are answered at once meanwhile."""
    settings.SUBMISSION_WAITERS = 1
    settings.SUBMISSION_WAIT_MAX_SECONDS = 1
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 30.0)
    results: dict[str, Any] = {}

    def abandoned() -> None:
        results["first"] = timed(lambda: post(client_for(alice), 3600))
        connection.close()

    holder = threading.Thread(target=abandoned, daemon=True)
    holder.start()
    time.sleep(0.4)
    response, elapsed = timed(lambda: post(client_for(bob), 15))
    assert response.json()["status"] == "queued"
    assert elapsed < 0.8, "past the process's waiters a submit answers at once"
    holder.join(10)
    first, first_elapsed = results["first"]
    assert first.status_code == 202
    assert first.json()["status"] == "queued"
    assert 0.9 < first_elapsed < 5
    assert subscribers(first.json()["id"]) == 0
    # The late announcement finds nobody listening, and the place is free again.
    assert _raw().publish(waits.channel(first.json()["id"]), "passed") == 0
    assert free_slots() == 1
    queue.grades((0.2, SubmissionStatus.RUNNING), (0.2, SubmissionStatus.PASSED))
    settings.SUBMISSION_WAIT_MAX_SECONDS = 10
    assert post(client_for(alice), 10).json()["status"] == "passed"


# --- 2. announcements: before, after, never, foreign, malformed --------------------------------


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_real_inline_grading_is_heard_and_answers_as_the_detail(
    alice, settings, monkeypatch
) -> None:
    """The real enqueue (eager here): the verdict is stored and announced inside the enqueue."""
    settings.SUBMISSION_WAITERS = 1
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 30.0)
    client = client_for(alice)
    response, elapsed = timed(lambda: post(client, 15))
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "failed"
    assert elapsed < 12
    assert body == detail(client, body)
    assert attempts(alice) == 1
    assert subscribers(body["id"]) == 0
    assert free_slots() == 1


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_an_announcement_ahead_of_its_commit_does_not_end_the_wait_early(
    alice, queue, settings, monkeypatch
) -> None:
    settings.SUBMISSION_WAITERS = 1
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 0.3)

    def early(submission_id: int) -> None:
        queue.later(0.1, waits.submission_changed, submission_id=submission_id, status="passed")
        queue.later(0.8, change, submission_id, SubmissionStatus.PASSED, False)

    def later_kw(after: float, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        Queue.later(queue, after, lambda: fn(*args, **kwargs))

    queue.later = later_kw  # type: ignore[method-assign]
    queue.then = early
    client = client_for(alice)
    response, elapsed = timed(lambda: post(client, 15))
    body = response.json()
    assert body["status"] == "passed", "answered 'queued' on an announcement the row denied"
    assert 0.7 < elapsed < 5
    assert body == detail(client, body)


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_a_verdict_never_announced_is_found_by_the_recheck(
    alice, queue, settings, monkeypatch
) -> None:
    settings.SUBMISSION_WAITERS = 1
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 0.3)
    queue.then = lambda submission_id: queue.later(
        0.4, change, submission_id, SubmissionStatus.FAILED, False
    )
    client = client_for(alice)
    response, elapsed = timed(lambda: post(client, 15))
    body = response.json()
    assert body["status"] == "failed"
    assert elapsed < 5
    assert body == detail(client, body)


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_only_running_announced_then_silence_ends_at_the_cap_as_running(
    alice, queue, settings, monkeypatch
) -> None:
    settings.SUBMISSION_WAITERS = 1
    settings.SUBMISSION_WAIT_MAX_SECONDS = 1
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 30.0)
    queue.then = lambda submission_id: queue.later(
        0.2, change, submission_id, SubmissionStatus.RUNNING
    )
    client = client_for(alice)
    response, elapsed = timed(lambda: post(client, 15))
    body = response.json()
    assert 0.9 < elapsed < 5
    # Whatever it answers, it is the row as it stands: the detail agrees.
    assert body == detail(client, body)
    assert body["status"] in ("queued", "running")


GARBAGE: list[bytes | str] = [
    b"",
    b"\x00\xff\xfe\x80",
    "PASSED",
    "passed\n",
    " error ",
    "queued",
    '{"status": "passed", "id": 1}',
    "x" * 200_000,
    "\ud7ff\u202e",
    "running",
    "123",
]


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_malformed_announcements_on_its_channel_neither_crash_nor_end_the_wait(
    alice, queue, settings, monkeypatch
) -> None:
    settings.SUBMISSION_WAITERS = 1
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 30.0)

    def noise_then_verdict(submission_id: int) -> None:
        def noise() -> None:
            raw = _raw()
            for message in GARBAGE:
                raw.publish(waits.channel(submission_id), message)

        queue.later(0.1, noise)
        queue.later(0.9, change, submission_id, SubmissionStatus.PASSED)

    queue.then = noise_then_verdict
    client = client_for(alice)
    client.raise_request_exception = False
    response, elapsed = timed(lambda: post(client, 15))
    assert response.status_code == 202, response.content[:300]
    body = response.json()
    assert body["status"] == "passed"
    assert 0.8 < elapsed < 5
    assert body == detail(client, body)
    assert free_slots() == 1
    assert subscribers(body["id"]) == 0


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_announcements_on_neighbouring_channels_wake_nothing(
    alice, bob, queue, settings, monkeypatch
) -> None:
    """Channels whose names extend, prefix or neighbour this one (ids 1 → 10, 11, 0 ...) and a
    glob-looking name: none of them is this submission's, none costs a read or ends the wait."""
    settings.SUBMISSION_WAITERS = 1
    settings.SUBMISSION_WAIT_MAX_SECONDS = 1
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 30.0)
    reads: list[int] = []
    reread = selectors.submission_reread
    monkeypatch.setattr(
        selectors,
        "submission_reread",
        lambda *, submission: reads.append(submission.pk) or reread(submission=submission),
    )

    def neighbours(submission_id: int) -> None:
        def noise() -> None:
            raw = _raw()
            names = {
                waits.channel(submission_id * 10),
                waits.channel(submission_id * 10 + 1),
                waits.channel(submission_id + 1),
                waits.channel(max(submission_id // 10, 0)),
                waits.channel(submission_id) + "0",
                waits.channel(submission_id) + "*",
                waits.channel(submission_id) + ":x",
            } - {waits.channel(submission_id)}
            for name in names:
                raw.publish(name, "passed")

        queue.later(0.1, noise)

    queue.then = neighbours
    client = client_for(alice)
    response, elapsed = timed(lambda: post(client, 15))
    body = response.json()
    assert body["status"] == "queued"
    assert elapsed > 0.9
    assert len(reads) <= 1, f"foreign announcements caused reads: {reads}"
    assert body == detail(client, body)


# --- 3. two learners at once -------------------------------------------------------------------


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_two_learners_submitting_at_once_each_get_their_own_verdict(
    alice, bob, queue, settings, monkeypatch
) -> None:
    settings.SUBMISSION_WAITERS = 2
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 30.0)
    verdict = {alice.pk: SubmissionStatus.PASSED, bob.pk: SubmissionStatus.FAILED}
    delay = {alice.pk: 0.9, bob.pk: 0.3}

    def grade(submission_id: int) -> None:
        owner = Submission.objects.get(pk=submission_id).user_id
        queue.later(0.1, change, submission_id, SubmissionStatus.RUNNING)
        queue.later(delay[owner], change, submission_id, verdict[owner])

    queue.then = grade
    start = threading.Barrier(2)
    answers: dict[str, Any] = {}

    def learner(user: Any) -> None:
        client = client_for(user)
        start.wait()
        answers[user.username] = post(client, 15)
        connection.close()

    threads = [threading.Thread(target=learner, args=(user,)) for user in (alice, bob)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    a, b = answers["alice"].json(), answers["bob"].json()
    assert a["id"] != b["id"]
    assert Submission.objects.get(pk=a["id"]).user_id == alice.pk
    assert Submission.objects.get(pk=b["id"]).user_id == bob.pk
    assert (a["status"], b["status"]) == ("passed", "failed")
    assert a == detail(client_for(alice), a)
    assert b == detail(client_for(bob), b)
    assert client_for(bob).get(f"/api/v1/submissions/{a['id']}/").status_code == 404
    assert free_slots() == 2


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_three_at_once_with_one_place_one_waits_the_others_are_answered_at_once(
    make_user, queue, settings, monkeypatch
) -> None:
    settings.SUBMISSION_WAITERS = 1
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 30.0)
    queue.grades((0.3, SubmissionStatus.RUNNING), (1.2, SubmissionStatus.PASSED))
    users = [make_user() for _ in range(3)]
    start = threading.Barrier(3)
    answers: dict[int, Any] = {}

    def learner(user: Any) -> None:
        client = client_for(user)
        start.wait()
        answers[user.pk] = timed(lambda: post(client, 15))
        connection.close()

    threads = [threading.Thread(target=learner, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert len(answers) == 3
    held = [(r, t) for r, t in answers.values() if r.json()["status"] == "passed"]
    at_once = [(r, t) for r, t in answers.values() if r.json()["status"] != "passed"]
    seen = [(r.json()["status"], round(t, 2)) for r, t in answers.values()]
    assert len(held) == 1, seen
    for response, _elapsed in at_once:  # answered before the verdict, not held for it
        assert response.json()["status"] in ("queued", "running"), seen
    for user in users:
        response, _ = answers[user.pk]
        assert response.status_code == 202
        assert Submission.objects.get(pk=response.json()["id"]).user_id == user.pk
    assert free_slots() == 1


# --- 4. wait values ----------------------------------------------------------------------------


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
@pytest.mark.parametrize("value", ["0", "0.0", "-0"])
def test_a_zero_wait_answers_at_once(alice, queue, settings, value) -> None:
    settings.SUBMISSION_WAITERS = 1
    settings.SUBMISSION_WAIT_MAX_SECONDS = 5
    answered = threading.Event()

    def grade(submission_id: int) -> None:
        answered.wait(10)  # the verdict comes only once the request has been answered
        change(submission_id, SubmissionStatus.PASSED)

    queue.then = lambda submission_id: queue.later(0, grade, submission_id)
    client = client_for(alice)
    response, elapsed = timed(lambda: post(client, value))
    answered.set()
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    # Taken as any wait at all, the request would have been held for the whole of it (up
    # to the 5 s cap): nothing it could hear arrives before it answers.
    assert elapsed < 3
    assert free_slots() == 1


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
@pytest.mark.parametrize("value", ["60", "1e9", "1e300", "1e400", "9" * 400, "1" + "0" * 5000])
def test_a_huge_wait_is_capped_or_refused_never_an_error(alice, queue, settings, value) -> None:
    settings.SUBMISSION_WAITERS = 1
    settings.SUBMISSION_WAIT_MAX_SECONDS = 1
    client = client_for(alice)
    client.raise_request_exception = False
    response, elapsed = timed(lambda: post(client, value))
    assert response.status_code in (202, 400), response.content[:300]
    if response.status_code == 202:
        assert response.json()["status"] == "queued"
        assert 0.9 < elapsed < 5, "capped at the server's 1 s"
    else:
        assert "wait" in response.json()
        assert not Submission.objects.filter(user=alice).exists()
    assert free_slots() == 1


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_a_fractional_wait_waits_that_fraction(alice, queue, settings) -> None:
    settings.SUBMISSION_WAITERS = 1
    client = client_for(alice)
    response, elapsed = timed(lambda: post(client, "0.6"))
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert 0.5 < elapsed < 3
    assert free_slots() == 1


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_a_fractional_wait_long_enough_gets_the_verdict(alice, queue, settings) -> None:
    settings.SUBMISSION_WAITERS = 1
    queue.grades((0.1, SubmissionStatus.RUNNING), (0.2, SubmissionStatus.PASSED))
    client = client_for(alice)
    body = post(client, "2.5").json()
    assert body["status"] == "passed"
    assert body == detail(client, body)


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
def test_the_waited_answer_is_the_detail_even_for_a_full_grade(
    alice, settings, monkeypatch
) -> None:
    """A passing solution with real grading: checks, figures, diagnosis, timings all agree."""
    settings.SUBMISSION_WAITERS = 1
    client = client_for(alice)
    body = post(client, 15, SOLUTION).json()
    assert body["status"] == "passed"
    assert body == detail(client, body)


# --- 5. the worker's store: refused writes -----------------------------------------------------

TARGETS: dict[str, tuple[str, int]] = {
    # name: (statement prefix, which occurrence to refuse: 1 = the first)
    "grade-update": ('UPDATE "sandbox_submission" SET "status" = %s, "score"', 1),
    "progress-read": ('SELECT "progress_exerciseprogress"', 1),
    "progress-insert": ('INSERT INTO "progress_exerciseprogress"', 1),
    "progress-update": ('UPDATE "progress_exerciseprogress"', 1),
    "counted": ('INSERT INTO "progress_countedsubmission"', 1),
    "failure-counts": ('INSERT INTO "progress_checkfailurecount"', 1),
    "learning-event": ('INSERT INTO "progress_learningevent"', 1),
    "activity-update": ('UPDATE "progress_activityday"', 1),
    "activity-insert": ('INSERT INTO "progress_activityday"', 1),
}
PASS_TARGETS: dict[str, tuple[str, int]] = {
    "grade-update": TARGETS["grade-update"],
    "learning-event": TARGETS["learning-event"],
    "second-learning-event": ('INSERT INTO "progress_learningevent"', 2),
    "module-progress": ('"progress_moduleprogress"', 1),
    "progress-update": TARGETS["progress-update"],
}


class Refuse:
    """An execute wrapper refusing the n-th statement starting with (or containing) ``marker``."""

    def __init__(self, marker: str, nth: int, fault: str) -> None:
        self.marker, self.nth, self.fault = marker, nth, fault
        self.seen = 0
        self.refused: str | None = None

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        matches = (
            sql.startswith(self.marker)
            if not self.marker.startswith('"')
            else (self.marker in sql and not sql.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")))
        )
        if matches:
            self.seen += 1
            if self.seen == self.nth:
                self.refused = sql
                if self.fault == "data" and ON_PG:
                    # A real refusal: PostgreSQL fails the statement and aborts the transaction.
                    return execute("SELECT 1/0", None, False, context)
                raise {
                    "data": DataError("unsupported Unicode escape sequence"),
                    "integrity": IntegrityError("duplicate key value violates unique constraint"),
                    "operational": OperationalError("canceling statement due to lock timeout"),
                }[self.fault]
        return execute(sql, params, many, context)


@pytest.fixture
def heard(monkeypatch: Any) -> list[tuple[int, str]]:
    announced: list[tuple[int, str]] = []
    real = services.submission_changed

    def record(*, submission_id: int, status: str) -> None:
        announced.append((submission_id, status))
        real(submission_id=submission_id, status=status)

    monkeypatch.setattr(services, "submission_changed", record)
    return announced


def run_refusing(submission: Submission, refuse: Refuse) -> BaseException | None:
    with connection.execute_wrapper(refuse):
        try:
            services.submission_run(submission_id=submission.pk)
        except Exception as error:  # what the task does with it is the worker's business
            return error
    return None


def assert_saved_as_unsaveable_error(submission: Submission, user: Any) -> None:
    row = Submission.objects.get(pk=submission.pk)
    assert row.status == SubmissionStatus.ERROR, (row.status, row.checks)
    assert row.finished_at is not None
    assert any("could not be saved" in check["message"] for check in row.checks), row.checks
    assert attempts(user) == 0
    assert not CountedSubmission.objects.filter(submission_id=submission.pk).exists()
    assert not LearningEvent.objects.filter(submission_id=submission.pk).exists()
    assert not CheckFailureCount.objects.filter(user=user).exists()
    assert not ActivityDay.objects.filter(user=user, submissions__gt=0).exists()
    assert not ModuleProgress.objects.filter(user=user, points_earned__gt=0).exists()


def left_for_a_retry(submission: Submission, user: Any, raised: BaseException | None) -> bool:
    """An OperationalError may be taken for the database being unavailable rather than refusing
    the grade: then the run fails (for the task to be retried), the submission stays pending,
    nothing is counted, and the retry grades and counts it exactly once."""
    row = Submission.objects.get(pk=submission.pk)
    if not row.is_pending:
        return False
    assert isinstance(raised, OperationalError), "left pending without telling the task to retry"
    assert attempts(user) == 0
    assert not CountedSubmission.objects.filter(submission_id=submission.pk).exists()
    assert not LearningEvent.objects.filter(submission_id=submission.pk).exists()
    assert not ActivityDay.objects.filter(user=user, submissions__gt=0).exists()
    services.submission_run(submission_id=submission.pk, redelivered=True)
    retried = Submission.objects.get(pk=submission.pk)
    assert not retried.is_pending, "the retry did not grade the submission left pending"
    assert attempts(user) == 1
    assert CountedSubmission.objects.filter(submission_id=submission.pk).count() == 1
    return True


def assert_next_grading_counts(user: Any) -> None:
    """The connection is usable again: the learner's next submission is graded and counted."""
    following = pending(user)
    services.submission_run(submission_id=following.pk)
    assert Submission.objects.get(pk=following.pk).status == SubmissionStatus.FAILED
    assert attempts(user) == 1
    assert CountedSubmission.objects.filter(submission_id=following.pk).count() == 1


# Every statement refused as data the database cannot hold; the other kinds of refusal at the
# first and the last statements of the store (a whole matrix took 40 s of CI on PostgreSQL).
FAILED_GRADE_REFUSALS = [("data", target) for target in TARGETS] + [
    (fault, target)
    for fault in ("integrity", "operational")
    for target in ("grade-update", "activity-update")
]
PASSING_GRADE_REFUSALS = [("data", target) for target in PASS_TARGETS] + [
    ("operational", "grade-update"),
    ("operational", "module-progress"),
]


@pytest.mark.usefixtures("live_db")
@pytest.mark.parametrize(("fault", "target"), FAILED_GRADE_REFUSALS)
def test_a_refused_write_of_a_failed_grade_stores_an_error_and_counts_nothing(
    alice, heard, target, fault
) -> None:
    submission = pending(alice)
    refuse = Refuse(*TARGETS[target], fault)
    raised = run_refusing(submission, refuse)
    assert refuse.refused, f"the store never ran {TARGETS[target][0]}"
    if fault == "operational" and left_for_a_retry(submission, alice, raised):
        return
    assert_saved_as_unsaveable_error(submission, alice)
    assert (submission.pk, SubmissionStatus.ERROR) in heard
    assert (submission.pk, SubmissionStatus.FAILED) not in heard
    assert_next_grading_counts(alice)


@pytest.mark.usefixtures("live_db")
@pytest.mark.parametrize(("fault", "target"), PASSING_GRADE_REFUSALS)
def test_a_refused_write_of_a_passing_grade_stores_an_error_and_counts_nothing(
    alice, heard, target, fault
) -> None:
    submission = pending(alice, SOLUTION)
    refuse = Refuse(*PASS_TARGETS[target], fault)
    raised = run_refusing(submission, refuse)
    assert refuse.refused, f"the store never ran {PASS_TARGETS[target][0]}"
    if fault == "operational" and left_for_a_retry(submission, alice, raised):
        return
    assert_saved_as_unsaveable_error(submission, alice)
    assert (submission.pk, SubmissionStatus.PASSED) not in heard
    assert not ExerciseProgress.objects.filter(user=alice, first_passed_at__isnull=False).exists()


@pytest.mark.usefixtures("live_db")
def test_a_redelivery_after_an_unsaveable_grade_keeps_the_error(alice) -> None:
    submission = pending(alice)
    run_refusing(submission, Refuse(*TARGETS["learning-event"], "data"))
    before = Submission.objects.get(pk=submission.pk)
    services.submission_run(submission_id=submission.pk, redelivered=True)
    after = Submission.objects.get(pk=submission.pk)
    assert (after.status, after.checks, after.finished_at) == (
        before.status,
        before.checks,
        before.finished_at,
    )
    assert attempts(alice) == 0


@needs_redis
@pytest.mark.usefixtures("live_db", "with_redis")
@pytest.mark.parametrize("target", ["grade-update", "learning-event", "counted"])
def test_a_waiting_submit_whose_grade_cannot_be_saved_answers_the_error(
    alice, settings, monkeypatch, target
) -> None:
    """End to end: real inline grading inside the request, the store refused there."""
    settings.SUBMISSION_WAITERS = 1
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 30.0)
    client = client_for(alice)
    refuse = Refuse(*TARGETS[target], "data")
    with connection.execute_wrapper(refuse):
        response, elapsed = timed(lambda: post(client, 15))
    assert refuse.refused
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "error"
    assert "could not be saved" in body["checks"][0]["message"]
    assert elapsed < 12
    assert body == detail(client, body)
    assert attempts(alice) == 0
    assert free_slots() == 1


# --- 6. two stores racing for one submission ---------------------------------------------------


@pytest.fixture
def gated_grading(monkeypatch: Any) -> dict[str, Any]:
    """The first grading blocks until released; each grading marks its result's stdout."""
    state: dict[str, Any] = {
        "entered": threading.Event(),
        "release": threading.Event(),
        "calls": 0,
        "lock": threading.Lock(),
    }
    real = services.grade_code

    def grade(*args: Any, **kwargs: Any) -> Any:
        with state["lock"]:
            state["calls"] += 1
            call = state["calls"]
        result = real(*args, **kwargs)
        if call == 1:
            state["entered"].set()
            assert state["release"].wait(30)
        return dataclasses.replace(result, stdout=f"run {call}")

    monkeypatch.setattr(services, "grade_code", grade)
    return state


@pytest.mark.usefixtures("live_db")
def test_a_run_that_stores_after_another_stored_the_verdict_is_dropped(
    alice, gated_grading
) -> None:
    submission = pending(alice)
    errors: list[BaseException] = []

    def first_run() -> None:
        try:
            services.submission_run(submission_id=submission.pk)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=first_run, daemon=True)
    first.start()
    assert gated_grading["entered"].wait(30)
    # The first run hangs; long after, the requeue sends it again and a second run grades it.
    Submission.objects.filter(pk=submission.pk).update(
        started_at=timezone.now() - timedelta(days=1)
    )
    services.submission_run(submission_id=submission.pk, redelivered=True)
    assert gated_grading["calls"] == 2, "the redelivered run did not grade the stale claim"
    stored = Submission.objects.get(pk=submission.pk)
    assert stored.stdout == "run 2"
    gated_grading["release"].set()
    first.join(30)
    final = Submission.objects.get(pk=submission.pk)
    assert final.stdout == "run 2", "the later store overwrote the verdict already stored"
    assert (final.status, final.score, final.finished_at) == (
        stored.status,
        stored.score,
        stored.finished_at,
    )
    assert attempts(alice) == 1
    assert CountedSubmission.objects.filter(submission_id=submission.pk).count() == 1
    assert (
        LearningEvent.objects.filter(submission_id=submission.pk, kind="attempt_graded").count()
        == 1
    )


@pytest.mark.usefixtures("live_db")
def test_two_stores_released_together_count_the_attempt_once(alice, monkeypatch) -> None:
    submission = pending(alice)
    both_graded = threading.Barrier(2, timeout=30)
    calls: list[int] = []
    real = services.grade_code

    def grade(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        result = real(*args, **kwargs)
        both_graded.wait()  # both stores start at the same moment
        return dataclasses.replace(result, stdout=f"run {len(calls)}")

    monkeypatch.setattr(services, "grade_code", grade)
    outcomes: list[Any] = []

    def run(redelivered: bool) -> None:
        try:
            outcomes.append(
                services.submission_run(submission_id=submission.pk, redelivered=redelivered)
            )
        except Exception as error:
            outcomes.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=run, args=(False,), daemon=True)
    first.start()
    deadline = time.monotonic() + 30
    while not calls and time.monotonic() < deadline:
        time.sleep(0.01)
    Submission.objects.filter(pk=submission.pk).update(
        started_at=timezone.now() - timedelta(days=1)
    )
    second = threading.Thread(target=run, args=(True,), daemon=True)
    second.start()
    first.join(60)
    second.join(60)
    assert len(calls) == 2, "the second run never graded: no race took place"
    final = Submission.objects.get(pk=submission.pk)
    assert final.status == SubmissionStatus.FAILED, (final.status, final.checks[:1])
    assert final.stdout in ("run 1", "run 2")
    assert attempts(alice) == 1
    assert CountedSubmission.objects.filter(submission_id=submission.pk).count() == 1
    assert (
        LearningEvent.objects.filter(submission_id=submission.pk, kind="attempt_graded").count()
        == 1
    )
