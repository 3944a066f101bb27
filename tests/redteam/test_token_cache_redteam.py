"""Red team: API tokens whose owner is cached in the shared cache (CachedTokenAuthentication).

Written from the documented interface only. SHARED_CACHE is on in every test (the
local-memory cache stands in for Redis). Writes that must become visible go through the
``committed`` fixture (the write, then its commit callbacks). Found and fixed: the admin's
token edits (saved through DRF's TokenProxy) went unheard; every unknown token left a
version key behind forever; values of the wrong type under the cache keys crashed calls or
cancelled a revocation. Writes that send no signal (QuerySet.update, SQL) are outside what
any receiver hears: those tests show the documented remedy (forget_token,
signed_in_user_forget) instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from apps.progress import auth

pytestmark = pytest.mark.django_db

ME = "/api/v1/progress/me/"
OBTAIN = "/api/v1/auth/token/"
PW = "pw-for-tests-1"
INVALID = "Invalid token."
INACTIVE = "User inactive or deleted."


@pytest.fixture(autouse=True)
def _shared_cache(settings: Any) -> None:
    settings.SHARED_CACHE = True
    cache.clear()


# --- helpers ---------------------------------------------------------------------------


@pytest.fixture
def token(alice: Any, committed: Any) -> Token:
    made: Token = committed(lambda: Token.objects.create(user=alice))
    return made


@pytest.fixture
def root(db: Any) -> Any:
    return get_user_model().objects.create_superuser("root", "root@example.com", PW)


@pytest.fixture
def admin_client(root: Any) -> Client:
    c = Client()
    c.force_login(root)
    return c


def call(key: str | None = None, *, header: str | None = None, client: Any = None) -> Any:
    c = client or APIClient()
    c.credentials(HTTP_AUTHORIZATION=header if header is not None else f"Token {key}")
    return c.get(ME)


def who(response: Any) -> str | None:
    """The username a call was authenticated as, None when refused."""
    if response.status_code != 200:
        return None
    user = response.wsgi_request.user
    return user.username if user.is_authenticated else None


def detail(response: Any) -> str:
    try:
        return str(response.json().get("detail"))
    except Exception:
        return f"<non-json {response.status_code}>"


def token_queries(key: str) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = call(key)
    return response, [q["sql"] for q in queries if '"authtoken_token"' in q["sql"]]


def raw_entries() -> dict[str, Any]:
    """The local-memory backend's own table: {full key: pickled bytes}."""
    return dict(caches["default"]._cache)  # type: ignore[attr-defined]


def token_cache_keys() -> list[str]:
    """Keys (as passed to cache.set, without the ':1:' prefix) that start with api-token."""
    out = []
    for full in raw_entries():
        short = full.split(":", 2)[-1]
        if short.startswith("api-token"):
            out.append(short)
    return sorted(out)


def assert_refused(response: Any, message: str = INVALID) -> None:
    assert response.status_code == 401, (response.status_code, who(response))
    assert detail(response) == message


# --- 1. baseline: the documented happy path --------------------------------------------


def test_valid_token_authenticates_and_second_call_makes_no_token_query(token: Token) -> None:
    first, _q1 = token_queries(token.key)
    assert who(first) == "alice"
    second, q2 = token_queries(token.key)
    assert who(second) == "alice"
    assert q2 == [], q2
    third, q3 = token_queries(token.key)
    assert who(third) == "alice"
    assert q3 == []


def test_request_auth_is_the_token_as_drf_gives_it(token: Token, settings: Any) -> None:
    """DRF sets request.auth to the Token; views may read request.auth.key / .user."""
    for _ in range(2):  # cold, then from the cache
        r = call(token.key)
        auth = r.wsgi_request.auth
        assert auth is not None
        assert getattr(auth, "key", None) == token.key
        assert getattr(auth, "user_id", None) == token.user_id


def test_obtain_endpoint_token_works_and_is_stable(alice: Any, committed: Any) -> None:
    c = APIClient()
    r1 = committed(lambda: c.post(OBTAIN, {"username": "alice", "password": PW}, format="json"))
    assert r1.status_code == 200, r1.content
    key = r1.json()["token"]
    assert who(call(key)) == "alice"
    r2 = committed(lambda: c.post(OBTAIN, {"username": "alice", "password": PW}, format="json"))
    assert r2.json()["token"] == key
    bad = c.post(OBTAIN, {"username": "alice", "password": "wrong"}, format="json")
    assert bad.status_code == 400
    assert "token" not in bad.json()
    assert who(call(key)) == "alice"


# --- 2. header variants, odd tokens: compare with DRF's own TokenAuthentication ---------


