"""The site's cache while Redis is down: pages serve, rate limits hold, nothing stale returns.

Against a real redis-server each test starts on a free port and crashes (SIGKILL) or
freezes (SIGSTOP: a partition that keeps every key) itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers import RedisServer, wait_until

ROOT = Path(__file__).resolve().parents[1]
WRONG = "import numpy as np\ndef softmax(z):\n    return np.exp(z)\n"

pytestmark = pytest.mark.skipif(not RedisServer.binary, reason="redis-server is not installed")


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    if server.process is not None:
        server.thaw()
        server.crash()


@pytest.fixture
def fallback_cache(settings, redis_server: RedisServer) -> Any:
    """The project's cache settings, pointed at this test's Redis."""
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "dlmath.cache.FallbackRedisCache",
            "LOCATION": redis_server.url(),
            "KEY_PREFIX": "dlmath",
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "RETRY_SECONDS": 0.2,
                "LOCAL_FALLBACK_KEY_PREFIXES": ["throttle_", "login-failures:"],
            },
        }
    }
    from django.core.cache import cache

    return cache


def test_it_is_a_plain_redis_cache_while_redis_is_up(fallback_cache, redis_server) -> None:
    fallback_cache.set("greeting", "hello")
    assert fallback_cache.get("greeting") == "hello"
    assert redis_server.client().exists("dlmath:1:greeting")


def test_reads_miss_and_writes_are_skipped_while_redis_is_down(
    fallback_cache, redis_server
) -> None:
    fallback_cache.set("greeting", "hello")
    redis_server.crash()
    assert fallback_cache.get("greeting", "missing") == "missing"
    fallback_cache.set("greeting", "bye")  # no error, nowhere to put it
    assert fallback_cache.add("counter", 1) is False
    with pytest.raises(ValueError, match="not found"):
        fallback_cache.incr("counter")
    assert fallback_cache.get_many(["greeting"]) == {}
    assert fallback_cache.outage.is_down


def test_rate_limit_keys_count_in_this_process_while_redis_is_down(
    fallback_cache, redis_server
) -> None:
    redis_server.crash()
    assert fallback_cache.add("login-failures:10.0.0.1", 1, timeout=60)
    assert fallback_cache.incr("login-failures:10.0.0.1") == 2
    fallback_cache.set("throttle_submissions_7", [1.0, 2.0], 60)
    assert fallback_cache.get("throttle_submissions_7") == [1.0, 2.0]


def test_it_resumes_when_redis_is_back_without_a_restart(fallback_cache, redis_server) -> None:
    redis_server.crash()
    assert fallback_cache.get("greeting") is None
    redis_server.start()  # same port, empty
    fallback_cache_back = wait_until(
        lambda: fallback_cache.add("greeting", "again") or None, 30, "the cache using Redis again"
    )
    assert fallback_cache_back
    assert fallback_cache.get("greeting") == "again"
    assert not fallback_cache.outage.is_down


def test_a_key_deleted_during_a_partition_is_deleted_from_redis_once_it_answers(
    fallback_cache, redis_server
) -> None:
    # A learner logs out while Redis is unreachable but keeps its data: when it answers
    # again, the cached session must not log them back in.
    fallback_cache.set("session-of-alice", {"user": "alice"})
    redis_server.freeze()
    fallback_cache.delete("session-of-alice")  # times out, trips, remembers the key
    assert fallback_cache.outage.is_down
    redis_server.thaw()
    wait_until(
        lambda: fallback_cache.set("probe", 1) or not fallback_cache.outage.is_down,
        30,
        "the cache using Redis again",
    )
    assert not redis_server.client().exists("dlmath:1:session-of-alice")
    assert fallback_cache.get("session-of-alice") is None


@pytest.mark.django_db
def test_pages_and_reads_work_and_submissions_throttle_locally_with_redis_down(
    fallback_cache,
    redis_server,
    settings,
    client,
    api_client,
    alice,
    django_capture_on_commit_callbacks,
) -> None:
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    redis_server.crash()

    client.force_login(alice)
    assert client.get("/learn/").status_code == 200
    assert client.get("/api/v1/progress/me/").status_code == 200
    assert client.get("/api/v1/modules/").status_code == 200

    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {
        **api_settings.DEFAULT_THROTTLE_RATES,
        "submissions": "2/min",
    }
    try:
        api_client.force_authenticate(alice)
        url = "/api/v1/exercises/softmax/submissions/"
        codes = []
        for _ in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                codes.append(api_client.post(url, {"code": WRONG}, format="json").status_code)
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
    # Graded in-process here (no broker in this test); the limit held without Redis.
    assert codes == [202, 202, 429]
