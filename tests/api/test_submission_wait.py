"""GET /api/v1/submissions/<id>/?wait=N: held until the status changes, bounded, owner only.

The tests that wait need a Redis server (REDIS_URL, else a local one on the default port)
and skip without one; the rest run anywhere. Waiting is switched on per test by pointing
settings.REDIS_URL at it: the rest of the suite keeps its eager, Redis-free settings.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.utils import timezone

from apps.curriculum.models import Exercise
from apps.sandbox import services, waits
from apps.sandbox.models import Submission, SubmissionStatus

CODE = "import numpy as np\ndef softmax(z):\n    return np.exp(z)\n"


def _redis_url() -> str | None:
    import os

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/12"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.3).ping()
    except redis.RedisError:
        return None
    return url


REDIS_URL = _redis_url()
needs_redis = pytest.mark.skipif(REDIS_URL is None, reason="no Redis server to wait through")


def url(submission: Submission, wait: object = None) -> str:
    query = "" if wait is None else f"?wait={wait}"
    return f"/api/v1/submissions/{submission.pk}/{query}"


def pending(user: Any, status: str = SubmissionStatus.QUEUED) -> Submission:
    return Submission.objects.create(
        user=user, exercise=Exercise.objects.get(slug="softmax"), code=CODE, status=status
    )


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


@pytest.fixture
def heard(monkeypatch: Any) -> list[tuple[int, str]]:
    """What the worker announces, as (submission id, status), in order."""
    announced: list[tuple[int, str]] = []
    monkeypatch.setattr(
        services,
        "submission_changed",
        lambda *, submission_id, status: announced.append((submission_id, status)),
    )
    return announced


def submission_ids_passed_to(monkeypatch: Any, module: Any, name: str) -> list[int]:
    """Wraps ``module.name`` (called with keyword arguments) to record each submission_id."""
    seen: list[int] = []
    real = getattr(module, name)

    def recording(**kwargs: Any) -> Any:
        seen.append(kwargs["submission_id"])
        return real(**kwargs)

    monkeypatch.setattr(module, name, recording)
    return seen


def finish_later(submission_id: int, status: str, after: float, announce: bool = True) -> None:
    """From another thread (its own connection, committed): change the row, then announce."""

    def change() -> None:
        from django.db import connection

        time.sleep(after)
        Submission.objects.filter(pk=submission_id).update(status=status, started_at=timezone.now())
        if announce:
            waits.submission_changed(submission_id=submission_id, status=status)
        connection.close()

    threading.Thread(target=change, daemon=True).start()


# --- anywhere --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf"])
def test_a_wait_that_is_no_number_of_seconds_is_refused(api_client, alice, value) -> None:
    api_client.force_authenticate(alice)
    response = api_client.get(url(pending(alice), value))
    assert response.status_code == 400
    assert "wait" in response.json()


@pytest.mark.django_db
def test_without_redis_a_pending_submission_is_answered_at_once(api_client, alice) -> None:
    api_client.force_authenticate(alice)
    started = time.monotonic()
    response = api_client.get(url(pending(alice), 10))
    assert response.status_code == 200
    assert response.json()["status"] == "queued"
    assert time.monotonic() - started < 5


@pytest.mark.django_db
def test_a_learner_cannot_wait_on_anothers_submission(api_client, alice, bob, settings) -> None:
    settings.REDIS_URL = REDIS_URL or "redis://127.0.0.1:1/0"
    api_client.force_authenticate(bob)
    response = api_client.get(url(pending(alice), 10))
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_worker_announces_the_claim_and_the_verdict_after_each_commit(
    alice, heard, django_capture_on_commit_callbacks
) -> None:
    submission = pending(alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_run(submission_id=submission.pk)
    assert heard == [(submission.pk, "running"), (submission.pk, "failed")]


@pytest.mark.django_db
def test_an_ungradable_submission_is_announced_too(
    alice, heard, django_capture_on_commit_callbacks
) -> None:
    submission = pending(alice, SubmissionStatus.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_mark_ungradable(submission=submission, reason="no sandbox")
    assert heard == [(submission.pk, "error")]


def test_announcing_without_a_reachable_redis_does_not_raise(settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    waits.submission_changed(submission_id=1, status="passed")


# --- with Redis ------------------------------------------------------------------------------


@needs_redis
@pytest.mark.usefixtures("live_db")
def test_the_answer_comes_when_the_status_changes(
    api_client, alice, with_redis, monkeypatch
) -> None:
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 30.0)  # only the announcement can wake it
    submission = pending(alice)
    api_client.force_authenticate(alice)
    finish_later(submission.pk, SubmissionStatus.RUNNING, after=0.3)
    started = time.monotonic()
    response = api_client.get(url(submission, 15))
    elapsed = time.monotonic() - started
    assert response.json()["status"] == "running"
    assert 0.2 < elapsed < 5  # woken by the announcement, not by a recheck or the timeout


@needs_redis
@pytest.mark.usefixtures("live_db")
def test_a_change_nobody_announced_is_seen_by_the_recheck(
    api_client, alice, with_redis, monkeypatch
) -> None:
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 0.2)
    submission = pending(alice)
    api_client.force_authenticate(alice)
    finish_later(submission.pk, SubmissionStatus.PASSED, after=0.3, announce=False)
    response = api_client.get(url(submission, 15))
    assert response.json()["status"] == "passed"


@needs_redis
@pytest.mark.usefixtures("live_db")
def test_an_unchanged_submission_is_answered_when_the_wait_is_over(
    api_client, alice, with_redis, settings
) -> None:
    settings.SUBMISSION_WAIT_MAX_SECONDS = 1
    submission = pending(alice)
    api_client.force_authenticate(alice)
    started = time.monotonic()
    response = api_client.get(url(submission, 60))  # capped at the server's 1 s
    elapsed = time.monotonic() - started
    assert response.json()["status"] == "queued"
    assert 0.9 < elapsed < 8


@needs_redis
@pytest.mark.usefixtures("live_db")
def test_another_submissions_announcement_does_not_end_the_wait(
    api_client, alice, with_redis, settings
) -> None:
    settings.SUBMISSION_WAIT_MAX_SECONDS = 1
    mine, other = pending(alice), pending(alice)
    api_client.force_authenticate(alice)
    finish_later(other.pk, SubmissionStatus.PASSED, after=0.2)
    started = time.monotonic()
    response = api_client.get(url(mine, 1))
    assert response.json()["status"] == "queued"
    assert time.monotonic() - started > 0.9


@needs_redis
@pytest.mark.usefixtures("live_db")
def test_past_its_limit_of_waiters_a_process_answers_at_once(alice, with_redis, settings) -> None:
    settings.SUBMISSION_WAITERS = 1
    first, second = pending(alice), pending(alice)

    def read(submission: Submission) -> Any:
        return lambda: Submission.objects.get(pk=submission.pk)

    def still_queued(current: Submission) -> bool:
        return current.status == SubmissionStatus.QUEUED

    holder = threading.Thread(
        target=lambda: waits.wait_while(
            submission_id=first.pk, seconds=1.5, read=read(first), waiting=still_queued
        ),
        daemon=True,
    )
    holder.start()
    time.sleep(0.3)  # the first waiter holds the only slot
    started = time.monotonic()
    answer = waits.wait_while(
        submission_id=second.pk, seconds=5, read=read(second), waiting=still_queued
    )
    assert answer.status == SubmissionStatus.QUEUED
    assert time.monotonic() - started < 1
    holder.join()
    # The slot is free again: this one waits (and is answered by the change).
    finish_later(second.pk, SubmissionStatus.FAILED, after=0.3)
    answer = waits.wait_while(
        submission_id=second.pk, seconds=5, read=read(second), waiting=still_queued
    )
    assert answer.status == SubmissionStatus.FAILED


@needs_redis
@pytest.mark.usefixtures("live_db")
def test_waiting_on_a_submission_one_may_not_see_takes_no_waiting_place(
    api_client, alice, bob, with_redis, monkeypatch
) -> None:
    """Found by the red team: a wait on someone else's (or no) submission held one of the
    process's waiting places while it was answered 404, so a stranger's loop of such requests
    made the owner's waits come back at once. Visibility is now settled before any waiting."""
    waited = submission_ids_passed_to(monkeypatch, waits, "wait_while")
    submission = pending(alice)
    api_client.force_authenticate(bob)
    assert api_client.get(url(submission, 5)).status_code == 404
    assert api_client.get(f"/api/v1/submissions/{submission.pk + 1000}/?wait=5").status_code == 404
    assert waited == []
    api_client.force_authenticate(alice)
    finish_later(submission.pk, SubmissionStatus.RUNNING, after=0.2)
    reply = api_client.get(url(submission, 5))
    assert reply.status_code == 200
    assert reply.json()["status"] == "running"
    assert waited == [submission.pk]