def _outcome(authenticator: Any, header: str) -> tuple[str, Any]:
    request = Request(APIRequestFactory().get(ME, HTTP_AUTHORIZATION=header))
    try:
        result = authenticator.authenticate(request)
    except APIException as exc:
        return ("refused", (exc.status_code, str(exc.detail)))
    except Exception as exc:
        return ("crash", type(exc).__name__)
    if result is None:
        return ("none", None)
    return ("user", result[0].pk)


def _headers(key: str) -> list[str]:
    return [
        f"Token {key}",
        f"token {key}",
        f"TOKEN {key}",
        f"Bearer {key}",
        f"Basic {key}",
        f"Token  {key}",
        f"Token {key} ",
        f"Token\t{key}",
        f"Token {key} extra",
        "Token",
        "Token ",
        "",
        f"Token {key.upper()}",
        f"Token {key[:-1]}",
        f"Token {key}x",
        f"Token {key[::-1]}",
        "Token \xe9\xe9\xe9",
        f"Token {key}\xe9",
        "Token " + "a" * 10_000,
        "Token " + "0" * 40,
        "Token :" + key,
        "Token api-token:" + key,
        f"Token {key}\x00",
        "Tokens " + key,
        "Token=" + key,
    ]


@pytest.mark.parametrize("shared", [False, True])
def test_header_variants_match_drf_token_authentication(
    token: Token, settings: Any, shared: bool
) -> None:
    from apps.progress.auth import CachedTokenAuthentication

    settings.SHARED_CACHE = shared
    mismatches = []
    for header in _headers(token.key):
        expected = _outcome(TokenAuthentication(), header)
        for attempt in ("cold", "warm", "warm2"):
            got = _outcome(CachedTokenAuthentication(), header)
            # Stock DRF crashes on PostgreSQL when the token holds a NUL byte (the database
            # refuses it in the query, a 500); the cached class refuses it (found in CI).
            nul_on_pg = expected == ("crash", "DataError") and "\x00" in header
            if nul_on_pg:
                expected = ("refused", (401, "Invalid token."))
            if got != expected:
                mismatches.append((header[:60], attempt, expected, got))
    assert mismatches == []


def test_header_variants_over_http(token: Token) -> None:
    assert who(call(header=f"Token {token.key}")) == "alice"
    assert who(call(header=f"token {token.key}")) == "alice"  # DRF: keyword case-insensitive
    bearer = call(header=f"Bearer {token.key}")
    assert bearer.status_code == 401  # not a keyword DRF knows
    assert who(bearer) is None
    assert_refused(call(header=f"Token {token.key.upper()}"))
    # the cached copy must never answer for a near miss
    assert_refused(call(header=f"Token {token.key[:-1]}"))
    assert_refused(call(header=f"Token {token.key}0"))


def test_odd_unknown_tokens_never_500_and_never_cache(token: Token) -> None:
    """Found by the red team, fixed: every refused odd token leaves an "api-token-version:<digest>" key behind
    (the 401s and no-500 part holds; the "nothing cached" part fails)."""
    assert who(call(token.key)) == "alice"
    before = set(token_cache_keys())
    for header in _headers(token.key)[9:]:
        r = call(header=header)
        assert r.status_code in (401, 403), (header[:40], r.status_code)
        assert who(r) is None
    assert set(token_cache_keys()) == before


# --- 3. unknown tokens: nothing cached, no negative caching -----------------------------


def test_unknown_token_caches_nothing_and_works_once_created(alice: Any, committed: Any) -> None:
    """Found by the red team, fixed: an unknown token leaves an "api-token-version:<digest>" key (no expiry) in
    the cache, against "nothing is cached for an unknown token". (The no-negative-caching
    half holds: the key works as soon as it is issued.)"""
    key = "f" * 40
    before = set(raw_entries())
    for _ in range(3):
        assert_refused(call(key))
    new = {k for k in set(raw_entries()) - before if "api-token" in k}
    assert new == set()
    # no negative cache: the key issued now works on the very next call
    committed(lambda: Token.objects.create(key=key, user=alice))
    assert who(call(key)) == "alice"


def test_unknown_token_created_without_commit_callbacks_still_works(alice: Any) -> None:
    """An unknown key must not leave anything that outlives its creation."""
    key = "e" * 40
    assert_refused(call(key))
    Token.objects.create(key=key, user=alice)  # no commit callbacks run
    assert who(call(key)) == "alice"


def test_unknown_tokens_in_bulk_leave_the_cache_unchanged(token: Token) -> None:
    """Found by the red team, fixed: 200 unauthenticated calls with random tokens add 200 version keys, stored
    without a timeout: anyone can grow the shared cache (Redis) without bound."""
    call(token.key)
    before = dict(raw_entries())
    for i in range(200):
        assert call(f"{i:040x}").status_code == 401
    added = {k for k in raw_entries() if "api-token" in k} - set(before)
    backend = caches["default"]
    permanent = [k for k in added if backend._expire_info.get(k) is None]  # type: ignore[attr-defined]
    assert (len(added), len(permanent)) == (0, 0)


