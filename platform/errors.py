"""Server errors as a user should see them: no stack trace, and an outage says it is one.

Django answers any uncaught exception with its 500 page. While the database is down
(restarting, failing over) that is wrong twice over: it is not a bug, and an API client gets
HTML. ``server_error`` (the project's handler500) answers a database that can't be reached
with 503 and Retry-After, as JSON under /api/ and a plain page elsewhere; any other error
stays a 500, as JSON under /api/ too. It reads neither the database nor the session, since
either may be what failed, and renders its page without the request's context.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext_lazy
from django.views import defaults

from apps.sandbox.grading.limits import MAX_CODE_BYTES

RETRY_AFTER_SECONDS = 10
UNAVAILABLE = gettext_lazy(
    "The service is briefly unavailable (its database can't be reached). Try again shortly."
)
SERVER_ERROR = gettext_lazy("Something went wrong on our side. The error has been logged.")


def _database_unavailable() -> bool:
    # handler500 runs inside Django's `except` block: the exception is the one being handled.
    exc = sys.exc_info()[1]
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    unavailable = _database_unavailable()
    status = 503 if unavailable else 500
    if request.path.startswith("/api/"):
        code = "service_unavailable" if unavailable else "server_error"
        response: HttpResponse = JsonResponse(
            {"detail": UNAVAILABLE if unavailable else SERVER_ERROR, "code": code}, status=status
        )
    else:
        page = loader.get_template("503.html" if unavailable else "500.html").render()
        response = HttpResponse(page, status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The project's handler400: JSON under /api/, Django's page elsewhere.

    A body over DATA_UPLOAD_MAX_MEMORY_SIZE never reaches the submissions API's own size
    check, so a submission that large gets the same reason here, under ``code`` as the
    serializer's errors are (the exercise page shows it), with 413.
    """
    if not request.path.startswith("/api/"):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        reason = (
            f"the request is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes; "
            f"the limit for code is {MAX_CODE_BYTES:,} bytes ({MAX_CODE_BYTES // 1024} KiB)"
        )
        return JsonResponse({"code": [reason], "detail": reason}, status=413)
    return JsonResponse({"detail": "Bad request."}, status=400)
