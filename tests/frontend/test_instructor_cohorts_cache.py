"""An instructor's cohorts from the cache (``dashboard._cohorts_of``): never stale, never another's.

With a shared cache the cohort page finds its cohort, and lists the others, from a copy kept
under the cohorts' epoch; every change to what that list shows or whom it admits (a cohort
created, renamed, archived, given a new join code, deleted; an instructor added or taken off;
a cohort made an LMS course) must show on the very next view.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.progress.models import Cohort, Role
from apps.progress.services import (
    cohort_archive,
    cohort_create,
    cohort_join_code_rotate,
    cohort_rename,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shared_cache(settings: Any) -> None:
    # One test process: its local-memory cache is as shared as Redis would be.
    settings.SHARED_CACHE = True


@pytest.fixture
def cohort(teacher: Any, committed: Any) -> Cohort:
    return committed(cohort_create, name="Autumn", instructor=teacher)


def page(client: Any, cohort: Cohort) -> tuple[int, str]:
    response = client.get(f"/dashboard/{cohort.pk}/")
    return response.status_code, response.content.decode()


def test_a_second_view_reads_no_cohort(client: Any, teacher: Any, cohort: Cohort) -> None:
    client.force_login(teacher)
    assert page(client, cohort)[0] == 200
    with CaptureQueriesContext(connection) as queries:
        assert page(client, cohort)[0] == 200
    read = [q["sql"] for q in queries if '"progress_cohort"' in q["sql"]]
    assert read == []


def test_a_cohort_created_renamed_or_archived_shows_at_once(
    client: Any, teacher: Any, cohort: Cohort, committed: Any
) -> None:
    client.force_login(teacher)
    assert "Winter" not in page(client, cohort)[1]
    other = committed(cohort_create, name="Winter", instructor=teacher)
    assert f'href="/dashboard/{other.pk}/">Winter</a>' in page(client, cohort)[1]
    committed(cohort_rename, cohort=other, instructor=teacher, name="Spring")
    assert f'href="/dashboard/{other.pk}/">Spring</a>' in page(client, cohort)[1]
    committed(cohort_rename, cohort=cohort, instructor=teacher, name="Late autumn")
    assert "<h1>Late autumn" in page(client, cohort)[1]
    committed(cohort_archive, cohort=cohort, instructor=teacher)
    assert "Reopen cohort" in page(client, cohort)[1]


def test_a_new_join_code_shows_at_once(
    client: Any, teacher: Any, cohort: Cohort, committed: Any
) -> None:
    client.force_login(teacher)
    old = cohort.join_code
    assert old in page(client, cohort)[1]
    committed(cohort_join_code_rotate, cohort=cohort, instructor=teacher)  # an update()
    html = page(client, cohort)[1]
    assert cohort.join_code in html
    assert old not in html


def test_an_instructor_taken_off_or_added_is_let_in_accordingly_at_once(
    client: Any, teacher: Any, make_user: Any, cohort: Cohort, committed: Any
) -> None:
    client.force_login(teacher)
    assert page(client, cohort)[0] == 200
    committed(lambda: cohort.instructors.remove(teacher))  # as the admin's form does
    assert page(client, cohort)[0] == 404
    committed(lambda: cohort.instructors.add(teacher))
    assert page(client, cohort)[0] == 200
    colleague = make_user("colleague", role=Role.INSTRUCTOR)
    client.force_login(colleague)
    assert page(client, cohort)[0] == 404
    committed(lambda: colleague.taught_cohorts.add(cohort))  # from the user's side
    assert page(client, cohort)[0] == 200
    committed(colleague.taught_cohorts.clear)
    assert page(client, cohort)[0] == 404


def test_a_deleted_cohort_is_gone_at_once(
    client: Any, teacher: Any, cohort: Cohort, committed: Any
) -> None:
    other = committed(cohort_create, name="Winter", instructor=teacher)
    client.force_login(teacher)
    assert page(client, cohort)[0] == 200
    assert page(client, other)[0] == 200
    committed(Cohort.objects.filter(pk=other.pk).delete)
    assert page(client, other)[0] == 404
    assert "Winter" not in page(client, cohort)[1]


def test_a_cohort_made_an_lms_course_shows_its_panel_at_once(
    client: Any, teacher: Any, cohort: Cohort, committed: Any
) -> None:
    from lti_tool.models import LtiContext, LtiDeployment, LtiRegistration

    from apps.lti.models import ContextCohort

    client.force_login(teacher)
    assert 'id="lms-grades"' not in page(client, cohort)[1]
    registration = LtiRegistration.objects.create(
        name="LMS",
        issuer="https://lms.test",
        client_id="dlmath",
        auth_url="https://lms.test/auth",
        token_url="https://lms.test/token",
        keyset_url="https://lms.test/jwks",
    )
    deployment = LtiDeployment.objects.create(
        registration=registration, deployment_id="1", is_active=True
    )
    context = LtiContext.objects.create(deployment=deployment, id_on_platform="course-1")
    link = committed(ContextCohort.objects.create, context=context, cohort=cohort)
    assert 'id="lms-grades"' in page(client, cohort)[1]
    committed(link.delete)
    assert 'id="lms-grades"' not in page(client, cohort)[1]


def test_instructors_never_get_each_others_lists(
    client: Any, teacher: Any, make_user: Any, cohort: Cohort, committed: Any
) -> None:
    colleague = make_user("colleague", role=Role.INSTRUCTOR)
    theirs = committed(cohort_create, name="Theirs", instructor=colleague)
    client.force_login(teacher)
    assert "Theirs" not in page(client, cohort)[1]
    assert page(client, theirs)[0] == 404
    client.force_login(colleague)
    assert page(client, theirs)[0] == 200
    assert page(client, cohort)[0] == 404
