"""An API token's owner comes from the shared cache, and a revoked token never outlives it.

``apps.progress.auth.CachedTokenAuthentication``: with a shared cache an API call with a
known token makes no query for it; a token deleted, or given to another user, anywhere
(the admin, a deleted account) stops working, or changes hands, from the next request on.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.progress import auth

pytestmark = pytest.mark.django_db

ME = "/api/v1/progress/me/"


@pytest.fixture(autouse=True)
def _shared_cache(settings: Any) -> None:
    # One test process: its local-memory cache is as shared as Redis would be.
    settings.SHARED_CACHE = True
    cache.clear()


@pytest.fixture
def token(alice: Any, committed: Any) -> Token:
    made: Token = committed(lambda: Token.objects.create(user=alice))
    return made


def call(key: str, path: str = ME) -> Any:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(path)


def token_queries(key: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert call(key).status_code == 200
    return [q["sql"] for q in queries if '"authtoken_token"' in q["sql"]]


def test_a_known_token_is_read_once(token: Token) -> None:
    assert len(token_queries(token.key)) == 1
    assert token_queries(token.key) == []
    assert call(token.key).wsgi_request.user.username == "alice"


def test_without_a_shared_cache_every_call_reads_its_token(token: Token, settings: Any) -> None:
    settings.SHARED_CACHE = False
    token_queries(token.key)
    assert len(token_queries(token.key)) == 1


def test_a_token_deleted_anywhere_is_refused_on_the_next_call(token: Token, committed) -> None:
    key = token.key  # delete() forgets it (the key is the token's primary key)
    assert call(key).status_code == 200  # its owner cached now
    committed(token.delete)
    response = call(key)
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_a_token_deleted_with_its_account_is_refused(token: Token, alice, committed) -> None:
    key = token.key
    assert call(key).status_code == 200
    committed(alice.delete)
    assert not Token.objects.filter(key=key).exists()
    assert call(key).status_code == 401


def test_a_deactivated_owner_is_refused_at_once(token: Token, alice, committed) -> None:
    assert call(token.key).status_code == 200
    alice.is_active = False
    committed(alice.save, update_fields=["is_active"])
    response = call(token.key)
    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."


def test_a_token_given_to_another_user_signs_in_as_them(token: Token, bob, committed) -> None:
    assert call(token.key).wsgi_request.user.username == "alice"
    token.user = bob
    committed(token.save)
    assert call(token.key).wsgi_request.user.username == "bob"


def test_a_revocation_committed_while_a_call_read_the_token_wins(
    token: Token, committed, monkeypatch
) -> None:
    """A call reads the token from the database just before its deletion commits, and keeps
    what it read: the deletion's commit moves the version that call read before the token,
    so the copy is never used."""
    key, revoked = token.key, []
    read = Token.objects.select_related

    def read_then_revoked(*args: Any, **kwargs: Any) -> Any:
        return _ThenRevoked(read(*args, **kwargs), lambda: committed(token.delete), revoked)

    monkeypatch.setattr(Token.objects, "select_related", read_then_revoked)
    cache.delete(auth._token_keys(key)[1])  # no version yet (as after Redis evicted it)
    assert call(key).status_code == 200  # this call read the token while it existed
    assert revoked
    monkeypatch.undo()
    assert call(key).status_code == 401


class _ThenRevoked:
    """A queryset whose ``get`` reads the token, then has it revoked (once) and committed."""

    def __init__(self, queryset: Any, revoke: Any, revoked: list[bool]) -> None:
        self.queryset, self.revoke, self.revoked = queryset, revoke, revoked

    def get(self, *args: Any, **kwargs: Any) -> Any:
        row = self.queryset.get(*args, **kwargs)
        if not self.revoked:
            self.revoked.append(True)
            self.revoke()  # commits (and moves the version) right after the read
        return row


def test_an_unknown_token_is_refused_and_nothing_is_kept_for_it() -> None:
    before = _cache_keys()
    response = call("0" * 40)
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."
    assert {key for key in _cache_keys() - before if key.startswith("api-token:")} == set()


def test_the_cache_never_holds_a_token(token: Token) -> None:
    assert call(token.key).status_code == 200
    for key in _cache_keys():
        assert token.key not in key
        assert token.key not in repr(cache.get(key))


def _cache_keys() -> set[str]:
    # The local-memory backend's own table: keys as made by make_key (":1:<key>").
    return {key.split(":", 2)[-1] for key in cache._cache}  # type: ignore[attr-defined]


def test_the_token_digest_names_both_keys() -> None:
    owner, version = auth._token_keys("abc")
    assert owner.startswith("api-token:")
    assert version.startswith("api-token-version:")
    assert owner.split(":")[1] == version.split(":")[1] != "abc"
