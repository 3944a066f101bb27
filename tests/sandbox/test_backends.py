"""The grading backend is chosen by setting; the sandbox pool's size is SANDBOX_SLOTS."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.sandbox import backends


@pytest.fixture(autouse=True)
def _fresh_backend():
    backends.grading_backend.cache_clear()
    yield
    backends.grading_backend.cache_clear()


class FakePool:
    def __init__(self, slots: int) -> None:
        # A real ZygotePool self-tests each zygote as it starts (tests/sandbox/test_runner.py).
        self.slots = slots

    def close(self) -> None:
        pass


def test_the_pool_has_as_many_slots_as_the_setting_says(monkeypatch, settings) -> None:
    monkeypatch.setattr(backends, "ZygotePool", FakePool)
    monkeypatch.setattr(backends, "_pool", backends._PoolHolder())
    settings.SANDBOX_SLOTS = 3
    pool = backends.sandbox_pool()
    assert pool.slots == 3
    assert backends.sandbox_pool() is pool


def test_a_pool_that_cannot_isolate_keeps_saying_why(monkeypatch) -> None:
    from apps.sandbox.runner import SandboxUnavailable

    starts = []

    def refuse(slots: int) -> None:
        starts.append(slots)
        raise SandboxUnavailable("no user namespaces")

    monkeypatch.setattr(backends, "ZygotePool", refuse)
    monkeypatch.setattr(backends, "_pool", backends._PoolHolder())
    for _ in range(2):
        with pytest.raises(SandboxUnavailable, match="no user namespaces"):
            backends.sandbox_pool()
    assert len(starts) == 1, "a failure is remembered, not retried per submission"


def test_the_default_backend_is_the_sandbox(settings) -> None:
    assert isinstance(backends.grading_backend(), backends.ZygotePoolBackend)


def test_a_backend_that_does_not_isolate_is_refused(settings) -> None:
    settings.SANDBOX_BACKEND = "apps.sandbox.grading.runners.TrustedInProcessRunner"
    with pytest.raises(ImproperlyConfigured):
        backends.grading_backend()
