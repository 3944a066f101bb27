"""Waiting for a submission's status to change: the worker announces, a request listens.

A client following a submission (the exercise page, the API) may ask the detail endpoint
to hold its answer for a bounded time (``?wait=``) instead of polling. The worker publishes
on a Redis channel of the submission once a status change is committed (claimed, graded);
the waiting request subscribes, reads the row, and reads it again when a message arrives.

The database stays the only source of truth: a message says "read again" (and which
status was committed, so a waiter that would wait through it, such as a submit held for its
verdict hearing "running", need not read), so a lost, duplicated or foreign message (Redis
channels are shared by every database number) costs at most a wasted read, or a read
postponed to the next recheck. The row is also read again every
RECHECK_SECONDS, so a change no one announced (a sweep, an admin, Redis restarting) is seen
within that time. Without Redis (the embedded default grades inline) nobody waits.

Every waiting request holds a web thread, so a process lets at most SUBMISSION_WAITERS of
them wait at once: past that the answer comes at once, as a plain read, and the client
falls back to polling. Publishing never fails a grading: a Redis error is logged and the
waiter's own re-reads take over.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from functools import cache
from typing import TypeVar

import redis
from django.conf import settings
from redis.client import PubSub

logger = logging.getLogger(__name__)

# A waiter reads the row again at least this often, whatever Redis says.
RECHECK_SECONDS = 2.0
# How long a subscription may take to be confirmed before the waiter gives up on waiting.
SUBSCRIBE_TIMEOUT = 0.5

T = TypeVar("T")


def channel(submission_id: int) -> str:
    """The submission's channel, named after this site's database (Redis channels are global,
    not per database number, so two sites sharing a Redis must not hear each other)."""
    return f"dlmath:{settings.DATABASES['default']['NAME']}:submission:{submission_id}"


@cache
def _client() -> redis.Redis | None:
    """This process's Redis client (its pool is fork-safe), or None without Redis."""
    if not settings.REDIS_URL:
        return None
    return redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=1.0, health_check_interval=0
    )


@cache
def _waiters() -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(max(1, settings.SUBMISSION_WAITERS))


def submission_changed(*, submission_id: int, status: str) -> None:
    """Tell whoever waits on the submission that its row changed (call after the commit)."""
    client = _client()
    if client is None:
        return
    try:
        client.publish(channel(submission_id), status)
    except redis.RedisError as exc:
        logger.warning("could not announce submission %s: %s", submission_id, exc)


def wait_while(
    *,
    submission_id: int,
    seconds: float,
    read: Callable[[], T],
    waiting: Callable[[T], bool],
    through: frozenset[str] = frozenset(),
) -> T:
    """``read()`` once ``waiting(read())`` is false or ``seconds`` have passed.

    Subscribes before the first read, so a change committed after that read is announced to
    this waiter. Answers at once (one read) without Redis, when this process already holds
    SUBMISSION_WAITERS waiting requests, or when Redis can't be reached. ``through``: the
    announced statuses this waiter would wait on anyway (a submit held for its verdict waits
    through "running"): such an announcement costs no read. Any other message, or none for
    RECHECK_SECONDS, does (a foreign "running" can only postpone a read to the recheck, and
    never hide the verdict's own announcement).
    """
    subscription = subscribe(submission_id) if seconds > 0 else None
    if subscription is None:
        return read()
    with subscription:
        return subscription.wait_while(seconds=seconds, read=read, waiting=waiting, through=through)


class Subscription:
    """A waiting place of this process, and a subscription to one submission's channel: once
    ``confirmed()``, every change committed from then on is announced to it. Close it (or use
    it as a context manager) to give both back."""

    def __init__(self, pubsub: PubSub, slots: threading.BoundedSemaphore) -> None:
        self._pubsub, self._slots = pubsub, slots
        self._open, self._confirmed = True, False

    def _send(self, submission_id: int) -> bool:
        try:
            self._pubsub.subscribe(channel(submission_id))
        except redis.RedisError as exc:
            logger.warning("waiting on submission %s without Redis: %s", submission_id, exc)
            return False
        return True

    def confirmed(self) -> bool:
        """Whether Redis confirmed the subscription (waiting for it, at most
        SUBSCRIBE_TIMEOUT): from then on the channel's messages reach it. If not, it is
        closed (its waiting place given back)."""
        if not self._confirmed and self._open:
            try:
                self._confirmed = self._pubsub.get_message(timeout=SUBSCRIBE_TIMEOUT) is not None
            except redis.RedisError as exc:
                logger.warning("waiting without Redis: %s", exc)
            if not self._confirmed:
                self.close()
        return self._confirmed

    def wait_while(
        self,
        *,
        seconds: float,
        read: Callable[[], T],
        waiting: Callable[[T], bool],
        through: frozenset[str] = frozenset(),
        first: Callable[[], T] | None = None,
    ) -> T:
        """As the module's ``wait_while``, on this subscription. ``first``: the row the wait
        starts from, if the caller knows it without a read: a submit subscribed after its
        row was committed and before its grading was queued, so nothing can have changed
        it unannounced (see ``services.submission_create``). Default: ``read()``."""
        deadline = time.monotonic() + seconds
        current = (first or read)()
        while True:
            remaining = deadline - time.monotonic()
            if not waiting(current) or remaining <= 0:
                return current
            recheck_at = time.monotonic() + min(remaining, RECHECK_SECONDS)
            _listen(self._pubsub, until=recheck_at, through=through)
            current = read()

    def close(self) -> None:
        if self._open:
            self._open = False
            with contextlib.suppress(redis.RedisError):
                self._pubsub.close()
            self._slots.release()

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def subscribe(submission_id: int, *, confirm: bool = True) -> Subscription | None:
    """A subscription to the submission's announcements, confirmed by Redis; None without
    Redis, when this process already holds SUBMISSION_WAITERS of them, or when Redis can't
    be reached (the caller then answers at once). Never raises. ``confirm=False``: the
    request is only sent, so the caller can do other work while Redis answers (a submit
    commits its row) and call ``confirmed()`` before relying on it."""
    client = _client()
    slots = _waiters()
    if client is None or not slots.acquire(blocking=False):
        return None
    subscription = Subscription(client.pubsub(), slots)
    if subscription._send(submission_id) and (not confirm or subscription.confirmed()):
        return subscription
    subscription.close()
    return None


def _listen(pubsub: PubSub, *, until: float, through: frozenset[str]) -> None:
    """Return at the first announcement not in ``through``, or at ``until``."""
    while (left := until - time.monotonic()) > 0:
        try:
            message = pubsub.get_message(ignore_subscribe_messages=True, timeout=left)
        except redis.RedisError:
            # Redis went away mid-wait: read again on the recheck interval instead.
            time.sleep(left)
            return
        if message is None:
            continue  # get_message may return early with nothing: wait out the rest
        data = message.get("data")
        status = data.decode(errors="replace") if isinstance(data, bytes) else str(data)
        if status not in through:
            return
