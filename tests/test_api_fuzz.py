"""Fuzz the REST API from its own OpenAPI schema: no 500s; every status and body it answers
with is one its schema documents.

Bounded (a handful of examples per operation) so it stays a test, not a soak.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from dlmath.wsgi import application

# Generating the schema reads no database, so it can load at collection time.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_transactions_connection():
    """Like Django's test client: a request must not close the connection the test runs in."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(make_user) -> str:
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=make_user("fuzzer")).key


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@pytest.mark.django_db
def test_the_api_never_errors_and_answers_as_its_schema_says(case, token) -> None:
    response = case.call(headers={"Authorization": f"Token {token}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
    )
    case.validate_response(response, checks=[status_code_conformance, response_schema_conformance])
