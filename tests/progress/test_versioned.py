"""A process's copy of versioned cache entries: bounded in size and age, off without Redis."""

from __future__ import annotations

import pytest

from apps.progress import versioned
from apps.progress.versioned import VersionedEntries


@pytest.fixture(autouse=True)
def _shared_cache(settings) -> None:
    settings.SHARED_CACHE = True


def test_it_keeps_the_most_recently_used_entries() -> None:
    entries = VersionedEntries(size=2, max_age=60)
    entries.keep("a:1", "A")
    entries.keep("b:1", "B")
    assert entries.get("a:1") == "A"  # a is now the most recent
    entries.keep("c:1", "C")
    assert entries.get("b:1") is None
    assert (entries.get("a:1"), entries.get("c:1")) == ("A", "C")


def test_an_entry_is_dropped_once_older_than_its_age(monkeypatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(versioned.time, "monotonic", lambda: now[0])
    entries = VersionedEntries(size=8, max_age=60)
    entries.keep("a:1", "A")
    now[0] += 59
    assert entries.get("a:1") == "A"
    now[0] += 2
    assert entries.get("a:1") is None


def test_without_a_shared_cache_it_keeps_nothing(settings) -> None:
    settings.SHARED_CACHE = False
    entries = VersionedEntries(size=8, max_age=60)
    entries.keep("a:1", "A")
    assert entries.get("a:1") is None
