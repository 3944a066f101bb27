"""/api/docs/: Swagger UI served from the deployment, under the site's CSP (issue 16)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_api_docs_load_everything_from_this_site(client: Any) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in s for s in sources)
    for source in sources:
        assert not re.match(r"(https?:)?//", source), f"{source} comes from another host"
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), f"{source} is not shipped"
    # No inline script: the start-up script is its own request, so the CSP applies.
    assert "<script>" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_api_docs_start_up_script_points_at_the_schema(client: Any) -> None:
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()
