"""The cohort dashboard of an LMS course shows each grade the LMS has not taken yet (failed,
with what the LMS said and when it is retried, or pending) and lets the cohort's instructor
send one again now."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
import requests
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db

_course = itertools.count(1)
LMS_ERROR = "the LMS answered HTTP 503: <b>gradebook is down</b>"


class LmsCourse:
    """An LMS course taught as a cohort, with one softmax link and its gradebook column."""

    def __init__(self, cohort: Any) -> None:
        from lti_tool.models import (
            LtiContext,
            LtiDeployment,
            LtiRegistration,
            LtiResourceLink,
        )

        from apps.curriculum.models import Exercise
        from apps.lti.models import ContextCohort, LinkTarget

        n = next(_course)
        self.registration = LtiRegistration.objects.create(
            name=f"LMS {n}",
            issuer=f"https://lms{n}.test",
            client_id="dlmath",
            auth_url=f"https://lms{n}.test/auth",
            token_url=f"https://lms{n}.test/token",
            keyset_url=f"https://lms{n}.test/jwks",
        )
        deployment = LtiDeployment.objects.create(
            registration=self.registration, deployment_id="1", is_active=True
        )
        context = LtiContext.objects.create(
            deployment=deployment, id_on_platform=f"course-{n}", title=cohort.name,
            can_publish_scores=True,
        )  # fmt: skip
        ContextCohort.objects.create(context=context, cohort=cohort)
        link = LtiResourceLink.objects.create(context=context, id_on_platform="link-1")
        self.target = LinkTarget.objects.create(
            resource_link=link,
            exercise=Exercise.objects.get(slug="softmax"),
            lineitem_url=f"https://lms{n}.test/lineitems/1",
        )

    def passback(self, learner: Any, status: str, **fields: Any) -> Any:
        from lti_tool.models import LtiUser

        from apps.lti.models import GradePassback

        lti_user = LtiUser.objects.create(
            registration=self.registration, sub=learner.username, auth_user=learner
        )
        return GradePassback.objects.create(
            lti_user=lti_user,
            target=self.target,
            user=learner,
            score_given=fields.pop("score_given", 10.0),
            score_maximum=10.0,
            status=status,
            next_attempt_at=fields.pop("next_attempt_at", timezone.now()),
            **fields,
        )


@pytest.fixture
def teacher(instructor_factory: Any) -> Any:
    return instructor_factory("ada-teacher")


@pytest.fixture
def course(teacher: Any, learner_factory: Any, cohort_factory: Any) -> LmsCourse:
    cohort = cohort_factory(teacher, (learner_factory("alice"), learner_factory("bob")))
    return LmsCourse(cohort)


def panel_of(html: str) -> str:
    start = html.index('id="lms-grades"')
    return html[start : html.index("</section>", start)]


def test_it_shows_failed_and_pending_grades_with_the_lms_answer_and_next_retry(
    client: Any, teacher: Any, course: LmsCourse, learner_factory: Any
) -> None:
    alice, bob, carol = learner_factory("alice-2"), learner_factory("bob-2"), learner_factory()
    retry_at = timezone.now() + timedelta(minutes=30)
    failed = course.passback(
        alice, "failed", attempts=3, last_error=LMS_ERROR, next_attempt_at=retry_at,
        score_given=7.5,
    )  # fmt: skip
    pending = course.passback(bob, "pending")
    sent = course.passback(carol, "sent", sent_score=10.0)
    client.force_login(teacher)

    response = client.get(
        f"/dashboard/{course.target.resource_link.context.dlmath_cohort.cohort_id}/"
    )
    assert response.status_code == 200
    panel = panel_of(response.content.decode())
    assert "1 failed, 1 pending, 1 in the LMS gradebook" in panel
    assert "alice-2" in panel
    assert "bob-2" in panel
    assert carol.username not in panel
    assert "7.5 / 10" in panel
    assert "3 attempts" in panel
    assert "HTTP 503: &lt;b&gt;gradebook is down&lt;/b&gt;" in panel
    assert f'datetime="{timezone.localtime(retry_at).isoformat()}"' in panel
    cohort_id = course.target.resource_link.context.dlmath_cohort.cohort_id
    for row in (failed, pending):
        assert f'action="/dashboard/{cohort_id}/grade-passbacks/{row.pk}/retry/"' in panel
    assert f"/grade-passbacks/{sent.pk}/retry/" not in panel
    assert panel.count('name="csrfmiddlewaretoken"') == 2
    # The failed grade comes first: it is the one that needs the instructor.
    assert panel.index("alice-2") < panel.index("bob-2")


def test_it_says_when_every_grade_is_in_the_lms(
    client: Any, teacher: Any, course: LmsCourse, learner_factory: Any
) -> None:
    course.passback(learner_factory(), "sent", sent_score=10.0)
    client.force_login(teacher)
    cohort_id = course.target.resource_link.context.dlmath_cohort.cohort_id
    panel = panel_of(client.get(f"/dashboard/{cohort_id}/").content.decode())
    assert "Every grade is in the LMS gradebook (1 sent)" in panel
    assert "Retry now" not in panel


def test_a_cohort_that_is_not_an_lms_course_has_no_panel(
    client: Any, teacher: Any, cohort_factory: Any
) -> None:
    cohort = cohort_factory(teacher, name="Face to face")
    client.force_login(teacher)
    html = client.get(f"/dashboard/{cohort.pk}/").content.decode()
    assert 'id="lms-grades"' not in html


def test_the_panel_costs_the_same_queries_for_one_grade_or_many(
    client: Any, teacher: Any, course: LmsCourse, learner_factory: Any
) -> None:
    from django.db import connection

    cohort_id = course.target.resource_link.context.dlmath_cohort.cohort_id
    client.force_login(teacher)
    course.passback(learner_factory(), "failed", last_error=LMS_ERROR)
    with CaptureQueriesContext(connection) as one:
        client.get(f"/dashboard/{cohort_id}/")
    for _ in range(5):
        course.passback(learner_factory(), "failed", last_error=LMS_ERROR)
    with CaptureQueriesContext(connection) as six:
        html = client.get(f"/dashboard/{cohort_id}/").content.decode()
    assert panel_of(html).count("Retry now<") == 6
    assert len(six) == len(one)


def test_retry_now_sends_the_grade_again(
    client: Any,
    teacher: Any,
    course: LmsCourse,
    learner_factory: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from apps.lti.services import passbacks

    sent_to_lms: list[float] = []
    monkeypatch.setattr(passbacks, "_ags_put", lambda row: sent_to_lms.append(row.score_given))
    row = course.passback(
        learner_factory("dora"), "failed", attempts=2, last_error=LMS_ERROR,
        next_attempt_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    cohort_id = course.target.resource_link.context.dlmath_cohort.cohort_id
    client.force_login(teacher)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/dashboard/{cohort_id}/grade-passbacks/{row.pk}/retry/")
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/{cohort_id}/#lms-grades"
    assert sent_to_lms == [10.0]
    row.refresh_from_db()
    assert (row.status, row.sent_score, row.last_error) == ("sent", 10.0, "")
    page = client.get(response["Location"]).content.decode()
    # Handed to the worker after the request's commit (the end-to-end test sees it land).
    title = course.target.title
    assert f"dora&#x27;s grade for {title} is on its way to the LMS." in page
    assert "Every grade is in the LMS gradebook (1 sent)" in panel_of(page)


def test_a_retry_the_lms_refuses_again_stays_failed_with_the_reason(
    client: Any,
    teacher: Any,
    course: LmsCourse,
    learner_factory: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from apps.lti.services import passbacks

    def refuse(row: Any) -> None:
        raise requests.ConnectionError("no route to the LMS")

    monkeypatch.setattr(passbacks, "_ags_put", refuse)
    row = course.passback(learner_factory("erin"), "failed", attempts=1, last_error=LMS_ERROR)
    cohort_id = course.target.resource_link.context.dlmath_cohort.cohort_id
    client.force_login(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/dashboard/{cohort_id}/grade-passbacks/{row.pk}/retry/")
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 2)
    assert row.next_attempt_at > timezone.now()
    panel = panel_of(client.get(f"/dashboard/{cohort_id}/").content.decode())
    assert "the LMS could not be reached (ConnectionError)" in panel
    assert "2 attempts" in panel


def test_an_instructor_of_another_cohort_gets_404(
    client: Any,
    course: LmsCourse,
    instructor_factory: Any,
    cohort_factory: Any,
    learner_factory: Any,
    monkeypatch: Any,
) -> None:
    from apps.lti.services import passbacks

    monkeypatch.setattr(passbacks, "_ags_put", lambda *_: pytest.fail("nothing may be sent"))
    row = course.passback(learner_factory(), "failed", last_error=LMS_ERROR)
    cohort_id = course.target.resource_link.context.dlmath_cohort.cohort_id
    other_teacher = instructor_factory("bob-teacher")
    own = cohort_factory(other_teacher, name="Bob's own")
    LmsCourse(own)
    client.force_login(other_teacher)
    assert client.get(f"/dashboard/{cohort_id}/").status_code == 404
    assert client.post(f"/dashboard/{cohort_id}/grade-passbacks/{row.pk}/retry/").status_code == 404
    # Nor through a cohort of their own.
    assert client.post(f"/dashboard/{own.pk}/grade-passbacks/{row.pk}/retry/").status_code == 404
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 0)


def test_a_learner_and_a_visitor_cannot_retry(
    client: Any, course: LmsCourse, learner_factory: Any
) -> None:
    learner = learner_factory("fay")
    row = course.passback(learner, "failed", last_error=LMS_ERROR)
    cohort_id = course.target.resource_link.context.dlmath_cohort.cohort_id
    url = f"/dashboard/{cohort_id}/grade-passbacks/{row.pk}/retry/"
    anonymous = client.post(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    client.force_login(learner)
    assert client.post(url).status_code == 404


def test_retry_now_is_a_post_with_the_csrf_token(
    teacher: Any, course: LmsCourse, learner_factory: Any
) -> None:
    row = course.passback(learner_factory(), "failed", last_error=LMS_ERROR)
    cohort_id = course.target.resource_link.context.dlmath_cohort.cohort_id
    url = f"/dashboard/{cohort_id}/grade-passbacks/{row.pk}/retry/"
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(teacher)
    assert browser.get(url).status_code == 405
    assert browser.post(url).status_code == 403
    row.refresh_from_db()
    assert row.status == "failed"