# --- 4. the cache never holds the raw token ---------------------------------------------


def test_cache_never_holds_the_raw_token_in_keys_or_pickled_values(
    token: Token, bob: Any, committed: Any
) -> None:
    other: Token = committed(lambda: Token.objects.create(user=bob))
    for key in (token.key, other.key, token.key, other.key):
        assert who(call(key)) in ("alice", "bob")
    assert token_cache_keys(), "expected the owner to be cached"
    for key in (token.key, other.key):
        for full, pickled in raw_entries().items():
            for needle in (key, key[:20], key[-20:]):
                assert needle not in full
                assert needle.encode() not in pickled, (full, needle)
            assert key.upper() not in full
            assert key.upper().encode() not in pickled


# --- 5. revocation ----------------------------------------------------------------------


def test_orm_delete_revokes(token: Token, committed: Any) -> None:
    key = token.key
    assert who(call(key)) == "alice"
    assert who(call(key)) == "alice"
    committed(token.delete)
    assert_refused(call(key))
    assert_refused(call(key))


def test_queryset_delete_revokes(token: Token, committed: Any) -> None:
    key = token.key
    assert who(call(key)) == "alice"
    committed(lambda: Token.objects.filter(key=key).delete())
    assert_refused(call(key))


def test_drf_create_token_reset_command_revokes_the_old_key(
    token: Token, alice: Any, committed: Any
) -> None:
    old = token.key
    assert who(call(old)) == "alice"
    committed(lambda: call_command("drf_create_token", "alice", reset=True, verbosity=0))
    new = Token.objects.get(user=alice).key
    assert new != old
    assert_refused(call(old))
    assert who(call(new)) == "alice"


def test_owner_account_deleted_revokes(token: Token, alice: Any, committed: Any) -> None:
    key = token.key
    assert who(call(key)) == "alice"
    committed(alice.delete)
    r = call(key)
    assert r.status_code == 401
    # DRF: the token went with the account (CASCADE), so the token is unknown
    assert detail(r) in (INVALID, INACTIVE)


def test_owner_deleted_through_queryset_revokes(token: Token, alice: Any, committed: Any) -> None:
    key = token.key
    assert who(call(key)) == "alice"
    committed(lambda: get_user_model().objects.filter(pk=alice.pk).delete())
    assert call(key).status_code == 401


def test_rolled_back_delete_leaves_the_token_working(token: Token, committed: Any) -> None:
    key = token.key
    assert who(call(key)) == "alice"

    def delete_then_roll_back() -> None:
        try:
            with transaction.atomic():
                Token.objects.filter(key=key).delete()
                raise RuntimeError("roll back")
        except RuntimeError:
            pass

    committed(delete_then_roll_back)
    assert Token.objects.filter(key=key).exists()
    assert who(call(key)) == "alice"


def test_delete_and_recreate_same_key_for_another_user(
    token: Token, bob: Any, committed: Any
) -> None:
    key = token.key
    assert who(call(key)) == "alice"

    def swap() -> None:
        Token.objects.filter(key=key).delete()
        Token.objects.create(key=key, user=bob)

    committed(swap)
    assert who(call(key)) == "bob"


def test_revoked_token_with_a_valid_session_is_still_refused(
    token: Token, bob: Any, committed: Any
) -> None:
    """DRF tries the token first and refuses; it never falls back to the session."""
    key = token.key
    c = APIClient()
    c.force_login(bob)
    assert who(call(key, client=c)) == "alice"  # token wins over the session
    committed(token.delete)
    assert_refused(call(key, client=c))


def test_raw_sql_delete_then_forget_token_is_refused(token: Token, committed: Any) -> None:
    """Found by the red team: a token deleted with raw SQL (no signal) kept working from the
    cache for up to its 300 s. Such writes are outside what the receivers can hear (as for
    every cache here: README, "Data changed outside the app"); code that deletes tokens
    with SQL calls ``auth.forget_token`` for each, and then it is refused at once."""
    key = token.key
    assert who(call(key)) == "alice"
    with connection.cursor() as cursor:
        cursor.execute('DELETE FROM "authtoken_token" WHERE "key" = %s', [key])
    committed(lambda: auth.forget_token(Token(key=key)))
    assert not Token.objects.filter(key=key).exists()
    assert_refused(call(key))


# --- 6. races: a mutation committed at every point of a call ---------------------------

_CACHE_OPS = (
    "get",
    "set",
    "add",
    "get_many",
    "set_many",
    "delete",
    "delete_many",
    "incr",
    "decr",
    "touch",
    "has_key",
    "get_or_set",
)


