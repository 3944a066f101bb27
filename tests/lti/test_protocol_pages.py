"""What the LTI endpoints answer themselves (a refusal, the deep-linking return form) is a
standalone page: readable in the LMS's frame, nothing from another host, no inline script."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def assert_self_contained(html: str) -> None:
    """Every script and stylesheet is a file of this site's; no script is inline."""
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    for attributes, body in scripts:
        assert re.search(r'\bsrc="/static/', attributes), attributes
        assert body.strip() == ""
    for href in re.findall(r'<link\b[^>]*\bhref="([^"]+)"', html):
        assert href.startswith("/static/"), href
    assert "://" not in " ".join(re.findall(r'\b(?:src|href)="([^"]+)"', html))


@pytest.mark.parametrize(
    ("url", "data", "status", "says"),
    [
        ("/lti/launch/", {"id_token": "x", "state": "y"}, 403, "could not be verified"),
        ("/lti/launch/", {}, 403, "could not be verified"),
        ("/lti/deep-link/", {"token": "forged", "items": ["exercise:softmax"]}, 403, "expired"),
        ("/lti/login/", {"iss": "https://nobody.test", "login_hint": "1"}, 400, "not registered"),
    ],
)
def test_a_refusal_says_why_and_can_be_read_inside_the_lms(
    client: Any, url: str, data: dict[str, Any], status: int, says: str
) -> None:
    response = client.post(url, data)
    assert response.status_code == status
    html = response.content.decode()
    assert says in html
    assert "frame-ancestors 'self' https:" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    assert_self_contained(html)
    # No site chrome: the protocol's answers do not depend on frontend's pages.
    assert "site-header" not in html
    assert 'href="/static/lti/protocol.css"' in html


def test_a_spent_or_forged_hand_off_link_is_refused(client: Any) -> None:
    response = client.get("/lti/continue/", {"token": "forged"})
    assert response.status_code == 403
    assert "open dlmath again from your course" in response.content.decode()
    assert "_auth_user_id" not in client.session