# --- submitting and waiting in one request -------------------------------------------------

SUBMIT = "/api/v1/exercises/softmax/submissions/"


def submit(api_client: Any, wait: object = None) -> Any:
    query = "" if wait is None else f"?wait={wait}"
    return api_client.post(f"{SUBMIT}{query}", {"code": CODE}, format="json")


@pytest.fixture
def worker(monkeypatch: Any) -> Iterator[list[int]]:
    """Stands in for the queue and the worker: each enqueued submission is claimed 0.2 s
    later and graded 0.2 s after that, each change committed and announced as the worker
    does. Returns the ids enqueued."""
    enqueued: list[int] = []

    def grade(submission_id: int) -> None:
        from django.db import connection

        for status in (SubmissionStatus.RUNNING, SubmissionStatus.PASSED):
            time.sleep(0.2)
            Submission.objects.filter(pk=submission_id).update(status=status)
            waits.submission_changed(submission_id=submission_id, status=status)
        connection.close()

    threads: list[threading.Thread] = []

    def enqueue(*, submission_id: int) -> None:
        enqueued.append(submission_id)
        threads.append(threading.Thread(target=grade, args=(submission_id,), daemon=True))
        threads[-1].start()

    monkeypatch.setattr(services, "submission_enqueue", enqueue)
    yield enqueued
    for thread in threads:  # done before the test's database goes
        thread.join()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["soon", "-1", "nan"])
