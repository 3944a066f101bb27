"""The LRS over HTTP: POST statements to ``<endpoint>/statements`` with basic auth.

Configured only from settings (the environment): DLMATH_XAPI_LRS_ENDPOINT, _USERNAME,
_PASSWORD. Errors say what happened without the credentials: they go in a header, never in
the URL or a message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings


@dataclass(frozen=True)
class LrsAnswer:
    ok: bool
    status_code: int | None
    # Short and free of secrets: stored on the delivery, shown to operators.
    detail: str

    @property
    def rejected(self) -> bool:
        """The LRS refused the statements themselves (retrying the same bytes won't help)."""
        return self.status_code == 400

    @property
    def conflict(self) -> bool:
        return self.status_code == 409


def _redact(text: str) -> str:
    secret = str(getattr(settings, "XAPI_LRS_PASSWORD", "") or "")
    return text.replace(secret, "***") if secret else text


def lrs_configured() -> bool:
    return bool(getattr(settings, "XAPI_LRS_ENDPOINT", ""))


def _statements_url() -> str:
    return str(settings.XAPI_LRS_ENDPOINT).rstrip("/") + "/statements"


def lrs_post_statements(statements: list[dict[str, Any]]) -> LrsAnswer:
    """Send a batch. Never raises for network or HTTP failures: the answer says what failed."""
    try:
        response = requests.post(
            _statements_url(),
            data=json.dumps(statements),
            headers={
                "Content-Type": "application/json",
                "X-Experience-API-Version": settings.XAPI_VERSION,
            },
            auth=(settings.XAPI_LRS_USERNAME, settings.XAPI_LRS_PASSWORD),
            timeout=(settings.XAPI_CONNECT_TIMEOUT, settings.XAPI_TIMEOUT),
        )
    except requests.RequestException as exc:
        return LrsAnswer(
            ok=False, status_code=None, detail=_redact(f"{type(exc).__name__}: {exc}")[:500]
        )
    if 200 <= response.status_code < 300:
        return LrsAnswer(ok=True, status_code=response.status_code, detail="")
    return LrsAnswer(
        ok=False,
        status_code=response.status_code,
        detail=_redact(f"HTTP {response.status_code}: {response.text[:300]}"),
    )
