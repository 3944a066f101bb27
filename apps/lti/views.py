"""The LTI 1.3 protocol endpoints a platform calls (and the browser it sends).

They are DRF views so they appear in the OpenAPI schema (and its fuzz test), but they
answer as the protocol wants: redirects, JSON, and the deep-linking response's form post.
Pages a person reads (the deep-linking picker, the "open in a new tab" hand-off) are
frontend's: a launch hands over to them with a signed token (``tokens``). No session or CSRF
applies: every request proves itself with the platform's signed JWT (or our signed token),
checked in ``tool``, ``tokens`` and ``services``; anything that fails a check is refused with
400/403 and a sentence (``lti/refused.html``), never an error page.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from lti_tool.models import LtiLaunch
from lti_tool.utils import sync_data_from_launch
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.lti import tokens, tool
from apps.lti.framing import framed_in_lms
from apps.lti.services import launches
from apps.lti.services.cohorts import roles_teach
from apps.progress.auth import BACKEND

logger = logging.getLogger(__name__)

# Where a launch hands over to a page (frontend's, by URL name: no import of frontend).
PICKER_PAGE = "lti-deep-link-picker"
HANDOFF_PAGE = "lti-open-in-new-tab"
FRAMED_TARGETS = {"iframe", "frame", "embed"}


def _refuse(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    # Framable: a refusal is usually shown inside the LMS's frame, and must be readable there.
    return framed_in_lms(render(request, "lti/refused.html", {"message": message}, status=status))


def _to_page(name: str, token: str) -> HttpResponseRedirect:
    """See Other: the browser GETs the page, so a reload never re-posts the launch."""
    response = HttpResponseRedirect(f"{reverse(name)}?{urlencode({'token': token})}")
    response.status_code = 303
    return response


class _ProtocolView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser, MultiPartParser]


class JwksView(_ProtocolView):
    """The tool's public keys: platforms verify our deep-link responses and service tokens."""

    @extend_schema(
        responses=inline_serializer(
            "Jwks", {"keys": serializers.ListField(child=serializers.DictField())}
        ),
        tags=["lti"],
    )
    def get(self, request: Request) -> Response:
        return Response(tool.tool_jwks())


def _login_fields() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    return {
        "iss": serializers.CharField(),
        "login_hint": serializers.CharField(),
        "target_link_uri": serializers.CharField(required=False),
        "lti_message_hint": serializers.CharField(required=False),
        "client_id": serializers.CharField(required=False),
        "lti_deployment_id": serializers.CharField(required=False),
    }


class OidcLoginView(_ProtocolView):
    """Third-party login initiation: the platform names itself, we redirect to its auth URL
    with a fresh state (cookie) and nonce."""

    def _login(self, request: Request, registration_uuid: Any) -> HttpResponse:
        try:
            return tool.oidc_login(request._request, registration_uuid=registration_uuid)
        except Exception as exc:  # pylti1p3's OIDCException, a malformed request
            logger.info("LTI login refused: %s", type(exc).__name__)
            return _refuse(
                request._request,
                "This LMS is not registered with dlmath (or sent an incomplete login).",
                status=400,
            )

    @extend_schema(
        parameters=[inline_serializer("OidcLoginQuery", _login_fields())],
        responses={302: OpenApiResponse(description="to the platform's auth URL"), 400: None},
        tags=["lti"],
    )
    def get(self, request: Request, registration_uuid: Any = None) -> HttpResponse:
        return self._login(request, registration_uuid)

    @extend_schema(
        request=inline_serializer("OidcLoginForm", _login_fields()),
        responses={302: OpenApiResponse(description="to the platform's auth URL"), 400: None},
        tags=["lti"],
    )
    def post(self, request: Request, registration_uuid: Any = None) -> HttpResponse:
        return self._login(request, registration_uuid)


class OidcLoginForRegistrationView(OidcLoginView):
    """The same, for a platform that names no client id: the URL names its registration."""

    @extend_schema(
        operation_id="lti_login_for_registration_retrieve",
        parameters=[inline_serializer("OidcLoginForQuery", _login_fields())],
        responses={302: OpenApiResponse(description="to the platform's auth URL"), 400: None},
        tags=["lti"],
    )
    def get(self, request: Request, registration_uuid: Any = None) -> HttpResponse:
        return self._login(request, registration_uuid)

    @extend_schema(
        operation_id="lti_login_for_registration_create",
        request=inline_serializer("OidcLoginForForm", _login_fields()),
        responses={302: OpenApiResponse(description="to the platform's auth URL"), 400: None},
        tags=["lti"],
    )
    def post(self, request: Request, registration_uuid: Any = None) -> HttpResponse:
        return self._login(request, registration_uuid)


def _looks_like_a_token(value: object) -> bool:
    # State and id_token are ASCII (uuid, base64url); anything else is refused before it
    # becomes a cache key.
    return (
        isinstance(value, str)
        and 0 < len(value) < 20_000
        and value.isascii()
        and value.isprintable()
    )


