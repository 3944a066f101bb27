"""The Celery app, `celery -A dlmath worker`. Configuration lives in settings (CELERY_*)."""

import logging
import os

from celery import Celery
from celery.signals import (
    task_postrun,
    task_prerun,
    worker_process_init,
    worker_ready,
    worker_shutting_down,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dlmath.settings")

app = Celery("dlmath")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="dlmath.ping")
def ping() -> str:
    """A no-op round trip through the broker, for health checks and tests."""
    return "pong"


@worker_process_init.connect
def _start_sandbox(**kwargs: object) -> None:
    """Each worker process starts its zygote and runs the escape self-test before any task.

    If isolation can't be set up the worker still starts, but every submission it takes is
    answered "cannot grade safely" (never run unconfined) and the reason is logged here.
    """
    from apps.sandbox.backends import sandbox_pool
    from apps.sandbox.runner import SandboxUnavailable

    try:
        pool = sandbox_pool()
    except SandboxUnavailable as exc:
        logging.getLogger("dlmath.sandbox").critical("sandbox self-test failed: %s", exc)
        return
    logging.getLogger("dlmath.sandbox").info("sandbox ready: %s", ", ".join(pool.layers))


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(sender: object = None, **kwargs: object) -> None:
    """Around each task, what Django does around each request: a database connection that
    failed, outlived CONN_MAX_AGE or was left in a transaction is closed (the next query
    opens a new one), and the next use of a kept one checks it first (health checks). With
    CELERY_DB_REUSE_MAX set, Celery's own fixup no longer closes every connection each time.
    Not for a task run eagerly (inside the caller's request or transaction).
    """
    from django.db import close_old_connections

    if not getattr(getattr(sender, "request", None), "is_eager", False):
        close_old_connections()


@worker_ready.connect
def _start_requeue_sweep(sender: object = None, **kwargs: object) -> None:
    """The worker's main process sweeps the database for submissions the queue lost.

    Runs once now (a worker coming back after an outage picks up what was stranded), then
    every SUBMISSION_REQUEUE_INTERVAL seconds; see apps/sandbox/requeue.py.
    """
    import socket

    from apps.sandbox.requeue import requeue_sweeper_start

    requeue_sweeper_start(hostname=str(getattr(sender, "hostname", None) or socket.gethostname()))


@worker_shutting_down.connect
def _stop_requeue_sweep(**kwargs: object) -> None:
    from apps.sandbox.requeue import requeue_sweeper_stop

    requeue_sweeper_stop()
