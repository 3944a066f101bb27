"""A Redis cache that keeps the site up while Redis is down.

Django's RedisCache raises on every call while Redis is unreachable, and nearly every request
reads the cache (cached_db sessions, rate limits, the course outline's revision): one
dependency down would take every page with it. ``FallbackRedisCache`` instead, while Redis
is unreachable:

- reads miss and writes are skipped, so callers fall back to what the cache only speeds up
  (the database for sessions, a recomputed page);
- keys starting with one of ``LOCAL_FALLBACK_KEY_PREFIXES`` (the rate limits) go to a
  per-process memory cache: a local limit beats none, and it must not fail the request;
- every key written or deleted meanwhile is deleted from Redis once it answers again, so a
  logout or a progress change made during the outage can't be undone by an old value a
  partitioned (not restarted) Redis still holds;
- after a failure it leaves Redis alone for ``RETRY_SECONDS`` (a circuit breaker), so one
  request a few seconds pays the connection timeout rather than every request.

Only connection failures and timeouts count as an outage: any other Redis error (a wrong
type, an out-of-memory refusal) is a bug or a capacity problem and still raises.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError)
# Keys to delete once Redis is back, at most this many (one per session or cohort touched
# during the outage); past it the oldest guarantee is dropped, and the log says so.
MAX_STALE_KEYS = 100_000
T = TypeVar("T")


class RedisOutage:
    """Whether one Redis server is reachable, shared by every thread's cache instance.

    (Django builds a cache backend per thread; the outage is a property of the server.)
    """

    def __init__(self, retry_seconds: float) -> None:
        self.retry_seconds = retry_seconds
        self.down_since: float | None = None
        self.error = ""
        self._retry_at = 0.0
        self._stale: set[str] = set()
        self._lock = threading.Lock()

    @property
    def is_down(self) -> bool:
        return self.down_since is not None

    def should_try(self) -> bool:
        return self.down_since is None or time.monotonic() >= self._retry_at

    def trip(self, exc: BaseException) -> None:
        with self._lock:
            if self.down_since is None:
                self.down_since = time.time()
                logger.error("Redis cache unreachable, serving without it: %s", exc)
            self.error = f"{type(exc).__name__}: {exc}"[:300]
            self._retry_at = time.monotonic() + self.retry_seconds

    def remember_stale(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                if len(self._stale) >= MAX_STALE_KEYS:
                    logger.error("over %s keys to invalidate after the outage", MAX_STALE_KEYS)
                    return
                self._stale.add(key)

    def recover(self, delete_many: Callable[[list[str]], object]) -> None:
        """Redis answered: delete what went stale during the outage, then call it up."""
        with self._lock:
            stale, self._stale = list(self._stale), set()
        try:
            for start in range(0, len(stale), 1000):
                delete_many(stale[start : start + 1000])
        except BaseException:
            self.remember_stale(stale)
            raise
        with self._lock:
            if self.down_since is not None and not self._stale:
                logger.warning("Redis cache reachable again; %s stale key(s) deleted", len(stale))
                self.down_since = None
                self.error = ""

    @property
    def needs_recovery(self) -> bool:
        return self.down_since is not None or bool(self._stale)


_outages: dict[str, RedisOutage] = {}
_outages_lock = threading.Lock()


def redis_cache_outage(location: str, retry_seconds: float = 2.0) -> RedisOutage:
    with _outages_lock:
        return _outages.setdefault(location, RedisOutage(retry_seconds))


class FallbackRedisCache(RedisCache):
    """RedisCache that degrades instead of raising while Redis is unreachable (see above).

    Extra OPTIONS: ``RETRY_SECONDS`` (default 2) and ``LOCAL_FALLBACK_KEY_PREFIXES``.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        retry_seconds = float(options.pop("RETRY_SECONDS", 2.0))
        self.local_prefixes = tuple(options.pop("LOCAL_FALLBACK_KEY_PREFIXES", ()))
        super().__init__(server, {**params, "OPTIONS": options})
        self.outage = redis_cache_outage(str(server), retry_seconds)
        # LocMemCache instances of one name share their store across threads.
        self.local = LocMemCache(f"dlmath-fallback:{server}", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

    # --- the guard -------------------------------------------------------------------------

    def _guard(self, call: Callable[[], T], fallback: Callable[[], T], written: list[str]) -> T:
        outage = self.outage
        if outage.should_try():
            try:
                if outage.needs_recovery:
                    outage.recover(self._cache.delete_many)  # type: ignore[attr-defined]
                return call()
            except OUTAGE as exc:
                outage.trip(exc)
        outage.remember_stale(written)
        return fallback()

    def _is_local(self, key: str) -> bool:
        return bool(self.local_prefixes) and key.startswith(self.local_prefixes)

    def _made(self, keys: Iterable[str], version: int | None) -> list[str]:
        return [self.make_and_validate_key(key, version=version) for key in keys]

    # --- the cache API ---------------------------------------------------------------------

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        local = self._is_local(key)
        return self._guard(
            lambda: super(FallbackRedisCache, self).get(key, default, version),
            lambda: self.local.get(key, default, version) if local else default,
            [],
        )

    def set(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        local = self._is_local(key)
        self._guard(
            lambda: super(FallbackRedisCache, self).set(key, value, timeout, version),
            lambda: self.local.set(key, value, timeout, version) if local else None,
            self._made([key], version),
        )

    def add(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        local = self._is_local(key)
        return self._guard(
            lambda: super(FallbackRedisCache, self).add(key, value, timeout, version),
            lambda: self.local.add(key, value, timeout, version) if local else False,
            self._made([key], version),
        )

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        local = self._is_local(key)
        return self._guard(
            lambda: super(FallbackRedisCache, self).touch(key, timeout, version),
            lambda: self.local.touch(key, timeout, version) if local else False,
            self._made([key], version),
        )

    def delete(self, key: str, version: int | None = None) -> bool:
        local = self._is_local(key)
        return self._guard(
            lambda: super(FallbackRedisCache, self).delete(key, version),
            lambda: self.local.delete(key, version) if local else False,
            self._made([key], version),
        )

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        def missing() -> int:
            if self._is_local(key):
                return self.local.incr(key, delta, version)
            raise ValueError(f"Key '{key}' not found")  # as a miss would say

        return self._guard(
            lambda: super(FallbackRedisCache, self).incr(key, delta, version),
            missing,
            self._made([key], version),
        )

    def has_key(self, key: str, version: int | None = None) -> bool:
        local = self._is_local(key)
        return self._guard(
            lambda: super(FallbackRedisCache, self).has_key(key, version),
            lambda: self.local.has_key(key, version) if local else False,
            [],
        )

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        keys = list(keys)
        return self._guard(
            lambda: super(FallbackRedisCache, self).get_many(keys, version),
            lambda: self.local.get_many([k for k in keys if self._is_local(k)], version),
            [],
        )

    def set_many(
        self, data: dict[str, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[str]:
        def fallback() -> list[str]:
            local = {k: v for k, v in data.items() if self._is_local(k)}
            self.local.set_many(local, timeout, version)
            return [k for k in data if k not in local]

        return self._guard(
            lambda: super(FallbackRedisCache, self).set_many(data, timeout, version),
            fallback,
            self._made(data, version),
        )

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        keys = list(keys)
        self._guard(
            lambda: super(FallbackRedisCache, self).delete_many(keys, version),
            lambda: self.local.delete_many([k for k in keys if self._is_local(k)], version),
            self._made(keys, version),
        )

    def clear(self) -> None:
        self.local.clear()
        self._guard(lambda: super(FallbackRedisCache, self).clear(), lambda: None, [])
