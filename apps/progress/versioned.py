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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

# The versions read in the current request ({} until one is read; None outside a request,
# where every read goes to the cache). A page asks for the learner's version from several
# places (unlock notice, exercise row, review card): one cache read serves them all, and
# the parts of one page agree. A bump made in the request (on commit) forgets its key.
_request_versions: ContextVar[dict[str, object] | None] = ContextVar(
    "progress_request_versions", default=None
)


@contextmanager
def versions_read_once() -> Iterator[None]:
    """Within the block (a request: ``apps.progress.middleware``), each version is read from
    the cache at most once."""
    token = _request_versions.set({})
    try:
        yield
    finally:
        _request_versions.reset(token)


def versions_already_read(found: dict[str, Any]) -> None:
    """Versions the caller read from the cache with other keys in one round trip (the
    signed-in user's, with the user): later reads in this request use them."""
    memo = _request_versions.get()
    if memo is not None:
        memo.update((key, value) for key, value in found.items() if value is not None)


def version_read(key: str, found: object = None, timeout: int | None = None) -> object:
    """The version stored under ``key`` (``found``: already read with other keys, or None).

    A version never set, evicted, or deleted after a Redis outage starts again at a random
    number, never back at one that an old entry may still be cached under; ``cache.add``
    makes the first reader's start the one every other reader sees.
    """
    if found is not None:
        return found
    memo = _request_versions.get()
    if memo is not None and key in memo:
        return memo[key]
    version = cache.get(key)
    if version is None:
        version = secrets.randbits(48)
        if not cache.add(key, version, timeout=timeout):
            version = cache.get(key, version)
    if memo is not None:
        memo[key] = version
    return version


def version_bump(key: str, timeout: int | None = None) -> None:
    """Move the version under ``key`` on: every entry named after an older one is retired.

    No version yet, one lost, or one that is no number (a value the cache refuses to
    increment): a fresh random one retires them just the same. ``timeout``: how long a
    fresh one is kept (an increment keeps the key's own)."""
    try:
        cache.incr(key)
    except Exception:  # whatever failed (see above), a fresh version will do
        cache.set(key, secrets.randbits(48), timeout=timeout)
    memo = _request_versions.get()
    if memo is not None:  # bumped in this request (a submission, a lesson read): read again
        memo.pop(key, None)


class _OnCommitOnce:
    """A callback waiting for the commit, with what it stands for (``on_commit_once``)."""

    __slots__ = ("func", "key", "ran")

    def __init__(self, key: str, func: Callable[[], None]) -> None:
        self.key = key
        self.func = func
        self.ran = False

    def __call__(self) -> None:
        self.ran = True  # (a test's captured callbacks run and stay in the list)
        self.func()


def on_commit_once(key: str, func: Callable[[], None]) -> None:
    """Run ``func`` once the current transaction commits (at once outside a transaction),
    unless a callback under the same ``key`` already waits for that commit.

    One grading saves a progress row (heard by the model's receiver) and tells the learner's
    versions itself; one cascade deletes many deadlines of one cohort: each moves a version
    once. The waiting callbacks are the connection's own list, so a callback taken off by a
    rollback (of the transaction or of a savepoint it was made in) no longer counts; a write
    made after that rollback registers its own.
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _savepoints, waiting, _robust in connection.run_on_commit:
            if isinstance(waiting, _OnCommitOnce) and waiting.key == key and not waiting.ran:
                return
    transaction.on_commit(_OnCommitOnce(key, func))


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

    def fetch(self, key: str, read: Callable[[], T], seconds: int) -> T:
        """The value under ``key``: this process's copy, else the shared cache's (kept here),
        else ``read()``'s, stored in both (for ``seconds`` in the shared cache). Build
        ``key`` from versions read before calling, so a change after it moves it on."""
        value = self.get(key)
        if value is None:
            value = cache.get(key)
            if value is None:
                value = read()
                cache.set(key, value, timeout=seconds)
            self.keep(key, value)
        return cast(T, value)

    def keep(self, key: str, value: Any) -> None:
        if not settings.SHARED_CACHE:
            return
        with self._lock:
            self._entries[key] = (time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
