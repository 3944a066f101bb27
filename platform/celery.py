"""The Celery app, `celery -A dlmath worker`. Configuration lives in settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dlmath.settings")

app = Celery("dlmath")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="dlmath.ping")
def ping() -> str:
    """A no-op round trip through the broker, for health checks and tests."""
    return "pong"