def _touches_token_keys(args: tuple[Any, ...]) -> bool:
    if not args:
        return False
    first = args[0]
    keys = [first] if isinstance(first, str) else list(first)
    return any("api-token" in str(k) for k in keys)


def _spy_cache(monkeypatch: Any, before_op: Callable[[int, str], None]) -> list[str]:
    """Wrap the default backend's methods; call before_op(index, name) before every
    operation that touches an api-token key."""
    backend = caches["default"]
    log: list[str] = []
    for name in _CACHE_OPS:
        original = getattr(backend, name)

        def wrapper(*args: Any, _orig: Any = original, _name: str = name, **kwargs: Any) -> Any:
            if _touches_token_keys(args):
                log.append(_name)
                before_op(len(log) - 1, _name)
            return _orig(*args, **kwargs)

        monkeypatch.setattr(backend, name, wrapper)
    return log


def _count_token_ops(monkeypatch: Any, do: Callable[[], Any]) -> int:
    with monkeypatch.context() as m:
        log = _spy_cache(m, lambda _i, _n: None)
        do()
    return len(log)


def _mutations(make_user: Any) -> dict[str, tuple[Callable[..., Any], Callable[[Any], Any]]]:
    def delete(tok: Token, other: Any) -> None:
        tok.delete()

    def reassign(tok: Token, other: Any) -> None:
        tok.user = other
        tok.save()

    def deactivate(tok: Token, other: Any) -> None:
        owner = tok.user
        owner.is_active = False
        owner.save(update_fields=["is_active"])

    def delete_owner(tok: Token, other: Any) -> None:
        tok.user.delete()

    return {
        "delete": (delete, lambda r: r.status_code == 401 and detail(r) == INVALID),
        "reassign": (reassign, lambda r: r.status_code == 200),  # who checked separately
        "deactivate": (deactivate, lambda r: r.status_code == 401 and detail(r) == INACTIVE),
        "delete_owner": (delete_owner, lambda r: r.status_code == 401),
    }


@pytest.mark.parametrize("mutation", ["delete", "reassign", "deactivate", "delete_owner"])
@pytest.mark.parametrize("warm", [False, True])
def test_mutation_committed_before_every_cache_step_of_a_call(  # noqa: C901
    mutation: str, warm: bool, make_user: Any, committed: Any, monkeypatch: Any
) -> None:
    """The mutation commits (with its callbacks) right before each cache operation on an
    api-token key that a call makes (so also between the token's DB read and the cache
    write). The call in flight may answer either way; the next call must see the change."""
    mutate, next_ok = _mutations(make_user)[mutation]

    def fresh() -> tuple[Token, Any]:
        owner = make_user()
        other = make_user()
        return committed(lambda: Token.objects.create(user=owner)), other

    probe, _ = fresh()
    if warm:
        call(probe.key)
    n = _count_token_ops(monkeypatch, lambda: call(probe.key))
    assert n >= 1, "a call should touch the token cache"

    failures = []
    for i in range(n + 1):
        cache.clear()
        tok, other = fresh()
        key, owner_name = tok.key, tok.user.username
        if warm:
            assert who(call(key)) == owner_name
        done: list[bool] = []

        def before_op(
            index: int,
            name: str,
            _i: int = i,
            _done: list[bool] = done,
            _tok: Token = tok,
            _other: Any = other,
        ) -> None:
            if index == _i and not _done:
                _done.append(True)
                committed(mutate, tok=_tok, other=_other)

        with monkeypatch.context() as m:
            _spy_cache(m, before_op)
            in_flight = call(key)
        if not done:  # i == n: mutate after the call
            committed(mutate, tok=tok, other=other)
        if in_flight.status_code not in (200, 401):
            failures.append((i, "in-flight", in_flight.status_code))
        if in_flight.status_code == 200 and who(in_flight) not in (owner_name, other.username):
            failures.append((i, "in-flight as", who(in_flight)))
        for attempt in range(2):
            after = call(key)
            ok = next_ok(after)
            if mutation == "reassign":
                ok = ok and who(after) == other.username
            if not ok:
                failures.append((i, attempt, after.status_code, detail(after), who(after)))
    assert failures == [], f"{n} cache ops per call; failures: {failures}"


def test_mutation_committed_right_after_the_token_db_read(token: Token, committed: Any) -> None:
    """Generic DB hook: the deletion commits just after whatever query read the token."""
    key, fired = token.key, []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        if '"authtoken_token"' in sql and sql.lstrip().upper().startswith("SELECT") and not fired:
            fired.append(True)
            committed(lambda: Token.objects.filter(key=key).delete())
        return result

    with connection.execute_wrapper(wrapper):
        in_flight = call(key)
    assert fired, "the call should have read the token"
    assert in_flight.status_code in (200, 401)
    assert_refused(call(key))
    assert_refused(call(key))


