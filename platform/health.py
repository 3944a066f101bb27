"""`/healthz`: which part of dlmath is up, and whether this web process can serve.

Parts: ``database``; ``broker`` (Redis as Celery's queue); ``cache`` (Redis as the cache, or
serving without it); ``grading`` (live workers, and how many submissions wait and for how
long). 200 while the database answers, even with Redis or every worker down: pages and
reads still work then (submissions get a 503 of their own), so a load balancer must keep
sending traffic. 503 when the database is unreachable: nothing can be served.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from dlmath.cache import FallbackRedisCache

Check = dict[str, Any]


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _check_database() -> Check:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "error": _error(exc)}
    return {"ok": True, "vendor": connection.vendor, "ms": _ms_since(started)}


def _redis_client() -> Any:
    import redis

    # Bounded both ways: a Redis that accepts but never answers must not hang the check.
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def _check_broker() -> Check:
    if not settings.REDIS_URL:
        return {"ok": True, "mode": "eager", "detail": "no REDIS_URL: tasks run in-process"}
    started = time.perf_counter()
    try:
        _redis_client().ping()
    except Exception as exc:
        return {
            "ok": False,
            "mode": "redis",
            "error": _error(exc),
            "detail": "submissions are refused with 503 until it is back",
        }
    return {"ok": True, "mode": "redis", "ms": _ms_since(started)}


def _check_cache() -> Check:
    default = caches["default"]
    if not isinstance(default, FallbackRedisCache):
        return {"ok": True, "backend": type(default).__name__}
    default.get("healthz-probe")  # trips or recovers the fallback, as a page would
    outage = default.outage
    if outage.is_down:
        return {
            "ok": False,
            "backend": "redis",
            "error": outage.error,
            "detail": "serving without it: sessions from the database, rate limits per process",
        }
    return {"ok": True, "backend": "redis"}


def _check_grading(broker: Check) -> Check:
    from apps.sandbox.models import PENDING_STATUSES, Submission
    from apps.sandbox.requeue import WORKER_KEY_PREFIX

    check: Check = {}
    try:
        pending = Submission.objects.filter(status__in=PENDING_STATUSES).aggregate(
            count=Count("id"), oldest=Min("created_at")
        )
        check["pending"] = pending["count"]
        oldest = pending["oldest"]
        check["oldest_pending_s"] = (
            round((timezone.now() - oldest).total_seconds(), 1) if oldest else None
        )
    except Exception as exc:
        check["pending_error"] = _error(exc)
    if not settings.REDIS_URL:
        return {"ok": True, "mode": "eager", **check}
    if not broker["ok"]:
        return {"ok": False, "workers": None, "detail": "broker unreachable", **check}
    try:
        workers = sum(1 for _ in _redis_client().scan_iter(f"{WORKER_KEY_PREFIX}*", count=100))
    except Exception as exc:
        return {"ok": False, "workers": None, "error": _error(exc), **check}
    detail = {} if workers else {"detail": "no worker has checked in: submissions wait queued"}
    return {"ok": workers > 0, "workers": workers, **check, **detail}


def healthz(request: HttpRequest) -> JsonResponse:
    database = _check_database()
    broker = _check_broker()
    checks = {
        "database": database,
        "broker": broker,
        "cache": _check_cache(),
        "grading": _check_grading(broker) if database["ok"] else {"ok": False},
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **checks},
        status=200 if database["ok"] else 503,
    )
