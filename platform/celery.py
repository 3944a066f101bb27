"""The Celery app, `celery -A dlmath worker`. Configuration lives in settings (CELERY_*)."""

import logging
import os

from celery import Celery
from celery.signals import worker_process_init

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