# --- 7. cache eviction: version keys lost (Redis LRU) -----------------------------------


def _evict(prefix: str) -> int:
    n = 0
    for short in token_cache_keys():
        if short.startswith(prefix):
            cache.delete(short)
            n += 1
    return n


@pytest.mark.parametrize("when", ["after_delete", "before_delete", "both"])
def test_version_key_evicted_around_a_revocation(token: Token, committed: Any, when: str) -> None:
    """ABA: the owner entry survives, the version key is evicted; a fresh version must
    never match the stale owner entry of a revoked token."""
    key = token.key
    assert who(call(key)) == "alice"
    assert who(call(key)) == "alice"
    if when in ("before_delete", "both"):
        _evict("api-token-version")
    committed(token.delete)
    if when in ("after_delete", "both"):
        _evict("api-token-version")
    assert_refused(call(key))
    assert_refused(call(key))


def test_version_key_evicted_around_a_reassignment(token: Token, bob: Any, committed: Any) -> None:
    key = token.key
    assert who(call(key)) == "alice"
    token.user = bob
    committed(token.save)
    _evict("api-token-version")
    assert who(call(key)) == "bob"
    assert who(call(key)) == "bob"


def test_only_owner_entries_evicted_still_reads_fresh(
    token: Token, bob: Any, committed: Any
) -> None:
    key = token.key
    assert who(call(key)) == "alice"
    n = len(token_cache_keys())
    _evict("api-token:")
    assert len(token_cache_keys()) < n or n == 0
    assert who(call(key)) == "alice"


def test_revoked_after_full_cache_clear(token: Token, committed: Any) -> None:
    key = token.key
    assert who(call(key)) == "alice"
    committed(token.delete)
    cache.clear()
    assert_refused(call(key))


# --- 8. reassignment --------------------------------------------------------------------


def test_reassign_and_back_aba(token: Token, alice: Any, bob: Any, committed: Any) -> None:
    key = token.key
    for owner in (alice, bob, alice, bob, alice):
        if token.user_id != owner.pk:
            token.user = owner
            committed(token.save)
        assert who(call(key)) == owner.username
        assert who(call(key)) == owner.username


def test_reassignment_rolled_back_keeps_the_owner(token: Token, bob: Any, committed: Any) -> None:
    key = token.key
    assert who(call(key)) == "alice"

    def reassign_then_roll_back() -> None:
        try:
            with transaction.atomic():
                Token.objects.filter(key=key).update(user=bob)
                t = Token.objects.get(key=key)
                t.save()
                raise RuntimeError
        except RuntimeError:
            pass

    committed(reassign_then_roll_back)
    assert who(call(key)) == "alice"


def test_reassignment_via_queryset_update_then_forget_token_moves_it(
    token: Token, bob: Any, committed: Any
) -> None:
    """Found by the red team: Token.objects.update(user=...) sends no signal, and the cached
    owner stayed. Code that writes tokens with update() calls ``auth.forget_token``."""
    key = token.key
    assert who(call(key)) == "alice"
    Token.objects.filter(key=key).update(user=bob)
    committed(lambda: auth.forget_token(Token(key=key)))
    assert who(call(key)) == "bob"


# --- 9. owners made inactive, password changes, stale user attributes ---------------


def test_deactivated_by_save_is_refused_then_reactivated_works(
    token: Token, alice: Any, committed: Any
) -> None:
    key = token.key
    assert who(call(key)) == "alice"
    alice.is_active = False
    committed(alice.save)
    assert_refused(call(key), INACTIVE)
    assert_refused(call(key), INACTIVE)
    alice.is_active = True
    committed(alice.save)
    assert who(call(key)) == "alice"


def test_deactivated_by_queryset_update_then_forgotten_is_refused(
    token: Token, alice: Any, committed: Any
) -> None:
    """Found by the red team: User.objects.filter(...).update(is_active=False) sends no
    signal, and the token's owner (the signed-in user's cached copy, as for a session)
    stayed active for up to 300 s. As for sessions, code that changes users with update()
    calls ``signed_in_user_forget``: then the very next call is refused."""
    key = token.key
    assert who(call(key)) == "alice"
    get_user_model().objects.filter(pk=alice.pk).update(is_active=False)
    committed(lambda: auth.signed_in_user_forget(user_id=alice.pk))
    assert_refused(call(key), INACTIVE)


def test_password_change_keeps_the_token_as_drf_does(
    token: Token, alice: Any, committed: Any, settings: Any
) -> None:
    key = token.key
    assert who(call(key)) == "alice"
    alice.set_password("a-new-password-42")
    committed(alice.save)
    assert who(call(key)) == "alice"
    settings.SHARED_CACHE = False
    assert who(call(key)) == "alice"  # DRF: tokens survive a password change
    settings.SHARED_CACHE = True
    c = APIClient()
    old = c.post(OBTAIN, {"username": "alice", "password": PW}, format="json")
    assert old.status_code == 400
    new = committed(
        lambda: c.post(
            OBTAIN, {"username": "alice", "password": "a-new-password-42"}, format="json"
        )
    )
    assert new.status_code == 200
    assert new.json()["token"] == key


