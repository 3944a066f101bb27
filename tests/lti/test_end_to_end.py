"""dlmath as an LTI 1.3 tool, driven end to end by an independent platform (lti1p3platform).

Every step crosses real HTTP between two servers: the TinyLms starts launches and signs
id_tokens with its key; dlmath verifies them against the LMS's published JWKS; the LMS
verifies dlmath's deep-linking response and service tokens against dlmath's JWKS; grades
arrive at the LMS's score endpoint and the roster comes from its NRPS endpoint.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lti.browser import Browser, forms_in
from tests.lti.lms import Link, TinyLms, new_key_pem
from tests.lti.test_protocol_pages import assert_self_contained

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "apps/curriculum/content/probability/exercises/softmax/solution.py").read_text()
WRONG = "import numpy as np\ndef softmax(z):\n    return np.exp(z)\n"

pytestmark = pytest.mark.django_db(transaction=True)


def _cohort():
    from apps.progress.models import Cohort

    return Cohort.objects.get(name="Deep Learning 101")


def _account(lms: TinyLms, sub: str):
    from apps.lti.models import PlatformAccount

    return PlatformAccount.objects.get(issuer=lms.issuer, subject=sub).user


def _submit(browser: Browser, tool: str, page_html: str, code: str) -> dict:
    response = browser.post(
        f"{tool}/api/v1/exercises/softmax/submissions/",
        data={"code": code},
        headers={"X-CSRFToken": browser.csrf_token(page_html)},
    )
    assert response.status_code == 202, response.text[:300]
    return browser.get(f"{tool}/api/v1/submissions/{response.json()['id']}/").json()


def test_an_instructor_adds_exercises_from_inside_the_lms_by_deep_linking(
    lms, browser, tool
) -> None:
    picker = browser.launch(lms.start_url("teacher-1", deep_link=True))
    assert picker.status_code == 200
    assert "Add dlmath to your course" in picker.text
    (form,) = forms_in(picker.text)
    offered = {value for _, value in form.checkboxes}
    assert {"exercise:softmax", "module:probability", "exercise:power-iteration"} <= offered

    response = browser.submit(
        form, [("items", "exercise:softmax"), ("items", "module:probability")]
    )
    assert response.status_code == 200
    assert f"form-action 'self' {lms.url}" in response.headers["Content-Security-Policy"]
    (back,) = forms_in(response.text)
    assert back.action == f"{lms.url}/deep-link-return"
    assert_self_contained(response.text)  # the form posts itself with our own script file
    assert '<script src="/static/lti/autosubmit.js" defer></script>' in response.text

    # The LMS verifies our signature against our JWKS before it accepts the items.
    accepted = browser.submit(back)
    assert accepted.status_code == 200, accepted.text
    assert "Added 2 items" in accepted.text
    softmax, module = lms.deep_link_items
    assert softmax["type"] == "ltiResourceLink"
    assert softmax["url"] == f"{tool}/lti/launch/"
    assert softmax["custom"] == {"dlmath_exercise": "softmax"}
    assert softmax["lineItem"]["scoreMaximum"] == 10
    assert module["custom"] == {"dlmath_module": "probability"}
    # The instructor teaches the course's cohort in dlmath.
    assert list(_cohort().instructors.all()) == [_account(lms, "teacher-1")]


def test_a_learner_cannot_open_the_deep_linking_picker(lms, browser) -> None:
    response = browser.launch(lms.start_url("learner-1", deep_link=True))
    assert response.status_code == 403
    assert "Only an instructor" in response.text


def test_a_learner_launch_signs_them_in_on_the_linked_exercise_in_the_course_cohort(
    linked_course, browser, tool
) -> None:
    link = linked_course.link_to("exercise", "softmax")
    page = browser.launch(linked_course.start_url("learner-1", link=link.id))
    assert page.status_code == 200
    assert page.url == f"{tool}/exercises/softmax/"
    assert "Sign in" not in page.text
    alice = _account(linked_course, "learner-1")
    assert alice.first_name == "Alice"
    assert not alice.has_usable_password()
    assert alice.profile.role == "learner"
    assert list(_cohort().enrollments.values_list("user", flat=True)) == [alice.pk]

    again = Browser().launch(linked_course.start_url("learner-1", link=link.id))
    assert again.status_code == 200
    from apps.lti.models import PlatformAccount

    assert PlatformAccount.objects.filter(subject="learner-1").count() == 1


def test_the_learners_best_score_reaches_the_lms_gradebook(linked_course, browser, tool) -> None:
    softmax = linked_course.link_to("exercise", "softmax")
    page = browser.launch(linked_course.start_url("learner-1", link=softmax.id))
    first = _submit(browser, tool, page.text, WRONG)
    assert first["status"] == "failed"
    score = linked_course.scores_for(softmax)["learner-1"]
    assert score["scoreGiven"] == pytest.approx(first["score"] * 10)
    assert score["scoreMaximum"] == 10
    assert score["activityProgress"] == "Submitted"

    assert _submit(browser, tool, page.text, SOLUTION)["status"] == "passed"
    score = linked_course.scores_for(softmax)["learner-1"]
    assert (score["scoreGiven"], score["scoreMaximum"]) == (10, 10)
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"

    # A worse attempt later does not lower the LMS grade: the best score is what counts.
    _submit(browser, tool, page.text, WRONG)
    assert linked_course.scores_for(softmax)["learner-1"]["scoreGiven"] == 10

    # The module link, opened for the first time after the work was done, gets the
    # module's points at once.
    module = linked_course.link_to("module", "probability")
    browser.launch(linked_course.start_url("learner-1", link=module.id))
    module_score = linked_course.scores_for(module)["learner-1"]
    assert module_score["scoreGiven"] == 10
    from apps.curriculum.models import Module

    assert module_score["scoreMaximum"] == Module.objects.get(slug="probability").total_points


def test_a_regrade_that_changes_a_best_score_updates_the_lms_gradebook(
    linked_course, browser, tool
) -> None:
    from django.utils import timezone

    from apps.curriculum.models import Exercise
    from apps.progress.services import exercise_progress_record_attempt
    from apps.sandbox.models import Submission

    softmax = linked_course.link_to("exercise", "softmax")
    browser.launch(linked_course.start_url("learner-1", link=softmax.id))
    alice = _account(linked_course, "learner-1")
    exercise = Exercise.objects.get(slug="softmax")
    # Older checks gave Alice's wrong code 9 of 10; that score went to the gradebook.
    now = timezone.now()
    old = Submission.objects.create(
        user=alice, exercise=exercise, code=WRONG, status="failed", score=0.9, seed=4242,
        checks=[{"name": "old check", "passed": False, "message": "", "points": 1}],
        check_version=exercise.check_version, started_at=now, finished_at=now,
    )  # fmt: skip
    exercise_progress_record_attempt(
        user=alice, exercise=exercise, submission_id=old.pk, score=0.9, passed=False,
        failed_checks=["old check"], at=now,
    )  # fmt: skip
    assert linked_course.scores_for(softmax)["learner-1"]["scoreGiven"] == pytest.approx(9)

    # The checks change; the instructor regrades and accepts from dlmath's API.
    exercise.check_version += 1
    exercise.save(update_fields=["check_version"])
    teacher = Browser()
    page = teacher.launch(linked_course.start_url("teacher-1", link=softmax.id))
    headers = {"X-CSRFToken": teacher.csrf_token(page.text)}
    base = f"{tool}/api/v1/cohorts/{_cohort().pk}/regrades"
    started = teacher.post(f"{base}/", data={"exercise": "softmax"}, headers=headers)
    assert started.status_code == 202, started.text[:300]
    regrade_id = started.json()["id"]
    assert teacher.get(f"{base}/{regrade_id}/").json()["status"] == "ready"
    accepted = teacher.post(f"{base}/{regrade_id}/accept/", data={}, headers=headers)
    assert accepted.json()["accepted"] == 1, accepted.text[:300]

    new_score = Submission.objects.get(pk=old.pk).score
    assert new_score < 0.9
    score = linked_course.scores_for(softmax)["learner-1"]
    assert score["scoreGiven"] == pytest.approx(new_score * 10, abs=1e-3)
    assert score["activityProgress"] == "Submitted"
    from apps.lti.models import GradePassback

    (row,) = GradePassback.objects.filter(user_id=alice.pk, target__exercise=exercise)
    assert (row.status, row.sent_score) == ("sent", pytest.approx(new_score * 10, abs=1e-3))


def test_a_concept_check_answered_correctly_raises_the_module_grade_in_the_lms(
    linked_course, browser, tool
) -> None:
    from apps.curriculum.models import Question
    from apps.curriculum.selectors import question_variant
    from apps.sandbox.grading.questions import format_answer

    module = linked_course.link_to("module", "probability")
    page = browser.launch(linked_course.start_url("learner-1", link=module.id))
    assert "learner-1" not in linked_course.scores_for(module)  # nothing done yet
    alice = _account(linked_course, "learner-1")
    question = Question.objects.get(name="cross-entropy-by-hand", retired=False)
    right = format_answer(question_variant(question=question, user_id=alice.pk, variant=0).built)
    url = (
        f"{tool}/api/v1/modules/probability/lessons/{question.lesson.slug}"
        "/questions/cross-entropy-by-hand/answers/"
    )
    answered = browser.post(
        url, data={"answer": right}, headers={"X-CSRFToken": browser.csrf_token(page.text)}
    )
    assert answered.status_code == 200, answered.text[:300]
    assert answered.json()["correct"] is True
    score = linked_course.scores_for(module)["learner-1"]
    assert score["scoreGiven"] == question.points
    from apps.curriculum.models import Module

    assert score["scoreMaximum"] == Module.objects.get(slug="probability").total_points


def test_a_failed_passback_is_shown_to_the_instructor_and_retried_and_no_key_is_logged(
    linked_course, browser, tool, tool_key, caplog
) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    linked_course.fail_scores_with = 503
    softmax = linked_course.link_to("exercise", "softmax")
    page = browser.launch(linked_course.start_url("learner-1", link=softmax.id))
    assert _submit(browser, tool, page.text, SOLUTION)["status"] == "passed"
    assert "learner-1" not in linked_course.scores_for(softmax)

    teacher = Browser()
    teacher.launch(linked_course.start_url("teacher-1", link=softmax.id))
    url = f"{tool}/api/v1/lti/cohorts/{_cohort().pk}/grade-passbacks/"
    (row,) = teacher.get(url).json()["results"]
    assert row["learner"] == _account(linked_course, "learner-1").username
    assert row["status"] == "failed"
    assert row["attempts"] == 1
    assert "503" in row["last_error"]
    assert "gradebook is down" in row["last_error"]
    assert row["next_attempt_at"] is not None

    # Another learner's client cannot see or retry it.
    assert browser.get(url).status_code == 404

    # On the cohort's dashboard: the LMS's words, and a "Retry now" for the instructor.
    dashboard = teacher.get(f"{tool}/dashboard/{_cohort().pk}/")
    assert "Grades to the LMS" in dashboard.text
    assert "gradebook is down" in dashboard.text
    (retry_form,) = [f for f in forms_in(dashboard.text) if f.action.endswith("/retry/")]
    assert retry_form.action == f"/dashboard/{_cohort().pk}/grade-passbacks/{row['id']}/retry/"

    # Through the API while the LMS is still down: refused again, and it says so.
    retried = teacher.post(
        f"{tool}/api/v1/lti/grade-passbacks/{row['id']}/retry/",
        data={},
        headers={"X-CSRFToken": teacher.csrf_token(dashboard.text)},
    )
    assert retried.status_code == 202
    assert (retried.json()["status"], retried.json()["attempts"]) == ("failed", 2)

    # The LMS is back: the dashboard's button (a form post with its CSRF token) lands it.
    linked_course.fail_scores_with = None
    after = teacher.submit(retry_form)
    assert after.status_code == 200
    assert after.url == f"{tool}/dashboard/{_cohort().pk}/#lms-grades"
    assert "is in the LMS gradebook now" in after.text
    assert "Every grade is in the LMS gradebook (1 sent)" in after.text
    assert linked_course.scores_for(softmax)["learner-1"]["scoreGiven"] == 10
    (row,) = teacher.get(url).json()["results"]
    assert (row["status"], row["sent_score"], row["last_error"]) == ("sent", 10, "")

    key_body = "".join(tool_key.strip().splitlines()[1:-1])
    logged = caplog.text.replace("\n", "")
    assert key_body[:64] not in logged
    assert key_body[-64:] not in logged
    assert "Bearer" not in caplog.text


def test_the_lms_roster_fills_the_cohort(linked_course, browser, tool) -> None:
    softmax = linked_course.link_to("exercise", "softmax")
    page = browser.launch(linked_course.start_url("teacher-1", link=softmax.id))
    cohort = _cohort()
    sync = f"{tool}/api/v1/lti/cohorts/{cohort.pk}/roster-sync/"
    response = browser.post(sync, data={}, headers={"X-CSRFToken": browser.csrf_token(page.text)})
    assert response.status_code == 202
    learners = {_account(linked_course, "learner-1"), _account(linked_course, "learner-2")}
    assert {e.user for e in cohort.enrollments.all()} == learners
    assert list(cohort.instructors.all()) == [_account(linked_course, "teacher-1")]
    # Bob never launched; when he does, it is the account the roster made for him.
    bob = _account(linked_course, "learner-2")
    Browser().launch(linked_course.start_url("learner-2", link=softmax.id))
    assert _account(linked_course, "learner-2") == bob

    linked_course.people["learner-2"].status = "Inactive"
    browser.post(sync, data={}, headers={"X-CSRFToken": browser.csrf_token(page.text)})
    assert {e.user for e in cohort.enrollments.all()} == {_account(linked_course, "learner-1")}


def test_a_framed_launch_hands_off_to_a_new_tab_once(linked_course, tool) -> None:
    linked_course.document_target = "iframe"
    softmax = linked_course.link_to("exercise", "softmax")
    framed = Browser().launch(linked_course.start_url("learner-1", link=softmax.id))
    assert framed.status_code == 200
    assert "X-Frame-Options" not in framed.headers
    assert "frame-ancestors 'self' https:" in framed.headers["Content-Security-Policy"]
    import re

    href = re.search(r'href="(/lti/continue/\?token=[^"]+)"', framed.text).group(1)
    tab = Browser()
    opened = tab.get(f"{tool}{href.replace('&amp;', '&')}")
    assert opened.url == f"{tool}/exercises/softmax/"
    assert "Sign in" not in opened.text
    again = Browser().get(f"{tool}{href.replace('&amp;', '&')}")
    assert again.status_code == 403


# --- what must be refused ----------------------------------------------------------------


def test_a_replayed_launch_is_refused_even_from_the_same_browser(lms, browser) -> None:
    lms.links["rl-1"] = Link("rl-1", "Softmax", {"dlmath_exercise": "softmax"}, None)
    form = browser.open_launch_form(lms.start_url("learner-1", link="rl-1"))
    assert browser.submit(form).status_code == 200
    replay = browser.submit(form)
    assert replay.status_code == 403
    assert "already used" in replay.text
    # An eavesdropper who captured the form fares no better.
    assert Browser().submit(form).status_code == 403


def test_a_launch_form_taken_to_another_browser_is_refused(lms, browser) -> None:
    lms.links["rl-1"] = Link("rl-1", "Softmax", {"dlmath_exercise": "softmax"}, None)
    form = browser.open_launch_form(lms.start_url("learner-1", link="rl-1"))
    stolen = Browser().submit(form)  # no state cookie from our login step
    assert stolen.status_code == 403
    from apps.lti.models import PlatformAccount

    assert not PlatformAccount.objects.exists()


def test_a_launch_signed_with_a_key_the_lms_does_not_publish_is_refused(lms, browser) -> None:
    lms.links["rl-1"] = Link("rl-1", "Softmax", {"dlmath_exercise": "softmax"}, None)
    lms.signing_key = new_key_pem()[0]
    response = browser.launch(lms.start_url("learner-1", link="rl-1"))
    assert response.status_code == 403
    assert "could not be verified" in response.text
    from apps.lti.models import PlatformAccount

    assert not PlatformAccount.objects.exists()


def test_the_same_subject_from_another_platform_signs_into_another_account(
    lms, other_lms, tool
) -> None:
    for platform in (lms, other_lms):
        platform.links["rl-1"] = Link("rl-1", "Softmax", {"dlmath_exercise": "softmax"}, None)
    first, second = Browser(), Browser()
    assert first.launch(lms.start_url("learner-1", link="rl-1")).status_code == 200
    assert second.launch(other_lms.start_url("learner-1", link="rl-1")).status_code == 200
    ours, theirs = _account(lms, "learner-1"), _account(other_lms, "learner-1")
    assert ours != theirs
    # Each browser is signed in as its own platform's learner.
    me_first = first.get(f"{tool}/api/v1/progress/me/")
    assert me_first.status_code == 200
    from django.contrib.sessions.models import Session

    signed_in = {int(s.get_decoded()["_auth_user_id"]) for s in Session.objects.all()}
    assert signed_in == {ours.pk, theirs.pk}


def test_a_deployment_not_activated_in_dlmath_is_refused(lms, browser) -> None:
    lms.links["rl-1"] = Link("rl-1", "Softmax", {"dlmath_exercise": "softmax"}, None)
    lms.deployment_id = "deployment-nobody-registered"
    response = browser.launch(lms.start_url("learner-1", link="rl-1"))
    assert response.status_code == 403
    assert "not activated" in response.text
