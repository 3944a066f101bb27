"""The signed-in user of a request, typed as the concrete user model."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from rest_framework.request import Request


def authenticated_user(request: HttpRequest | Request) -> User:
    """``request.user`` in a view behind ``login_required`` or DRF's ``IsAuthenticated``.

    Those guards already turned anonymous visitors away; this narrows the type from
    ``User | AnonymousUser`` for the type checker and fails loudly if a guard is missing.
    """
    user = request.user
    assert user.is_authenticated, "this view must require a signed-in user"
    return user
