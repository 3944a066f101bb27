"""Security as a feature: headers, cookies, throttles and size limits, from the outside."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.test_platform import _settings_in_subprocess

pytestmark = pytest.mark.django_db


def _directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def test_pages_and_api_carry_a_csp_without_inline_scripts(client) -> None:
    for url in ("/api/v1/modules/", "/healthz", "/learn/"):
        response = client.get(url, follow=True)
        policy = _directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"


def test_production_settings_use_secure_cookies_and_hsts() -> None:
    production = _settings_in_subprocess({"DJANGO_SECRET_KEY": "s" * 10 + "0123456789abcdef" * 4})
    assert production["secure_cookie"] is True
    assert production["hsts"] >= 31_536_000


def test_login_for_a_token_is_throttled(api_client, make_user) -> None:
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    make_user("carol", password="a-long-password-1")
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "login": "3/min"}
    cache.clear()
    try:
        codes = [
            api_client.post(
                "/api/v1/auth/token/", {"username": "carol", "password": "guess"}, format="json"
            ).status_code
            for _ in range(4)
        ]
        right = api_client.post(
            "/api/v1/auth/token/",
            {"username": "carol", "password": "a-long-password-1"},
            format="json",
        )
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
        cache.clear()
    assert codes == [400, 400, 400, 429]
    assert right.status_code == 429, "even the right password waits once the budget is spent"


def test_a_request_body_over_the_limit_is_refused_and_stores_nothing(api_client, alice) -> None:
    from apps.sandbox.models import Submission

    api_client.force_authenticate(alice)
    response = api_client.post(
        "/api/v1/exercises/softmax/submissions/", {"code": "x" * (1024 * 1024)}, format="json"
    )
    assert response.status_code in (400, 413)
    assert Submission.objects.count() == 0


def test_api_writes_with_session_auth_need_the_csrf_token(alice) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        "/api/v1/exercises/softmax/hints/", content_type="application/json", data="{}"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_failed_logins_on_the_site_form_are_throttled(client, make_user, settings) -> None:
    make_user("dave", password="a-long-password-1")
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login": "3/min",
        },
    }
    cache.clear()
    try:
        codes = [
            client.post("/accounts/login/", {"username": "dave", "password": "guess"}).status_code
            for _ in range(4)
        ]
        blocked = client.post(
            "/accounts/login/", {"username": "dave", "password": "a-long-password-1"}
        )
    finally:
        cache.clear()
    assert codes == [200, 200, 200, 429]
    assert blocked.status_code == 429
    assert "Too many failed logins" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
