"""The signed-in user of a request: typed as the concrete user model, read from the cache.

Every page and API call began with two statements before its own: the session's user, then
their profile (the role decides the header and what the API lets them do). With Redis as the
cache (``settings.SHARED_CACHE``), ``CachedModelBackend`` keeps the pair there for
``USER_CACHE_SECONDS``; without it, it is Django's ModelBackend, and a per-process cache
would let one process serve a user another had changed.

Each cached copy carries the user's version, read before the user was. The version moves
on whenever the user or their profile is saved or deleted (the receivers
``ProgressConfig.ready`` connects: Django's own code saves users, on login, a password
change or in the admin) and after a committed role change made with ``update()``
(``signed_in_user_forget``), so a copy read before a change is never served after it.
Django still checks every request's session against the user's password hash, so a
password change ends the other sessions as before. A version bumped while Redis is down is
deleted once it answers (``FallbackRedisCache``), which retires every copy just the same,
and a copy lives at most ``USER_CACHE_SECONDS`` in any case.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from apps.curriculum.selectors import (
    REVISION_KEY,
    curriculum_revision_already_read,
    curriculum_revision_known,
)
from apps.progress.deadlines import DEADLINES_EPOCH_KEY
from apps.progress.selectors import COHORTS_EPOCH_KEY, learner_version_key
from apps.progress.versioned import version_bump, version_read, versions_already_read

# The dotted path ``login()`` records in the session (every login names it).
BACKEND = "apps.progress.auth.CachedModelBackend"
USER_CACHE_SECONDS = 300
# A token's version outlives its cached owner (USER_CACHE_SECONDS); one expired or evicted
# starts again at a random number, which no entry holds.
TOKEN_VERSION_SECONDS = 24 * 3600


def signed_in_user_key(user_id: object) -> str:
    return f"signed-in-user:{user_id}"


def _version_key(user_id: object) -> str:
    return f"signed-in-user-version:{user_id}"


def signed_in_user_forget(*, user_id: object) -> None:
    """Move the user's version on once the change commits (at once outside a transaction):
    every copy cached under an older one is ignored, including one a request that read the
    user just before the change stores just after it."""
    if settings.SHARED_CACHE:
        transaction.on_commit(lambda: _version_bump(user_id))


def _version_bump(user_id: object) -> None:
    version_bump(_version_key(user_id))


class CachedModelBackend(ModelBackend):
    """ModelBackend whose ``get_user`` reads the user and profile from the shared cache."""

    def get_user(self, user_id: Any) -> Any:
        if not settings.SHARED_CACHE:
            return super().get_user(user_id)
        key, version_key = signed_in_user_key(user_id), _version_key(user_id)
        # One round trip, with the versions the page reads next: the learner's (their own
        # rows), the deadlines' epoch, the cohorts' (an instructor's list of cohorts) and
        # the course's revision, unless read already.
        learner_key = learner_version_key(user_id)
        epochs = (learner_key, DEADLINES_EPOCH_KEY, COHORTS_EPOCH_KEY)
        keys = [key, version_key, *epochs]
        revision_wanted = not curriculum_revision_known()
        if revision_wanted:
            keys.append(REVISION_KEY)
        found = cache.get_many(keys)
        versions_already_read({k: found.get(k) for k in epochs})
        if revision_wanted:
            curriculum_revision_already_read(found.get(REVISION_KEY))
        version = found.get(version_key)
        cached = found.get(key)
        if version is not None and cached is not None and cached[0] == version:
            user = cached[1]
        else:
            # Read before the user, so a change after it moves it on.
            version = version_read(version_key, version)
            user = (
                get_user_model()
                ._default_manager.select_related("profile")
                .filter(pk=user_id)
                .first()
            )
            if user is None:
                return None
            cache.set(key, (version, user), timeout=USER_CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None


def _token_keys(key: str) -> tuple[str, str]:
    """The cache keys of an API token's owner and of its version: named by a digest of the
    token, so the cache never holds a token (nor anything to sign in with)."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"api-token:{digest}", f"api-token-version:{digest}"


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, the token's owner and the owner read from the shared cache.

    Every API call began with a statement of its own for its token and owner. With Redis as
    the cache, the token's owner is kept there (by a digest of the token) for
    ``USER_CACHE_SECONDS`` with the token's version, read before the token was; the owner
    comes from ``CachedModelBackend``, in its one round trip. The version moves on whenever
    the token is saved or deleted (``forget_token``: the admin, a deleted account's tokens
    deleted with it), so a token revoked is refused from the next request on, even by a
    request that read it just before. A miss, or an owner who may not sign in (inactive,
    deleted), is DRF's own read and answer, with its messages and their translations; the
    owner is the signed-in user's cached copy, so (as for a session) code that changes users
    with ``update()`` calls ``signed_in_user_forget``. Nothing is kept for a token that does
    not sign in. Without a shared cache it is DRF's own.
    """

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        if "\x00" in key:  # no token holds one, and PostgreSQL refuses it in a query (a 500)
            key = ""
        if not settings.SHARED_CACHE:
            return super().authenticate_credentials(key)
        owner_key, version_key = _token_keys(key)
        found = cache.get_many([owner_key, version_key])
        version = found.get(version_key)
        owner_id = _cached_owner(found.get(owner_key), version)
        if owner_id is not None:
            user = CachedModelBackend().get_user(owner_id)
            if user is not None:  # else deleted, or not active: DRF's own answer below
                return user, Token(key=key, user=user)
        # The version before the token: see forget_token.
        version = version_read(version_key, version, timeout=TOKEN_VERSION_SECONDS)
        try:
            user, token = super().authenticate_credentials(key)
        except AuthenticationFailed:
            cache.delete(version_key)  # nothing is kept for a token that does not sign in
            raise
        cache.set(owner_key, (version, user.pk), timeout=USER_CACHE_SECONDS)
        return user, token


def _cached_owner(cached: object, version: object) -> int | None:
    """The owner's id in a cached entry written under the token's current version, or None
    (no entry, an older version, or something this class does not write)."""
    if version is None or type(cached) is not tuple or len(cached) != 2:
        return None
    entry_version, owner_id = cached
    return owner_id if entry_version == version and type(owner_id) is int else None


def forget_token(instance: Token, **kwargs: Any) -> None:
    """A token saved or deleted anywhere (the admin saves and deletes ``TokenProxy`` rows):
    its cached owner is not used again once the change commits (at once outside a
    transaction). Code that changes tokens with ``update()`` or SQL, which sends no signal,
    deletes and creates them instead."""
    if settings.SHARED_CACHE:
        version_key = _token_keys(instance.key)[1]
        transaction.on_commit(lambda: version_bump(version_key, timeout=TOKEN_VERSION_SECONDS))


def forget_saved_user(instance: Any, **kwargs: Any) -> None:
    signed_in_user_forget(user_id=instance.pk)


def forget_saved_profile(instance: Any, **kwargs: Any) -> None:
    signed_in_user_forget(user_id=instance.user_id)


def authenticated_user(request: HttpRequest | Request) -> User:
    """``request.user`` in a view behind ``login_required`` or DRF's ``IsAuthenticated``.

    Those guards already turned anonymous visitors away; this narrows the type from
    ``User | AnonymousUser`` for the type checker and fails loudly if a guard is missing.
    """
    user = request.user
    assert user.is_authenticated, "this view must require a signed-in user"
    return user
