"""The course's revision read once per request, however many parts of a page ask for it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from apps.curriculum.selectors import curriculum_revision_read_once


def curriculum_revision_middleware(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    def middleware(request: HttpRequest) -> HttpResponseBase:
        with curriculum_revision_read_once():
            return get_response(request)

    return middleware
