"""Submissions over the REST API, from the outside: status codes, schema, who sees what."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "apps/curriculum/content/probability/exercises/softmax/solution.py").read_text()
WRONG = "import numpy as np\ndef softmax(z):\n    return np.exp(z)\n"
URL = "/api/v1/exercises/softmax/submissions/"
RESULT_KEYS = {
    "id",
    "exercise",
    "status",
    "score",
    "checks",
    "figures",
    "stdout",
    "stderr",
    "duration_ms",
    "created_at",
    "finished_at",
    "diagnosis",
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def submit(api_client, django_capture_on_commit_callbacks):
    def post(user, code, url=URL, **kwargs):
        api_client.force_authenticate(user)
        with django_capture_on_commit_callbacks(execute=True):
            return api_client.post(url, {"code": code}, format="json", **kwargs)

    return post


def test_it_accepts_code_with_202_and_the_result_schema(submit, alice) -> None:
    response = submit(alice, SOLUTION)
    assert response.status_code == 202
    body = response.json()
    assert set(body) >= RESULT_KEYS
    assert body["exercise"] == "softmax"


def test_the_result_is_graded_and_readable_by_its_owner(submit, alice, api_client) -> None:
    submission_id = submit(alice, WRONG).json()["id"]
    body = api_client.get(f"/api/v1/submissions/{submission_id}/").json()
    assert body["status"] == "failed"
    assert 0 <= body["score"] < 1
    assert any(not check["passed"] for check in body["checks"])
    assert body["finished_at"] is not None


def test_a_known_mistake_is_stored_and_served_with_its_diagnosis(submit, alice, api_client) -> None:
    overflowing = (
        ROOT / "apps/curriculum/content/probability/exercises/softmax/mistakes/overflows.py"
    )
    submission_id = submit(alice, overflowing.read_text()).json()["id"]
    body = api_client.get(f"/api/v1/submissions/{submission_id}/").json()
    assert body["status"] == "failed"
    assert body["diagnosis"]["id"] == "no-max-shift"
    assert body["diagnosis"]["fix"]
    assert isinstance(body["diagnosis"]["hints"], list)


def test_the_schema_documents_the_diagnosis(api_client) -> None:
    schema = api_client.get("/api/schema/?format=json").json()
    result = schema["components"]["schemas"]["SubmissionOutput"]["properties"]
    assert result["diagnosis"]["nullable"] is True
    diagnosis = schema["components"]["schemas"]["DiagnosisOutput"]["properties"]
    assert set(diagnosis) == {"id", "message", "fix", "hints"}


def test_a_student_cannot_read_another_students_submission(submit, alice, bob, api_client) -> None:
    submission_id = submit(alice, SOLUTION).json()["id"]
    api_client.force_authenticate(bob)
    assert api_client.get(f"/api/v1/submissions/{submission_id}/").status_code == 404


def test_an_instructor_reads_submissions_of_their_cohort_only(
    submit, alice, bob, teacher, make_cohort, api_client
) -> None:
    make_cohort(teacher, [alice])
    alices = submit(alice, SOLUTION).json()["id"]
    bobs = submit(bob, SOLUTION).json()["id"]
    api_client.force_authenticate(teacher)
    assert api_client.get(f"/api/v1/submissions/{alices}/").status_code == 200
    assert api_client.get(f"/api/v1/submissions/{bobs}/").status_code == 404


def test_anonymous_users_get_401_on_private_endpoints(api_client) -> None:
    for url in (
        URL,
        "/api/v1/submissions/1/",
        "/api/v1/progress/me/",
        "/api/v1/cohorts/1/progress/",
    ):
        assert api_client.get(url).status_code == 401, url
    assert api_client.post(URL, {"code": SOLUTION}, format="json").status_code == 401


def test_an_unknown_exercise_is_404(submit, alice) -> None:
    assert (
        submit(alice, SOLUTION, url="/api/v1/exercises/no-such-thing/submissions/").status_code
        == 404
    )


def test_malformed_json_is_a_400_that_stores_nothing(api_client, alice) -> None:
    from apps.sandbox.models import Submission

    api_client.force_authenticate(alice)
    response = api_client.post(URL, data='{"code": "x', content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    assert api_client.post(URL, {"kode": "x"}, format="json").status_code == 400
    assert Submission.objects.count() == 0


def test_oversized_code_is_stored_as_rejected_with_the_reason(submit, alice) -> None:
    body = submit(alice, "# " + "x" * 70_000).json()
    assert body["status"] == "rejected"
    assert "64 KiB" in body["error"]["message"]


def test_history_lists_only_my_submissions_newest_first(submit, alice, bob, api_client) -> None:
    first = submit(alice, WRONG).json()["id"]
    second = submit(alice, SOLUTION).json()["id"]
    submit(bob, SOLUTION)
    api_client.force_authenticate(alice)
    body = api_client.get(URL).json()
    assert [item["id"] for item in body["results"]] == [second, first]
    assert body["count"] == 2


def test_submissions_are_throttled_per_learner(submit, alice, bob, settings) -> None:
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "submissions": "2/min"}
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates
    from django.core.cache import cache

    cache.clear()
    try:
        assert submit(alice, WRONG).status_code == 202
        assert submit(alice, WRONG).status_code == 202
        assert submit(alice, WRONG).status_code == 429
        assert submit(bob, WRONG).status_code == 202, "another learner has their own budget"
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
        cache.clear()


def test_a_recent_running_submission_is_still_pending(alice, api_client) -> None:
    from django.utils import timezone

    from apps.curriculum.models import Exercise
    from apps.sandbox.models import Submission

    running = Submission.objects.create(
        user=alice,
        exercise=Exercise.objects.get(slug="softmax"),
        code=SOLUTION,
        status="running",
        started_at=timezone.now(),
        runs=1,
    )
    api_client.force_authenticate(alice)
    assert api_client.get(f"/api/v1/submissions/{running.pk}/").json()["status"] == "running"


def test_running_the_task_twice_grades_once(submit, alice) -> None:
    from apps.progress.models import ExerciseProgress
    from apps.sandbox.models import Submission
    from apps.sandbox.services import submission_run

    submission_id = submit(alice, SOLUTION).json()["id"]
    assert submission_run(submission_id=submission_id) is None, (
        "a finished submission is left alone"
    )
    assert Submission.objects.get(pk=submission_id).runs == 1
    assert ExerciseProgress.objects.get(user=alice).attempts == 1


def test_history_can_be_filtered_by_verdict(submit, alice, api_client) -> None:
    submit(alice, WRONG)
    passed = submit(alice, SOLUTION).json()["id"]
    api_client.force_authenticate(alice)
    body = api_client.get(URL, {"status": "passed"}).json()
    assert [item["id"] for item in body["results"]] == [passed]
    assert api_client.get(URL, {"status": "bogus"}).status_code == 400


def test_without_a_working_sandbox_code_is_not_run_and_the_learner_is_told(
    submit, alice, monkeypatch
) -> None:
    # A machine without root or user namespaces can't be had in CI; make the pool say so.
    from apps.sandbox.backends import ZygotePoolBackend
    from apps.sandbox.runner import SandboxUnavailable

    def refuse(self, code, calls, limits):
        raise SandboxUnavailable("no root and no user namespaces")

    monkeypatch.setattr(ZygotePoolBackend, "run", refuse)
    monkeypatch.setattr(ZygotePoolBackend, "start", refuse)  # grading starts its run
    body = submit(alice, SOLUTION).json()
    from apps.progress.models import ExerciseProgress
    from apps.sandbox.models import Submission

    stored = Submission.objects.get(pk=body["id"])
    assert stored.status == "error"
    assert "cannot grade code safely" in stored.error["message"]
    assert "no user namespaces" in stored.error["message"]
    assert not ExerciseProgress.objects.filter(user=alice, attempts__gt=0).exists()


# ----- storing a result: never left running, never "not submitted" when it was ---------------

HOSTILE = "a\x1b[2J\u202e\x00\ud800z"


def hostile_grade():
    from apps.sandbox.grading.results import CheckResult, ErrorInfo, GradeResult, Verdict

    return GradeResult(
        exercise="softmax",
        status=Verdict.ERROR,
        checks=(CheckResult(name=HOSTILE, passed=False, message=HOSTILE, points=1),),
        figures=({"data": [{"name": HOSTILE, "y": [1.0]}], "layout": {HOSTILE: HOSTILE}},),
        stdout=HOSTILE,
        stderr=HOSTILE,
        error=ErrorInfo(type=HOSTILE, message=HOSTILE, line=1, traceback=HOSTILE),
    )


def test_a_grade_with_unstorable_text_is_stored_escaped_and_served(
    submit, alice, api_client, monkeypatch
) -> None:
    # Whatever text reaches a grade (a check message quoting a learner's value, say), no NUL
    # or lone surrogate is written: PostgreSQL would refuse the row, a renderer the response.
    from apps.sandbox import services

    monkeypatch.setattr(services, "grade_code", lambda *args, **kwargs: hostile_grade())
    response = submit(alice, SOLUTION)
    assert response.status_code == 202
    body = api_client.get(f"/api/v1/submissions/{response.json()['id']}/").json()
    escaped = "a\\x1b[2J\\u202e\\x00\\ud800z"
    assert body["status"] == "error"
    assert (body["stdout"], body["stderr"]) == (escaped, escaped)
    assert body["checks"][0]["message"] == escaped
    assert body["error"]["message"] == body["error"]["type"] == escaped
    assert body["figures"][0]["layout"][escaped] == escaped


@pytest.mark.parametrize("fault", ["value the database refuses", "database error"])
def test_a_grade_that_cannot_be_stored_finishes_the_submission_as_an_error(
    submit, alice, api_client, monkeypatch, fault
) -> None:
    from contextlib import nullcontext

    from django.db import DataError, connection

    from apps.progress.models import ExerciseProgress
    from apps.sandbox import services

    def refuse(execute, sql, params, many, context):
        # The database refuses the grade's row (as PostgreSQL refuses a NUL in JSON).
        if sql.startswith('UPDATE "sandbox_submission"') and '"figures"' in sql:
            raise DataError("unsupported Unicode escape sequence")
        return execute(sql, params, many, context)

    refusing = nullcontext()
    if fault == "database error":
        refusing = connection.execute_wrapper(refuse)
    else:
        columns = services.result_columns
        monkeypatch.setattr(
            services, "result_columns", lambda result: {**columns(result), "figures": [object()]}
        )
    with refusing:
        response = submit(alice, SOLUTION)
    assert response.status_code == 202, "the code was submitted: never a 503 'not submitted'"
    detail = api_client.get(f"/api/v1/submissions/{response.json()['id']}/")
    assert detail.status_code == 200
    body = detail.json()
    assert body["status"] == "error"
    assert body["finished_at"] is not None
    assert "could not be saved" in body["checks"][0]["message"]
    assert not ExerciseProgress.objects.filter(user=alice, attempts__gt=0).exists()


def test_grading_that_fails_inline_is_not_reported_as_code_not_submitted(
    submit, alice, monkeypatch
) -> None:
    # Celery eager (no broker): the task runs inside the POST. Its failure is grading's, and
    # the row exists: the learner is not told their code was not submitted.
    from apps.sandbox import services
    from apps.sandbox.models import Submission

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in an exercise's checks")

    monkeypatch.setattr(services, "grade_code", broken)
    response = submit(alice, SOLUTION)
    assert response.status_code == 202
    assert Submission.objects.filter(pk=response.json()["id"]).exists()