def test_a_submit_with_a_wait_that_is_no_number_is_refused_and_stores_nothing(
    api_client, alice, value
) -> None:
    api_client.force_authenticate(alice)
    response = submit(api_client, value)
    assert response.status_code == 400
    assert "wait" in response.json()
    assert not Submission.objects.filter(user=alice).exists()


@pytest.mark.usefixtures("live_db")
def test_a_submit_with_a_wait_graded_inline_answers_with_its_verdict(api_client, alice) -> None:
    """Without a broker (the embedded default) grading runs inside the request anyway."""
    api_client.force_authenticate(alice)
    response = submit(api_client, 10)
    assert response.status_code == 202
    assert response.json()["status"] == "failed"  # CODE forgets the max shift


@needs_redis
@pytest.mark.usefixtures("live_db")
def test_a_submit_with_a_wait_answers_with_the_verdict_not_the_claim(
    api_client, alice, with_redis, worker, monkeypatch
) -> None:
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 30.0)  # only the announcements can wake it
    api_client.force_authenticate(alice)
    started = time.monotonic()
    response = submit(api_client, 15)
    elapsed = time.monotonic() - started
    assert response.status_code == 202
    body = response.json()
    assert body["id"] == worker[0]
    assert body["status"] == "passed"  # held through "running" to the verdict
    assert 0.3 < elapsed < 5
    # The row it answers with (read again without joins) is the one the detail shows.
    assert body == api_client.get(f"/api/v1/submissions/{body['id']}/").json()


@needs_redis
@pytest.mark.usefixtures("live_db")
def test_a_submit_without_a_wait_answers_at_once(api_client, alice, with_redis, worker) -> None:
    api_client.force_authenticate(alice)
    response = submit(api_client)
    assert response.status_code == 202
    assert response.json()["status"] == "queued"


@pytest.mark.usefixtures("live_db")
def test_without_redis_a_submit_with_a_wait_answers_at_once(api_client, alice, worker) -> None:
    api_client.force_authenticate(alice)
    started = time.monotonic()
    response = submit(api_client, 10)
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert time.monotonic() - started < 5


@needs_redis
@pytest.mark.usefixtures("live_db")
def test_a_submit_past_the_processs_waiters_answers_at_once(
    api_client, alice, with_redis, worker, settings
) -> None:
    settings.SUBMISSION_WAITERS = 1
    slots = waits._waiters()
    assert slots.acquire(blocking=False)  # as another request waiting in this process does
    try:
        api_client.force_authenticate(alice)
        response = submit(api_client, 10)
    finally:
        slots.release()
    assert response.status_code == 202
    assert response.json()["status"] == "queued"


