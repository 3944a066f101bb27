"""The LTI 1.3 protocol on PyLTI1p3 and django-lti, with dlmath's keys and stricter checks.

PyLTI1p3 verifies the id_token (signature against the platform's JWKS, issuer and client id,
deployment, state, nonce issued at login, message claims). On top of it: the tool's key
comes from the environment (DLMATH_LTI_PRIVATE_KEY) or django-lti's key table, a nonce is
spent on first use (PyLTI1p3 only checks it was issued, so a captured launch could be
replayed), ``exp`` and ``iat`` are required, and every outbound HTTP call has a timeout.
"""

from __future__ import annotations

import functools
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.cache import BaseCache, cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from lti_tool.models import Key, LtiRegistration
from lti_tool.utils import DjangoToolConfig
from pylti1p3.contrib.django.message_launch import DjangoMessageLaunch
from pylti1p3.contrib.django.oidc_login import DjangoOIDCLogin
from pylti1p3.exception import LtiException
from pylti1p3.launch_data_storage.cache import CacheDataStorage
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.registration import Registration

# How long a validated launch can be resumed (deep-link picker, hand-off to a new tab).
LAUNCH_DATA_LIFETIME = 3600
JWT_VERIFY_OPTIONS: dict[str, Any] = {"verify_aud": False, "require": ["exp", "iat"]}


@functools.lru_cache(maxsize=4)
def _public_pem_of(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _env_private_key() -> str:
    # Many secret stores hold one line: accept "\n" escapes as well as a real PEM.
    return str(getattr(settings, "LTI_PRIVATE_KEY", "") or "").replace("\\n", "\n").strip()


def tool_key_pair() -> tuple[str, str]:
    """(private PEM, public PEM) the tool signs with: the environment's, else the newest
    active key in the database (`manage.py rotate_keys`)."""
    private_pem = _env_private_key()
    if private_pem:
        return private_pem + "\n", _public_pem_of(private_pem + "\n")
    key = Key.objects.active().order_by("-datetime_created").first()
    if key is None:
        raise ImproperlyConfigured(
            "No LTI tool key: set DLMATH_LTI_PRIVATE_KEY or run `manage.py rotate_keys`."
        )
    return key.private_key, key.public_key


def tool_jwks() -> dict[str, list[dict[str, Any]]]:
    """Public keys platforms verify our JWTs with: the signing key and every active DB key
    (so a rotated key keeps verifying until it is deactivated)."""
    keys: list[dict[str, Any]] = []
    private_pem = _env_private_key()
    if private_pem:
        keys.append(dict(Registration.get_jwk(_public_pem_of(private_pem + "\n"))))
    keys.extend(key.as_jwk() for key in Key.objects.active().order_by("-datetime_created"))
    by_kid: dict[str, dict[str, Any]] = {}
    for key in keys:
        by_kid.setdefault(str(key["kid"]), key)  # the same key in both places: once
    return {"keys": list(by_kid.values())}


def registration_for(lti_registration: LtiRegistration) -> Registration:
    """PyLTI1p3's view of a platform registration, signing with the tool's key."""
    registration = Registration()
    registration.set_auth_login_url(lti_registration.auth_url)
    registration.set_auth_token_url(lti_registration.token_url)
    registration.set_client_id(lti_registration.client_id)
    registration.set_key_set_url(lti_registration.keyset_url)
    registration.set_issuer(lti_registration.issuer)
    if lti_registration.audience:
        registration.set_auth_audience(lti_registration.audience)
    if lti_registration.has_key:
        private_pem, public_pem = lti_registration.private_key, lti_registration.public_key
    else:
        private_pem, public_pem = tool_key_pair()
    registration.set_tool_private_key(private_pem)
    registration.set_tool_public_key(public_pem)
    return registration


class DlmathToolConfig(DjangoToolConfig):
    """django-lti's registration lookup, signing with :func:`tool_key_pair`."""

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration:
        self.registration = (
            LtiRegistration.objects.active().filter(uuid=self.registration_uuid, issuer=iss).first()
        )
        return self._registration_found()

    def find_registration_by_params(
        self, iss: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Registration:
        lookups: dict[str, Any] = {"issuer": iss, "client_id": client_id}
        if self.registration_uuid is not None:
            lookups["uuid"] = self.registration_uuid
        self.registration = LtiRegistration.objects.active().filter(**lookups).first()
        return self._registration_found()

    def _registration_found(self) -> Registration:
        # PyLTI1p3 refuses a login or launch with this exception when a lookup finds nothing.
        if self.registration is None:
            raise LtiException("no active registration for this issuer and client id")
        return registration_for(self.registration)


class LaunchStorage(CacheDataStorage[Any]):
    """State, nonces and launch data in Django's cache, keyed without PyLTI1p3's session
    cookie (what PyLTI1p3's DjangoCacheDataStorage does, less that cookie).

    Inside an LMS iframe a browser may withhold third-party cookies; the keys are random
    (uuid4 state, nonce, launch id) and the launch id we hand out is signed, so they need no
    cookie to be safe. Nonces are additionally spent in the database (see UsedNonce).
    """

    def _get_cache(self) -> BaseCache:
        return cache

    def get_session_cookie_name(self) -> None:
        return None


class _TimeoutSession(requests.Session):
    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", settings.LTI_HTTP_TIMEOUT)
        return super().request(*args, **kwargs)


def http_session() -> requests.Session:
    session = _TimeoutSession()
    session.headers["User-Agent"] = "dlmath-lti"
    return session


def launch_url() -> str:
    """The one redirect URI registered with every platform."""
    return f"{settings.DLMATH_BASE_URL}/lti/launch/"


def oidc_login(request: HttpRequest, *, registration_uuid: Any = None) -> HttpResponse:
    """Answer a platform's third-party login initiation with a redirect to its auth URL.

    The redirect URI is always our launch URL (never the ``target_link_uri`` the request
    names, which a forged initiation could point anywhere).
    """
    login = DjangoOIDCLogin(
        request, DlmathToolConfig(registration_uuid), launch_data_storage=LaunchStorage()
    )
    # The Django adapter's redirect is an HttpResponse (PyLTI1p3 types it generically).
    response: HttpResponse = login.redirect(launch_url())
    return response


def message_launch_validate(request: HttpRequest) -> DjangoMessageLaunch:
    """Validate a launch POST (raises pylti1p3's LtiException on any failed check)."""
    launch = DjangoMessageLaunch(
        request,
        DlmathToolConfig(),
        launch_data_storage=LaunchStorage(),
        requests_session=http_session(),
    )
    launch.set_jwt_verify_options(dict(JWT_VERIFY_OPTIONS))
    launch.set_launch_data_lifetime(LAUNCH_DATA_LIFETIME)
    launch.validate()
    return launch


def message_launch_resume(
    request: HttpRequest, launch_id: str
) -> MessageLaunch[Any, Any, Any, Any]:
    """A launch validated earlier (by its id, from the cache), for a deep-linking response."""
    return DjangoMessageLaunch.from_cache(
        launch_id, request, DlmathToolConfig(), launch_data_storage=LaunchStorage()
    )
