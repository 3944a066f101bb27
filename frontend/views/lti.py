"""The pages an LTI launch hands over to, shown inside the LMS's frame.

The protocol endpoints (apps/lti) verify the platform's JWT and redirect here with a signed
token; these views trust only that token (``apps.lti.tokens``), not a session: inside a
frame the browser may withhold our cookies.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.curriculum.selectors import modules_outline
from apps.lti.framing import framed_in_lms
from apps.lti.tokens import TokenInvalid, deep_link_token_read, handoff_token_read


def _expired(request: HttpRequest, invalid: TokenInvalid) -> HttpResponse:
    return framed_in_lms(render(request, "lti/expired.html", {"message": str(invalid)}, status=403))


@require_GET
def deep_link_picker(request: HttpRequest) -> HttpResponse:
    """An instructor picks modules or exercises to add to their LMS course (Deep Linking)."""
    token = request.GET.get("token", "")
    try:
        deep_link_token_read(token)
    except TokenInvalid as invalid:
        return _expired(request, invalid)
    return framed_in_lms(
        render(request, "lti/deep_link_picker.html", {"token": token, "modules": modules_outline()})
    )


@require_GET
def open_in_new_tab(request: HttpRequest) -> HttpResponse:
    """A launch the LMS framed: one link that signs the learner in, in a tab of its own."""
    token = request.GET.get("token", "")
    try:
        handoff = handoff_token_read(token)
    except TokenInvalid as invalid:
        return _expired(request, invalid)
    return framed_in_lms(
        render(request, "lti/open_in_new_tab.html", {"token": token, "title": handoff.title})
    )
