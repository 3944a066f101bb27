"""The signed-in user comes from the shared cache, and never outlives a change to it."""

from __future__ import annotations

import contextlib

import pytest
from django.contrib.auth import SESSION_KEY, get_user
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.lti.services.cohorts import cohort_place
from apps.progress.models import Profile, Role
from apps.progress.selectors import user_is_instructor

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = "/learn/"


class RolledBack(Exception):
    pass


@pytest.fixture(autouse=True)
def _shared_cache(settings) -> None:
    # One test process: its local-memory cache is as shared as Redis would be.
    settings.SHARED_CACHE = True


def user_queries(client, path: str = PAGE) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [
        q["sql"] for q in queries if '"auth_user"' in q["sql"] or '"progress_profile"' in q["sql"]
    ]


def signed_in(client) -> bool:
    response = client.get(PAGE)
    assert response.status_code == 200
    return bool(response.wsgi_request.user.is_authenticated)


def test_it_reads_the_signed_in_user_and_profile_once(client, alice) -> None:
    client.force_login(alice)
    first = user_queries(client)
    assert len(first) == 1, first  # the user with its profile, one statement
    assert user_queries(client) == []


def test_without_a_shared_cache_every_request_reads_the_user(client, alice, settings) -> None:
    settings.SHARED_CACHE = False
    client.force_login(alice)
    user_queries(client)
    assert any('"auth_user"' in sql for sql in user_queries(client))


def test_a_password_change_signs_out_the_other_sessions(client, alice) -> None:
    client.force_login(alice)
    user_queries(client)  # cached now
    alice.set_password("a whole new secret 42")
    alice.save()
    assert not signed_in(client)
    assert SESSION_KEY not in client.session


def test_a_deactivated_user_is_signed_out_at_once(client, alice) -> None:
    client.force_login(alice)
    user_queries(client)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert not signed_in(client)


def test_a_deleted_user_is_signed_out_at_once(client, alice) -> None:
    client.force_login(alice)
    user_queries(client)
    alice.delete()
    assert not signed_in(client)


def test_a_role_given_by_an_lms_launch_shows_on_the_next_request(
    client, alice, make_cohort, teacher, rf
) -> None:
    # cohort_place makes the learner an instructor with update(), which sends no signal.
    client.force_login(alice)
    user_queries(client)
    cohort = make_cohort(teacher, [])
    cohort_place(cohort=cohort, user=alice, teaches=True, learns=False)
    assert Profile.objects.get(user=alice).role == Role.INSTRUCTOR
    request = rf.get(PAGE)
    request.session = client.session
    assert user_is_instructor(user=get_user(request))
    assert "/dashboard/" in client.get(PAGE).content.decode()


def test_a_profile_saved_in_the_admin_shows_on_the_next_request(client, alice) -> None:
    client.force_login(alice)
    user_queries(client)
    profile = Profile.objects.get(user=alice)
    profile.role = Role.INSTRUCTOR
    profile.save()
    assert "/dashboard/" in client.get(PAGE).content.decode()


def test_a_change_rolled_back_leaves_the_cached_user(client, alice) -> None:
    client.force_login(alice)
    user_queries(client)
    with contextlib.suppress(RolledBack), transaction.atomic():
        alice.first_name = "Never"
        alice.save()
        raise RolledBack
    assert user_queries(client) == []