def test_staff_flag_removed_by_save_is_seen(token: Token, alice: Any, committed: Any) -> None:
    alice.is_staff = True
    alice.is_superuser = True
    committed(alice.save)
    key = token.key
    assert call(key).wsgi_request.user.is_superuser is True
    alice.is_staff = False
    alice.is_superuser = False
    committed(alice.save)
    user = call(key).wsgi_request.user
    assert user.is_authenticated
    assert user.is_superuser is False
    assert user.is_staff is False


def test_staff_flag_removed_by_update_then_forgotten_is_seen(
    token: Token, alice: Any, committed: Any
) -> None:
    """Found by the red team: privileges revoked with QuerySet.update stayed on the cached
    user. With ``signed_in_user_forget`` (the rule for update() on users) they go at once."""
    get_user_model().objects.filter(pk=alice.pk).update(is_superuser=True, is_staff=True)
    committed(lambda: auth.signed_in_user_forget(user_id=alice.pk))
    key = token.key
    assert call(key).wsgi_request.user.is_superuser is True
    get_user_model().objects.filter(pk=alice.pk).update(is_superuser=False, is_staff=False)
    committed(lambda: auth.signed_in_user_forget(user_id=alice.pk))
    assert call(key).wsgi_request.user.is_superuser is False


def test_username_rename_is_seen(token: Token, alice: Any, committed: Any) -> None:
    key = token.key
    assert who(call(key)) == "alice"
    alice.username = "alice-renamed"
    committed(alice.save)
    assert who(call(key)) == "alice-renamed"


# --- 10. the admin --------------------------------------------------------------------


def test_which_token_admin_url_exists(admin_client: Client, token: Token, alice: Any) -> None:
    proxy = admin_client.get("/admin/authtoken/tokenproxy/")
    plain = admin_client.get("/admin/authtoken/token/")
    assert proxy.status_code == 200
    assert plain.status_code == 404
    # DRF's TokenAdmin maps the object id to the owner's user id
    assert admin_client.get(f"/admin/authtoken/tokenproxy/{alice.pk}/change/").status_code == 200


def test_admin_delete_token_revokes(
    admin_client: Client, token: Token, alice: Any, committed: Any
) -> None:
    key = token.key
    assert who(call(key)) == "alice"
    assert who(call(key)) == "alice"
    r = committed(
        lambda: admin_client.post(
            f"/admin/authtoken/tokenproxy/{alice.pk}/delete/", {"post": "yes"}
        )
    )
    assert r.status_code == 302, r.status_code
    assert not Token.objects.filter(key=key).exists()
    assert_refused(call(key))


def test_admin_reassign_token_moves_it(
    admin_client: Client, token: Token, alice: Any, bob: Any, committed: Any
) -> None:
    """Found by the red team, fixed: after the admin (DRF's TokenProxy admin) gives alice's token to bob - the
    row says bob - the next call still authenticates as alice."""
    key = token.key
    assert who(call(key)) == "alice"
    assert who(call(key)) == "alice"
    r = committed(
        lambda: admin_client.post(
            f"/admin/authtoken/tokenproxy/{alice.pk}/change/", {"user": bob.pk}
        )
    )
    assert r.status_code == 302, r.content[:2000]
    assert Token.objects.get(key=key).user_id == bob.pk
    assert who(call(key)) == "bob"


def test_admin_delete_user_revokes(
    admin_client: Client, token: Token, alice: Any, committed: Any
) -> None:
    key = token.key
    assert who(call(key)) == "alice"
    r = committed(
        lambda: admin_client.post(f"/admin/auth/user/{alice.pk}/delete/", {"post": "yes"})
    )
    assert r.status_code == 302, r.status_code
    assert not get_user_model().objects.filter(pk=alice.pk).exists()
    assert call(key).status_code == 401


def test_admin_bulk_delete_users_action_revokes(
    admin_client: Client, token: Token, alice: Any, bob: Any, committed: Any
) -> None:
    t_bob: Token = committed(lambda: Token.objects.create(user=bob))
    keys = [token.key, t_bob.key]
    for k in keys:
        assert call(k).status_code == 200
    r = committed(
        lambda: admin_client.post(
            "/admin/auth/user/",
            {"action": "delete_selected", "_selected_action": [alice.pk, bob.pk], "post": "yes"},
        )
    )
    assert r.status_code == 302, r.status_code
    for k in keys:
        assert call(k).status_code == 401