@needs_redis
@pytest.mark.usefixtures("live_db")
def test_a_submit_held_for_its_verdict_does_not_read_on_hearing_the_claim(
    api_client, alice, with_redis, worker, monkeypatch
) -> None:
    """The claim's announcement ("running") cannot end a submit's wait for its verdict, so
    it costs no read of the row; nor does the start (the row as created is known, see the
    next test): one read in all, after the verdict's announcement."""
    from apps.sandbox import selectors

    monkeypatch.setattr(waits, "RECHECK_SECONDS", 30.0)
    reads: list[int] = []
    reread = selectors.submission_reread
    monkeypatch.setattr(
        selectors,
        "submission_reread",
        lambda *, submission: reads.append(submission.pk) or reread(submission=submission),
    )
    api_client.force_authenticate(alice)
    response = submit(api_client, 15)
    assert response.json()["status"] == "passed"
    assert reads == [worker[0]]


@needs_redis
@pytest.mark.usefixtures("live_db")
def test_a_submit_that_waits_is_subscribed_before_its_grading_is_queued(
    api_client, alice, with_redis, monkeypatch
) -> None:
    """A worker as fast as can be (it stores and announces the verdict while the enqueue
    call is still running) is still heard, with no recheck to fall back on: the request's
    subscription was confirmed before the grading was queued."""
    monkeypatch.setattr(waits, "RECHECK_SECONDS", 30.0)
    subscribers: list[int] = []

    def enqueue_and_grade_at_once(*, submission_id: int) -> None:
        name = waits.channel(submission_id)
        subscribers.append(dict(waits._client().pubsub_numsub(name))[name.encode()])
        Submission.objects.filter(pk=submission_id).update(status=SubmissionStatus.PASSED)
        waits.submission_changed(submission_id=submission_id, status=SubmissionStatus.PASSED)

    monkeypatch.setattr(services, "submission_enqueue", enqueue_and_grade_at_once)
    api_client.force_authenticate(alice)
    started = time.monotonic()
    response = submit(api_client, 15)
    assert response.json()["status"] == "passed"
    assert subscribers == [1]
    assert time.monotonic() - started < 5  # not a recheck's 30 s


@needs_redis
@pytest.mark.usefixtures("live_db")
def test_a_submit_sends_its_subscription_before_its_commit_and_confirms_it_after(
    api_client, alice, with_redis, worker, monkeypatch
) -> None:
    """The subscription's round trip to Redis overlaps the row's commit: sent from inside
    the transaction, confirmed once it committed (and before the grading is queued)."""
    from django.db import connection

    calls: list[tuple[str, bool]] = []
    subscribe, confirmed = waits.subscribe, waits.Subscription.confirmed

    def sending(submission_id: int, *, confirm: bool = True) -> Any:
        calls.append(("sent", connection.in_atomic_block))
        return subscribe(submission_id, confirm=confirm)

    def confirming(self: waits.Subscription) -> bool:
        calls.append(("confirmed", connection.in_atomic_block))
        return confirmed(self)

    monkeypatch.setattr(waits, "subscribe", sending)
    monkeypatch.setattr(waits.Subscription, "confirmed", confirming)
    api_client.force_authenticate(alice)
    assert submit(api_client, 15).json()["status"] == "passed"
    assert calls[:2] == [("sent", True), ("confirmed", False)]


@needs_redis
@pytest.mark.usefixtures("live_db")
def test_a_submit_whose_queue_is_down_gives_back_its_waiting_place(
    api_client, alice, with_redis, monkeypatch, settings
) -> None:
    settings.SUBMISSION_WAITERS = 1

    def broker_down(*, submission_id: int) -> None:
        raise services.BrokerUnavailable("the grading queue is unreachable", submission_id)

    monkeypatch.setattr(services, "submission_enqueue", broker_down)
    api_client.force_authenticate(alice)
    response = submit(api_client, 15)
    assert response.status_code == 503
    assert not Submission.objects.filter(user=alice).exists()
    slots = waits._waiters()
    assert slots.acquire(blocking=False)  # the one place is free again
    slots.release()


@needs_redis
@pytest.mark.usefixtures("live_db")
def test_a_failure_to_subscribe_never_keeps_a_submission_from_its_grading(
    api_client, alice, with_redis, worker, monkeypatch
) -> None:
    def broken(submission_id: int) -> None:
        raise RuntimeError("a bug in subscribing")

    monkeypatch.setattr(waits, "subscribe", broken)
    api_client.force_authenticate(alice)
    response = submit(api_client, 15)
    assert response.status_code == 202
    assert response.json()["status"] == "queued"  # answered at once, not waited for
    assert worker == [response.json()["id"]]  # queued all the same
