"""Each version (learner, cohort) read once per request (apps/progress/versioned.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from apps.progress.versioned import versions_read_once


def versions_read_once_middleware(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    def middleware(request: HttpRequest) -> HttpResponseBase:
        with versions_read_once():
            return get_response(request)

    return middleware
