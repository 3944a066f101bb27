"""Requeue: the database, not the broker, is the record of what still needs grading.

Redis can lose a grading task in ways acknowledgements don't cover: it restarts without
persistence (every queued and unacknowledged message is gone), a web process dies between
committing a submission and publishing it, or a worker is killed between popping a message
and recording it as unacknowledged. Broker redelivery (acks_late, the visibility timeout)
handles a killed worker; this sweep handles everything else.

Every Celery worker runs a ``RequeueSweeper`` thread: once when it starts, then every
SUBMISSION_REQUEUE_INTERVAL seconds, it sends again each submission still ``queued`` or
``running`` SUBMISSION_REQUEUE_AFTER seconds after it was last sent (and, if running, last
claimed). If the broker has lost its data since the last sweep (a marker key is gone), every
queued submission is sent at once. A spare copy is harmless: the task claims a row under a
lock and only the first verdict is stored and counted.

Runs without grading (try-it cells, "run on my own input") are swept by the same rule
(apps/sandbox/runs.runs_requeue_stale), except that a run nobody can be waiting for any more
is marked lost instead of being sent again.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta

import redis
from django.conf import settings
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone

from apps.sandbox.models import Submission, SubmissionStatus
from apps.sandbox.runs import runs_requeue_stale
from apps.sandbox.services import BrokerUnavailable, submission_enqueue

logger = logging.getLogger(__name__)

# Present while the broker keeps its data; gone after a restart without persistence (or a
# flush), which took every queued message with it.
BROKER_MARKER_KEY = "dlmath:requeue:broker-marker"
# One key per live worker, expiring unless renewed: /healthz counts them.
WORKER_KEY_PREFIX = "dlmath:worker:"
# Rows sent per sweep, oldest first: after a long outage a sweep stays short and the next
# one continues, rather than one sweep publishing tens of thousands of messages.
BATCH = 500


def submissions_requeue_stale(
    *, lost_before: datetime | None = None, now: datetime | None = None
) -> int:
    """Send again up to BATCH submissions the queue may have lost; returns how many.

    Those queued or running whose task was sent more than SUBMISSION_REQUEUE_AFTER seconds
    ago (a running one also claimed that long ago), and with ``lost_before`` (the broker
    lost its data) every queued one sent before then, whatever its age.

    Safe to run from any number of workers at once: a row is sent by whichever sweep moves
    its ``enqueued_at`` first. Raises BrokerUnavailable if the broker refuses (that row's
    ``enqueued_at`` is put back, so the next sweep tries it again).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.SUBMISSION_REQUEUE_AFTER)
    sent_long_ago = Q(enqueued_at__lt=cutoff) | Q(enqueued_at=None, created_at__lt=cutoff)
    queued = Q(status=SubmissionStatus.QUEUED)
    if lost_before is None:
        queued &= sent_long_ago
    else:
        queued &= Q(enqueued_at__lt=lost_before) | Q(enqueued_at=None)
    # A running row is only sent again once its claim is older than any live grading.
    running = Q(status=SubmissionStatus.RUNNING, started_at__lt=cutoff) & sent_long_ago
    candidates = list(
        Submission.objects.filter(queued | running)
        .order_by("created_at", "id")
        .values_list("pk", "status", "enqueued_at")[:BATCH]
    )
    sent = 0
    for pk, status, enqueued_at in candidates:
        won = Submission.objects.filter(pk=pk, status=status, enqueued_at=enqueued_at).update(
            enqueued_at=now
        )
        if not won:  # another sweep sent it, or a worker finished it meanwhile
            continue
        try:
            submission_enqueue(submission_id=pk)
        except BrokerUnavailable:
            Submission.objects.filter(pk=pk, enqueued_at=now).update(enqueued_at=enqueued_at)
            raise
        sent += 1
    return sent


class RequeueSweeper(threading.Thread):
    """A worker's background sweep (see the module docstring). Started on worker_ready."""

    def __init__(self, *, hostname: str, interval: float, broker_url: str) -> None:
        super().__init__(name="dlmath-requeue", daemon=True)
        self.hostname = hostname
        self.interval = interval
        self.broker_url = broker_url
        self._stopped = threading.Event()
        # When this sweeper found the broker's marker gone; cleared once every queued
        # submission sent before then has been sent again.
        self._broker_lost_at: datetime | None = None

    def stop(self) -> None:
        self._stopped.set()

    def run(self) -> None:
        client = redis.Redis.from_url(
            self.broker_url, socket_connect_timeout=2, socket_timeout=2, health_check_interval=5
        )
        while not self._stopped.is_set():
            self.sweep_once(client)
            self._stopped.wait(self.interval)

    def sweep_once(self, client: redis.Redis) -> int:
        """One sweep; never raises (the database or Redis may be down: next time, then)."""
        close_old_connections()
        try:
            client.set(
                f"{WORKER_KEY_PREFIX}{self.hostname}", int(time.time()), ex=int(self.interval * 3)
            )
            if self._broker_lost_at is None and not client.exists(BROKER_MARKER_KEY):
                self._broker_lost_at = timezone.now()
            lost_before = self._broker_lost_at
            sent = submissions_requeue_stale(lost_before=lost_before)
            runs_sent, runs_lost = runs_requeue_stale(lost_before=lost_before)
            if lost_before is not None and sent < BATCH:
                client.set(BROKER_MARKER_KEY, 1)
                self._broker_lost_at = None
        except Exception as exc:  # the next sweep tries again; say why this one couldn't
            logger.warning("requeue sweep skipped: %s: %s", type(exc).__name__, exc)
            return 0
        finally:
            close_old_connections()
        if sent or runs_sent or runs_lost:
            logger.warning(
                "requeue sweep sent %s submission(s) and %s run(s) again, marked %s run(s) lost%s",
                sent,
                runs_sent,
                runs_lost,
                " (the broker had lost its queue)" if lost_before else "",
            )
        return sent


_sweeper: RequeueSweeper | None = None


def requeue_sweeper_start(*, hostname: str) -> None:
    """Start this process's sweep thread (a no-op without a broker or with interval 0)."""
    global _sweeper
    interval = settings.SUBMISSION_REQUEUE_INTERVAL
    if _sweeper is not None or interval <= 0 or settings.CELERY_TASK_ALWAYS_EAGER:
        return
    _sweeper = RequeueSweeper(
        hostname=hostname, interval=interval, broker_url=settings.CELERY_BROKER_URL
    )
    _sweeper.start()


def requeue_sweeper_stop() -> None:
    global _sweeper
    if _sweeper is not None:
        _sweeper.stop()
        _sweeper = None
