"""A small per-process copy of shared-cache entries whose keys name their version.

A key such as ``cohort-dashboard:<id>:<version>:<revision>:<language>`` never names two
different values: a change moves the version and makes a new key. So once a process has
read such an entry it may keep it and skip the shared cache next time; the version itself
is still read from the shared cache on every request, which is what keeps the page fresh.
The dashboard's body is ~400 kB for a 200-learner cohort, and fetching and unpickling it
from Redis was a tenth of the page's time. Only for keys built that way, and values kept
without a time limit (not the deadlines panel: it expires when a deadline passes).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.core.cache import cache


def version_read(key: str, found: object = None) -> object:
    """The version stored under ``key`` (``found``: already read with other keys, or None).

    A version never set, evicted, or deleted after a Redis outage starts again at a random
    number, never back at one that an old entry may still be cached under; ``cache.add``
    makes the first reader's start the one every other reader sees.
    """
    if found is not None:
        return found
    version = cache.get(key)
    if version is None:
        version = secrets.randbits(48)
        if not cache.add(key, version, timeout=None):
            version = cache.get(key, version)
    return version


def version_bump(key: str) -> None:
    """Move the version under ``key`` on: every entry named after an older one is retired."""
    try:
        cache.incr(key)
    except ValueError:  # no version yet, or it was lost: any fresh one will do
        cache.set(key, secrets.randbits(48), timeout=None)


class VersionedEntries:
    """The ``size`` most recently used entries, each for at most ``max_age`` seconds (as
    long as the shared cache keeps it), for the threads of one process."""

    def __init__(self, size: int, max_age: float) -> None:
        self.size = size
        self.max_age = max_age
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        """This process's copy, or None. Without a shared cache, always None: a
        per-process cache has no versions that other processes' changes move on."""
        if not settings.SHARED_CACHE:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if time.monotonic() - entry[0] > self.max_age:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def keep(self, key: str, value: Any) -> None:
        if not settings.SHARED_CACHE:
            return
        with self._lock:
            self._entries[key] = (time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