def test_admin_deactivate_user_via_change_form(
    admin_client: Client, token: Token, alice: Any, committed: Any
) -> None:
    key = token.key
    assert who(call(key)) == "alice"
    page = admin_client.get(f"/admin/auth/user/{alice.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if name in ("last_login", "date_joined"):
            continue
        if isinstance(value, (list, tuple)) or hasattr(value, "all"):
            data[name] = [
                getattr(v, "pk", v) for v in (value.all() if hasattr(value, "all") else value)
            ]
        else:
            data[name] = value
    data.pop("password", None)
    data.pop("usable_password", None)
    data["is_active"] = ""  # unchecked
    data.pop("is_active")
    data["date_joined_0"] = alice.date_joined.strftime("%Y-%m-%d")
    data["date_joined_1"] = alice.date_joined.strftime("%H:%M:%S")
    r = committed(lambda: admin_client.post(f"/admin/auth/user/{alice.pk}/change/", data))
    assert r.status_code == 302, r.context["adminform"].form.errors if r.context else r.status_code
    alice.refresh_from_db()
    assert alice.is_active is False
    assert_refused(call(key), INACTIVE)


def test_admin_add_token_for_a_user_works_immediately(
    admin_client: Client, bob: Any, committed: Any
) -> None:
    r = committed(lambda: admin_client.post("/admin/authtoken/tokenproxy/add/", {"user": bob.pk}))
    assert r.status_code == 302, r.status_code
    key = Token.objects.get(user=bob).key
    assert who(call(key)) == "bob"


# --- 11. many tokens: no cross-talk ----------------------------------------------------


def test_many_tokens_each_its_own_owner_and_partial_revocation(
    make_user: Any, committed: Any
) -> None:
    users = [make_user() for _ in range(40)]
    tokens = [committed(lambda u=u: Token.objects.create(user=u)) for u in users]
    for _ in range(2):
        for u, t in zip(users, tokens, strict=True):
            assert who(call(t.key)) == u.username
    doomed = [t.key for t in tokens[::2]]
    committed(lambda: Token.objects.filter(key__in=doomed).delete())
    for u, t in zip(users, tokens, strict=True):
        if t.key in doomed:
            assert_refused(call(t.key))
        else:
            r, q = token_queries(t.key)
            assert who(r) == u.username
            assert q == []


# --- 12. poisoned cache entries ---------------------------------------------------------


class _Weird:
    def __init__(self) -> None:
        self.user_id = 1


GARBAGE: list[Any] = [
    None,
    "",
    "garbage",
    b"\x00\xff",
    0,
    -1,
    2**70,
    3.5,
    True,
    False,
    [],
    [1, 2, 3],
    (),
    (1,),
    (None, None),
    (None, None, None),
    ("x", "y"),
    {},
    {"user_id": 1},
    _Weird(),
    float("nan"),
]


@pytest.mark.parametrize("which", ["api-token:", "api-token-version:", "api-token"])
def test_poisoned_entries_never_500_never_another_user_and_revocation_still_works(
    make_user: Any, committed: Any, which: str
) -> None:
    """Found by the red team, fixed: wrong-typed values under api-token keys crash the call (IndexError,
    TypeError, KeyError: a 500 for every request with that token) and a wrong-typed
    version key makes the revocation's commit callback raise (TypeError from incr: the
    delete's commit errors after the row is gone) AND the revoked token keeps
    authenticating its old owner afterwards (the version never moved)."""
    failures = []
    for value in GARBAGE:
        cache.clear()
        owner = make_user()
        tok: Token = committed(lambda o=owner: Token.objects.create(user=o))
        key = tok.key
        assert who(call(key)) == owner.username
        assert who(call(key)) == owner.username
        targets = [k for k in token_cache_keys() if k.startswith(which)]
        assert targets, token_cache_keys()
        for k in targets:
            cache.set(k, value)
        try:
            r = call(key)
        except Exception as exc:
            failures.append((repr(value), "call raised", type(exc).__name__, str(exc)[:80]))
            continue
        if r.status_code not in (200, 401) or (r.status_code == 200 and who(r) != owner.username):
            failures.append((repr(value), "poisoned call", r.status_code, who(r)))
        try:
            committed(tok.delete)
        except Exception as exc:
            failures.append((repr(value), "delete raised", type(exc).__name__, str(exc)[:80]))
        try:
            after = call(key)
        except Exception as exc:
            failures.append((repr(value), "revoked call raised", type(exc).__name__))
            continue
        if after.status_code != 401:
            failures.append((repr(value), "revoked still works", after.status_code, who(after)))
    assert not failures, "\n".join(map(repr, failures))


def test_poisoned_with_a_wrong_user_id_for_a_revoked_token_is_not_honoured(
    token: Token, bob: Any, committed: Any
) -> None:
    """After revocation, writing the owner entry back (a slow writer that lost the race)
    must not revive the token."""
    key = token.key
    assert who(call(key)) == "alice"
    snapshot = {k: cache.get(k) for k in token_cache_keys() if k.startswith("api-token:")}
    committed(token.delete)
    for k, v in snapshot.items():
        cache.set(k, v)  # the stale owner entry written back late
    assert_refused(call(key))


def test_revocation_changes_the_cache_state(token: Token, committed: Any) -> None:
    """The revocation must move something in the cache (else only the TTL would end a
    cached owner), and the next call is refused."""
    key = token.key
    assert who(call(key)) == "alice"
    snapshot = {k: cache.get(k) for k in token_cache_keys()}
    committed(token.delete)
    after_revocation = {k: cache.get(k) for k in token_cache_keys()}
    # the revocation must have changed something in the cache (or removed it)
    assert after_revocation != snapshot
    assert_refused(call(key))


# --- 13. SHARED_CACHE off: exactly DRF ---------------------------------------------------


def test_without_shared_cache_every_call_queries_and_nothing_is_cached(
    token: Token, settings: Any, committed: Any
) -> None:
    settings.SHARED_CACHE = False
    cache.clear()
    for _ in range(3):
        r, q = token_queries(token.key)
        assert who(r) == "alice"
        assert len(q) == 1
    assert token_cache_keys() == []
    assert isinstance(r.wsgi_request.auth, Token)
    Token.objects.filter(key=token.key).delete()  # no commit callbacks: DRF needs none
    assert_refused(call(token.key))


def test_without_shared_cache_update_deactivation_is_immediate(
    token: Token, alice: Any, settings: Any
) -> None:
    settings.SHARED_CACHE = False
    assert who(call(token.key)) == "alice"
    get_user_model().objects.filter(pk=alice.pk).update(is_active=False)
    assert_refused(call(token.key), INACTIVE)


def test_cache_left_by_shared_mode_is_ignored_when_shared_is_off(
    token: Token, settings: Any
) -> None:
    """Entries written while SHARED_CACHE was on must not answer once it is off."""
    key = token.key
    assert who(call(key)) == "alice"
    settings.SHARED_CACHE = False
    Token.objects.filter(key=key).delete()  # no callbacks
    assert_refused(call(key))


def test_owner_entry_of_the_right_shape_with_bad_ids(make_user: Any, committed: Any) -> None:
    """Owner entries hold (version, user id): keep the version right and make the id
    wrong (missing user, None, a string). Never a 500, never someone else; a missing user
    must be refused or re-read from the database.
    Found by the red team, fixed: a str id raises ValueError (500); a float id 3.5 authenticates as user pk 3,
    someone else (type confusion; needs write access to the cache)."""
    failures = []
    for bad in (None, "abc", 999_999_999, -1, 3.5):
        cache.clear()
        owner = make_user()
        tok: Token = committed(lambda o=owner: Token.objects.create(user=o))
        assert who(call(tok.key)) == owner.username
        for k in token_cache_keys():
            if k.startswith("api-token:"):
                entry = cache.get(k)
                if isinstance(entry, tuple) and len(entry) == 2:
                    cache.set(k, (entry[0], bad))
        try:
            r = call(tok.key)
        except Exception as exc:
            failures.append((bad, "raised", type(exc).__name__))
            continue
        if r.status_code not in (200, 401) or (r.status_code == 200 and who(r) != owner.username):
            failures.append((bad, r.status_code, who(r)))
    assert not failures, failures


def test_tokenproxy_orm_save_reassigns(token: Token, bob: Any, committed: Any) -> None:
    """Isolates the admin defect: the admin saves a TokenProxy (a proxy model, whose
    signals name TokenProxy as sender, not Token).
    Found by the red team, fixed: TokenProxy.save() giving the token to bob still authenticates as alice."""
    from rest_framework.authtoken.models import TokenProxy

    key = token.key
    assert who(call(key)) == "alice"
    proxy = TokenProxy.objects.get(key=key)
    proxy.user = bob
    committed(proxy.save)
    assert who(call(key)) == "bob"


def test_tokenproxy_orm_delete_revokes(token: Token, committed: Any) -> None:
    from rest_framework.authtoken.models import TokenProxy

    key = token.key
    assert who(call(key)) == "alice"
    committed(TokenProxy.objects.get(key=key).delete)
    assert_refused(call(key))


def test_token_saved_with_unchanged_user_keeps_working(token: Token, committed: Any) -> None:
    """A no-op save (the admin's "Save" without a change) must not break the token."""
    key = token.key
    assert who(call(key)) == "alice"
    committed(token.save)
    assert who(call(key)) == "alice"
    r, q = token_queries(key)
    assert who(r) == "alice"
    assert q == []  # cached again after one re-read
