"""Responses an LMS shows inside its own frame (the picker, the hand-off, the return form).

Framable from any https origin (a platform's real host is not known from its registration);
scripts still only from this site, and forms post only here or where the launch said.
"""

from __future__ import annotations

from django.http import HttpResponse

FRAMED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self' {form_action}; frame-ancestors 'self' https:"
)


def framed_in_lms(response: HttpResponse, *, form_action: str = "") -> HttpResponse:
    """Let an LMS frame ``response``; ``form_action`` adds the one origin a form may post to."""
    response.headers["Content-Security-Policy"] = FRAMED_CSP.format(form_action=form_action)
    response.xframe_options_exempt = True
    return response
