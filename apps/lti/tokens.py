"""Signed tokens that carry a verified launch across a redirect or into a new tab.

The launch endpoint checks the platform's JWT once; the pages it hands over to (the
deep-linking picker, the "open in a new tab" hand-off, both frontend pages) and the
endpoints they lead back to trust only these tokens: signed with the site's secret, salted per
use, and short-lived. A hand-off token signs its holder in, so it is spent on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core import signing
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from apps.lti.services.launches import LaunchRefused, launch_nonce_spend
from apps.lti.tool import LAUNCH_DATA_LIFETIME

DEEP_LINK_SALT = "dlmath.lti.deep-link"
HANDOFF_SALT = "dlmath.lti.handoff"
HANDOFF_MAX_AGE = 120


class TokenInvalid(Exception):
    """Forged, expired or already spent; says what the person should do."""


def deep_link_token_issue(*, launch_id: str) -> str:
    """For an instructor's verified deep-linking launch: what the picker posts back."""
    return signing.dumps(launch_id, salt=DEEP_LINK_SALT)


def deep_link_token_read(token: str) -> str:
    """The launch id a picker token stands for (raises TokenInvalid)."""
    try:
        return str(signing.loads(token, salt=DEEP_LINK_SALT, max_age=LAUNCH_DATA_LIFETIME))
    except signing.BadSignature:
        raise TokenInvalid(gettext("This selection expired; open the picker again.")) from None


@dataclass(frozen=True)
class Handoff:
    user_id: int
    next_url: str
    title: str
    jti: str


def handoff_token_issue(*, user: User, next_url: str, title: str, launch_id: str) -> str:
    """For a launch framed by the LMS: signs ``user`` in once, in a new tab, within 2 min."""
    payload = {"user": user.pk, "next": next_url, "title": title, "jti": launch_id}
    return signing.dumps(payload, salt=HANDOFF_SALT)


def handoff_token_read(token: str) -> Handoff:
    """What a hand-off token says, without spending it (raises TokenInvalid)."""
    try:
        data: dict[str, Any] = signing.loads(token, salt=HANDOFF_SALT, max_age=HANDOFF_MAX_AGE)
        return Handoff(
            user_id=int(data["user"]),
            next_url=str(data.get("next") or "/"),
            title=str(data.get("title") or ""),
            jti=str(data["jti"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise TokenInvalid(
            gettext("This link expired; open dlmath again from your course.")
        ) from None


def handoff_token_spend(token: str, *, host: str) -> tuple[User, str]:
    """The account to sign in and the page to open (on ``host`` only). Spends the token:
    a second use, from any browser, raises TokenInvalid."""
    handoff = handoff_token_read(token)
    try:
        launch_nonce_spend(
            issuer="dlmath:handoff",
            nonce=handoff.jti,
            expires_at=timezone.now() + timedelta(seconds=HANDOFF_MAX_AGE),
        )
    except LaunchRefused as refusal:
        raise TokenInvalid(str(refusal)) from None
    user = get_user_model().objects.filter(pk=handoff.user_id, is_active=True).first()
    if user is None:
        raise TokenInvalid(gettext("This link expired; open dlmath again from your course."))
    target = handoff.next_url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={host}):
        target = "/"
    return user, target