class LaunchView(_ProtocolView):
    """The launch: the platform's browser posts a signed id_token. A resource link signs the
    learner in and opens the exercise or module; a deep-linking request opens the picker."""

    @extend_schema(
        request=inline_serializer(
            "LtiLaunchForm", {"id_token": serializers.CharField(), "state": serializers.CharField()}
        ),
        responses={
            302: OpenApiResponse(description="signed in: to the linked page"),
            303: OpenApiResponse(description="to the picker, or to the new-tab hand-off"),
            403: OpenApiResponse(description="refused, with the reason"),
        },
        tags=["lti"],
    )
    def post(self, request: Request) -> HttpResponse:
        django_request = request._request
        if not all(_looks_like_a_token(django_request.POST.get(k)) for k in ("id_token", "state")):
            return _refuse(
                django_request, gettext("This launch could not be verified; start it again.")
            )
        try:
            launch = LtiLaunch(tool.message_launch_validate(django_request))
        except Exception as exc:  # every failed check: signature, state, nonce, registration
            logger.info("LTI launch refused: %s: %s", type(exc).__name__, str(exc)[:200])
            return _refuse(
                django_request, gettext("This launch could not be verified; start it again.")
            )
        try:
            return self._launched(django_request, launch)
        except launches.LaunchRefused as refusal:
            return _refuse(django_request, str(refusal))

    def _launched(self, request: HttpRequest, launch: LtiLaunch) -> HttpResponse:
        """After the protocol checks: spend the nonce, record the launch, answer it."""
        body = launch.get_launch_data()
        launches.launch_nonce_spend(
            issuer=str(body.get("iss")),
            nonce=str(body.get("nonce") or ""),
            expires_at=datetime.fromtimestamp(int(body["exp"]), tz=UTC),
        )
        with transaction.atomic():
            sync_data_from_launch(launch)
        if not launch.deployment.is_active:
            raise launches.LaunchRefused(
                "This LMS deployment is not activated in dlmath yet; ask its administrator."
            )
        if launch.is_deep_link_launch:
            return self._deep_link_picker(launch)
        if not launch.is_resource_launch:
            raise launches.LaunchRefused(
                gettext("dlmath supports resource links and deep linking.")
            )
        outcome = launches.lti_launch_sign_in(launch=launch)
        presentation = launch.launch_presentation_claim or {}
        if presentation.get("document_target") in FRAMED_TARGETS:
            # Inside the LMS's frame our cookies may be withheld: open a new tab that signs
            # in there, with a one-time token.
            token = tokens.handoff_token_issue(
                user=outcome.user,
                next_url=outcome.redirect_to,
                title=outcome.target.title if outcome.target else "",
                launch_id=launch.get_launch_id(),
            )
            return _to_page(HANDOFF_PAGE, token)
        login(request, outcome.user, backend=BACKEND)
        return HttpResponseRedirect(outcome.redirect_to)

    def _deep_link_picker(self, launch: LtiLaunch) -> HttpResponse:
        if not roles_teach(launch.roles_claim or []):
            raise launches.LaunchRefused(
                gettext("Only an instructor can add dlmath content to a course.")
            )
        # The instructor's account and the course's cohort exist from the first visit on.
        launches.lti_launch_sign_in(launch=launch)
        token = tokens.deep_link_token_issue(launch_id=launch.get_launch_id())
        return _to_page(PICKER_PAGE, token)


class DeepLinkResponseView(_ProtocolView):
    """The instructor's picks go back to the LMS as a deep-linking response JWT we sign."""

    @extend_schema(
        request=inline_serializer(
            "DeepLinkForm",
            {
                "token": serializers.CharField(),
                "items": serializers.ListField(child=serializers.CharField()),
            },
        ),
        responses={
            (200, "text/html"): OpenApiResponse(OpenApiTypes.STR, description="posts to the LMS"),
            403: OpenApiResponse(description="expired or forged token"),
        },
        tags=["lti"],
    )
    def post(self, request: Request) -> HttpResponse:
        django_request = request._request
        try:
            launch_id = tokens.deep_link_token_read(str(request.data.get("token", "")))
            message_launch = tool.message_launch_resume(django_request, launch_id)
            deep_link = message_launch.get_deep_link()
            settings_claim = message_launch.get_launch_data()[
                "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
            ]
            return_url = str(settings_claim["deep_link_return_url"])
        except Exception as exc:  # a bad signature, an expired launch, a non-deep-link launch
            logger.info("LTI deep-link response refused: %s", type(exc).__name__)
            return _refuse(
                django_request, gettext("This selection expired; open the picker again.")
            )
        items = request.data.getlist("items") if hasattr(request.data, "getlist") else []
        resources = launches.deep_link_resources(selections=items)
        jwt_value = deep_link.get_response_jwt(resources)
        parts = urlsplit(return_url)
        return framed_in_lms(
            render(
                django_request,
                "lti/deep_link_response.html",
                {"return_url": return_url, "jwt": jwt_value, "count": len(resources)},
            ),
            form_action=f"{parts.scheme}://{parts.netloc}",
        )


class ContinueView(_ProtocolView):
    """The new tab opened from a framed launch: spend the one-time token, sign in, go on."""

    @extend_schema(
        parameters=[inline_serializer("ContinueQuery", {"token": serializers.CharField()})],
        responses={302: OpenApiResponse(description="signed in"), 403: None},
        tags=["lti"],
    )
    def get(self, request: Request) -> HttpResponse:
        django_request = request._request
        try:
            user, target = tokens.handoff_token_spend(
                str(request.query_params.get("token", "")), host=django_request.get_host()
            )
        except tokens.TokenInvalid as invalid:
            return _refuse(django_request, str(invalid))
        login(django_request, user, backend=BACKEND)
        return HttpResponseRedirect(target)
