"""Where learner code runs, chosen by the ``SANDBOX_BACKEND`` setting (like SESSION_ENGINE).

A backend runs code on calls and answers with the runner's RunResult. Only a backend that
isolates learner code may grade submissions: `grading_backend()` refuses any other, so no
setting can make the site run learner code unconfined.
"""

from __future__ import annotations

import abc
import atexit
import threading
from functools import cache
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from apps.sandbox.runner import Limits, PendingRun, RunResult, SandboxUnavailable, ZygotePool


class GradingBackend(abc.ABC):
    """Base class: a subclass provides ``run`` and says whether it isolates learner code."""

    isolated: ClassVar[bool]

    @abc.abstractmethod
    def run(self, code: str, calls: list[dict[str, Any]], limits: Limits) -> RunResult:
        """Run ``code`` as module ``submission`` and call each of ``calls`` on it.

        Raises SandboxUnavailable when the code cannot be run safely; never runs it anyway.
        """


class _PoolHolder:
    """This process's zygote pool, started and self-tested on first use.

    A failure is remembered: later calls raise the same SandboxUnavailable without retrying
    (a worker that cannot isolate stays refusing, and says why each time).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ZygotePool | None = None
        self._failure: str | None = None

    def get(self, slots: int) -> ZygotePool:
        with self._lock:
            if self._pool is not None:
                return self._pool
            if self._failure is not None:
                raise SandboxUnavailable(self._failure)
            try:
                self._pool = self._start(slots)
            except SandboxUnavailable as exc:
                self._failure = str(exc)
                raise
            return self._pool

    @staticmethod
    def _start(slots: int) -> ZygotePool:
        # Creating the pool self-tests every zygote it starts (and every later restart).
        pool = ZygotePool(slots)
        # Release the slot locks and remove the slot cgroups when the process exits.
        atexit.register(pool.close)
        return pool


_pool = _PoolHolder()


class ZygotePoolBackend(GradingBackend):
    """The sandbox: ``SANDBOX_SLOTS`` warm zygotes per process, every run fully isolated."""

    isolated = True

    def run(self, code: str, calls: list[dict[str, Any]], limits: Limits) -> RunResult:
        return sandbox_pool().run(code, calls, limits)

    def start(self, code: str, calls: list[dict[str, Any]], limits: Limits) -> PendingRun:
        """The run begun, for the caller to work meanwhile (see ZygotePool.start)."""
        return sandbox_pool().start(code, calls, limits)


def sandbox_pool() -> ZygotePool:
    """This process's pool of ``settings.SANDBOX_SLOTS`` slots (a Celery worker warms it)."""
    return _pool.get(settings.SANDBOX_SLOTS)


@cache
def grading_backend() -> GradingBackend:
    """The configured backend, one instance per process."""
    backend_class = import_string(settings.SANDBOX_BACKEND)
    if not (isinstance(backend_class, type) and issubclass(backend_class, GradingBackend)):
        raise ImproperlyConfigured(
            f"SANDBOX_BACKEND {settings.SANDBOX_BACKEND} is no GradingBackend"
        )
    if not backend_class.isolated:
        raise ImproperlyConfigured(
            f"SANDBOX_BACKEND {settings.SANDBOX_BACKEND} does not isolate learner code"
        )
    return backend_class()
