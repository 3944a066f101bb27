"""The project's foundations: imports, settings from the environment, compose, health."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _settings_in_subprocess(env: dict[str, str]) -> dict:
    """Import settings in a fresh interpreter with exactly ``env`` (plus PATH)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
        " 'broker': s.CELERY_BROKER_URL, 'cache': s.CACHES['default']['BACKEND'], 'debug': s.DEBUG,"
        " 'secret': s.SECRET_KEY, 'hsts': s.SECURE_HSTS_SECONDS, 'secure_cookie': s.SESSION_COOKIE_SECURE}))"
    )
    full_env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "dlmath.settings", **env}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_stdlib_platform_and_uuid_still_import_under_django() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); import platform, uuid; "
            "print(platform.system(), uuid.uuid4().version)",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "dlmath.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["Linux", "4"]


def test_platform_folder_is_not_a_package_named_platform() -> None:
    assert not (ROOT / "platform" / "__init__.py").exists()
    import dlmath.settings

    assert Path(dlmath.settings.__file__).parent == ROOT / "platform"


def test_no_environment_gives_sqlite_eager_celery_and_local_cache() -> None:
    settings = _settings_in_subprocess({})
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["eager"] is True
    assert settings["broker"] == "memory://"
    assert settings["cache"].endswith("LocMemCache")
    assert settings["debug"] is False


def test_database_url_and_redis_url_switch_to_the_real_services() -> None:
    settings = _settings_in_subprocess(
        {"DATABASE_URL": "postgres://u@db.example:5432/dlmath", "REDIS_URL": "redis://cache:6379/0"}
    )
    assert settings["engine"] == "dlmath.db.postgresql"  # Django's, health check by poll
    assert settings["eager"] is False
    assert settings["broker"] == "redis://cache:6379/0"
    assert settings["cache"].endswith("RedisCache")


def test_secret_key_comes_from_the_environment_only() -> None:
    assert _settings_in_subprocess({"DJANGO_SECRET_KEY": "k" * 60})["secret"] == "k" * 60
    # Without it each process draws its own: nothing fixed is ever in the code.
    assert _settings_in_subprocess({})["secret"] != _settings_in_subprocess({})["secret"]
    settings_source = (ROOT / "platform" / "settings.py").read_text()
    assert not re.search(r"SECRET_KEY\s*=\s*['\"]", settings_source)


def test_debug_is_off_unless_asked_for() -> None:
    assert _settings_in_subprocess({"DLMATH_DEBUG": "1"})["debug"] is True
    assert _settings_in_subprocess({"DLMATH_DEBUG": "0"})["debug"] is False


def test_check_deploy_is_clean_with_production_variables() -> None:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "dlmath.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "dlmath.example",
        "DJANGO_SECURE_SSL_REDIRECT": "1",
        "DATABASE_URL": "postgres://u@db.example:5432/dlmath",
    }
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_web_worker_redis_and_postgres() -> None:
    services = _compose()["services"]
    assert set(services) == {"web", "worker", "redis", "postgres"}
    assert "gunicorn dlmath.wsgi" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A dlmath worker")
    assert (ROOT / "Dockerfile").exists()


def test_compose_names_modules_and_variables_the_code_reads() -> None:
    import importlib

    compose = _compose()
    for service in ("web", "worker"):
        env = compose["services"][service]["environment"]
        settings_module = env["DJANGO_SETTINGS_MODULE"]
        importlib.import_module(settings_module)
        settings_source = (ROOT / "platform" / "settings.py").read_text()
        for name in env:
            if name != "DJANGO_SETTINGS_MODULE":
                assert f'"{name}"' in settings_source, (
                    f"{service} sets {name}, which settings never read"
                )
    # The Celery app and the WSGI entry point the commands name really exist.
    from dlmath.celery import app
    from dlmath.wsgi import application

    assert app.main == "dlmath"
    assert callable(application)
    # Both URLs point at the compose services by name.
    web_env = compose["services"]["web"]["environment"]
    assert "@postgres:5432/" in web_env["DATABASE_URL"]
    assert web_env["REDIS_URL"].startswith("redis://redis:6379")


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client) -> None:
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


@pytest.mark.django_db
def test_healthz_names_the_broker_as_down_but_still_serves(client, settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    # Pages and reads still work without Redis: a load balancer must keep this process.
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["broker"]["ok"] is False
    assert body["grading"]["ok"] is False
    assert body["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_reports_pending_submissions(client, alice) -> None:
    from apps.curriculum.models import Exercise
    from apps.sandbox.models import Submission

    Submission.objects.create(user=alice, exercise=Exercise.objects.get(slug="softmax"), code="x")
    grading = client.get("/healthz").json()["grading"]
    assert grading["pending"] == 1
    assert grading["oldest_pending_s"] >= 0


@pytest.mark.django_db
def test_an_api_request_during_a_database_outage_gets_a_json_503() -> None:
    # The handler's half of the outage, quickly: the database refuses every connection.
    # (A real PostgreSQL restarted under load: tests/services/test_resilience.py.)
    from django.db import connection
    from django.test import Client

    client = Client(raise_request_exception=False)
    real_ensure = connection.ensure_connection

    def refuse() -> None:
        from django.db import OperationalError

        raise OperationalError("connection refused (the database is restarting)")

    connection.ensure_connection = refuse  # type: ignore[method-assign]
    try:
        api = client.get("/api/v1/modules/", HTTP_AUTHORIZATION="Token abc")
        page = client.get("/learn/")
    finally:
        connection.ensure_connection = real_ensure  # type: ignore[method-assign]
    assert api.status_code == 503
    assert api["Content-Type"] == "application/json"
    assert "try again" in api.json()["detail"].lower()
    assert page.status_code == 503
    assert "Traceback" not in page.content.decode()
    assert "Briefly unavailable" in page.content.decode()


def test_every_api_operation_documents_the_503_an_outage_answers(client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = [
        (method, path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    assert operations
    for method, path, operation in operations:
        unavailable = operation["responses"].get("503")
        assert unavailable, f"{method.upper()} {path} does not document 503"
        assert "content" in unavailable, f"{method.upper()} {path}: 503 without its error body"
