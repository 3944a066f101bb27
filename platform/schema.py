"""The OpenAPI schema class: every operation documents the errors it can answer with.

DRF answers errors in two shapes: ``{"detail": "..."}`` (401, 403, 404, 409, 429, 503) and,
for invalid input, an object of field name -> messages (400). Which statuses an operation
can return follows from how it is built, so they are added here rather than per view:

- 400 when it reads a request body or query parameters;
- 401 always (an invalid or expired token is refused before any permission check);
- 403 for unsafe methods (session requests need a CSRF token);
- 404 when its path has parameters;
- 429 when a throttle applies to its method;
- 503 always (the database can't be reached: dlmath.errors answers it, with Retry-After).

A view declares any other status it returns, or a reason of its own for one of these (the
grading queue's 503), with ``@extend_schema(responses={503: OpenApiResponse(description=
...)})``; a declared error without a body gets the error body.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

VALIDATION_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "Field name (or non_field_errors) -> list of messages; a body that cannot be "
        "parsed gives {detail}."
    ),
    "additionalProperties": {},
}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class ApiErrorSerializer(serializers.Serializer[Any]):
    """Every error but invalid input: what went wrong, for a person to read."""

    detail = serializers.CharField()


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, response in responses.items():
            if code >= "400" and "content" not in response:
                responses[code] = self._error_response(code, response.get("description", ""))
        for code, description in self._implied_errors():
            responses.setdefault(code, self._error_response(code, description))
        return responses

    def _error_response(self, code: str, description: str) -> dict[str, Any]:
        body = VALIDATION_ERROR_SCHEMA if code == "400" else ApiErrorSerializer
        # drf-spectacular's helper is untyped; it returns the response object for the code.
        response: dict[str, Any] = self._get_response_for_code(body, code)  # type: ignore[no-untyped-call]
        response["description"] = description or response.get("description", "")
        return response

    def _implied_errors(self) -> list[tuple[str, str]]:
        errors = []
        if self._reads_input():
            errors.append(("400", "invalid input"))
        errors.append(("401", "no valid credentials"))
        if self.method in UNSAFE_METHODS:
            errors.append(("403", "not allowed (or a session request without its CSRF token)"))
        if "{" in self.path:
            errors.append(("404", "no such object, or not one of yours"))
        if self._throttled():
            errors.append(("429", "too many requests; retry after the time the message says"))
        errors.append(
            ("503", "briefly unavailable (the database can't be reached); see Retry-After")
        )
        return errors

    def _reads_input(self) -> bool:
        if self.method in UNSAFE_METHODS and self.get_request_serializer() is not None:
            return True
        parameters = self._get_parameters()
        return any(parameter.get("in") == "query" for parameter in parameters)

    def _throttled(self) -> bool:
        for throttle in self.view.get_throttles():
            methods = getattr(throttle, "methods", None)
            if methods is None or self.method in methods:
                return True
        return False
