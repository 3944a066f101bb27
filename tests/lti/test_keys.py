"""The tool's key comes from the environment or the database, and only its public half is
ever published."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from tests.lti.lms import new_key_pem

pytestmark = pytest.mark.django_db


def test_no_key_is_built_in(client, settings) -> None:
    from apps.lti.tool import tool_key_pair

    settings.LTI_PRIVATE_KEY = ""
    assert client.get("/lti/jwks.json").json() == {"keys": []}
    with pytest.raises(ImproperlyConfigured, match="DLMATH_LTI_PRIVATE_KEY"):
        tool_key_pair()


def test_the_key_is_read_from_the_environment_and_nowhere_else() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    private, _ = new_key_pem()
    escaped = private.strip().replace("\n", "\\n")
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from apps.lti.tool import tool_key_pair; print(tool_key_pair()[0].strip() == "
        f"{private.strip()!r}); print(repr(settings.XAPI_LRS_PASSWORD))"
    )
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "dlmath.settings"}
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={**env, "DLMATH_LTI_PRIVATE_KEY": escaped, "DATABASE_URL": "sqlite:///:memory:"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["True", "''"]


def test_a_database_key_is_used_and_published_without_its_private_half(client, settings) -> None:
    from apps.lti.tool import tool_key_pair

    settings.LTI_PRIVATE_KEY = ""
    call_command("rotate_keys", stdout=io.StringIO())
    private, _public = tool_key_pair()
    assert "PRIVATE KEY" in private
    (jwk,) = client.get("/lti/jwks.json").json()["keys"]
    assert jwk["alg"] == "RS256"
    assert jwk["use"] == "sig"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(jwk)
    body = client.get("/lti/jwks.json").content.decode()
    assert "PRIVATE" not in body


def test_an_environment_key_is_published_beside_active_database_keys(client, settings) -> None:
    settings.LTI_PRIVATE_KEY = new_key_pem()[0].replace("\n", "\\n")
    call_command("rotate_keys", stdout=io.StringIO())
    assert len(client.get("/lti/jwks.json").json()["keys"]) == 2
