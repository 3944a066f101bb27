"""Runs without grading over the REST API (try-it cells, run on my own input): 202 and poll,
who sees what, the verdicts, the throttle, never an attempt, and expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.progress.models import ActivityDay, ExerciseProgress
from apps.sandbox.models import Run, Submission
from apps.sandbox.runs import RUN_TTL, RUNS_KEPT_PER_USER, run_create, runs_expire

pytestmark = pytest.mark.django_db

SOFTMAX = """import numpy as np

def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
"""
PLOT = "import numpy as np\nfrom dlplot import line\nline(np.arange(4.0) ** 2)\nprint('drawn')\n"
RUN_KEYS = {
    "id", "kind", "exercise", "status", "code", "input", "stdout", "stderr", "error", "value",
    "figures", "notes", "duration_ms", "created_at", "finished_at",
}  # fmt: skip


@pytest.fixture
def post(api_client, django_capture_on_commit_callbacks):
    """POST as ``user``; the run executes (eager Celery) once the request's transaction
    commits, so the response says queued and the result is read back as the page polls it."""

    def send(user, url, data):
        api_client.force_authenticate(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client.post(url, data, format="json")
        if response.status_code == 202:
            response.finished = api_client.get(f"/api/v1/runs/{response.json()['id']}/").json()
        return response

    return send


def test_a_try_run_answers_202_with_its_output_and_figures(post, alice, api_client) -> None:
    response = post(alice, "/api/v1/runs/", {"code": PLOT})
    assert response.status_code == 202
    body = response.json()
    assert set(body) == RUN_KEYS
    assert (body["kind"], body["exercise"]) == ("try", None)
    assert body["status"] == "queued"
    polled = response.finished
    assert polled["status"] == "ok"
    assert polled["stdout"] == "drawn\n"
    assert polled["figures"][0]["data"][0]["y"] == [0.0, 1.0, 4.0, 9.0]
    assert polled["value"] is None


def test_an_input_run_returns_the_value_shape_dtype_and_a_figure(post, alice) -> None:
    body = post(
        alice,
        "/api/v1/exercises/softmax/runs/",
        {"code": SOFTMAX, "input": "softmax(np.array([1000.0, 0.0]))"},
    ).finished
    assert (body["kind"], body["exercise"], body["status"]) == ("input", "softmax", "ok")
    assert body["value"]["shape"] == [2]
    assert body["value"]["dtype"] == "float64"
    assert body["value"]["text"] == "[1., 0.]"
    assert body["figures"]


def test_errors_name_the_line_and_whether_it_is_in_the_code_or_the_input(post, alice) -> None:
    body = post(
        alice, "/api/v1/exercises/softmax/runs/", {"code": SOFTMAX, "input": "x = 1\nsoftmax(x, 2)"}
    ).finished
    assert body["status"] == "error"
    assert (body["error"]["type"], body["error"]["where"], body["error"]["line"]) == (
        "TypeError",
        "input",
        2,
    )
    broken = post(
        alice, "/api/v1/runs/", {"code": "import numpy as np\n\nnp.zeros(2) + [1, 2, 3]\n"}
    ).finished
    assert (broken["status"], broken["error"]["where"], broken["error"]["line"]) == (
        "error",
        "code",
        3,
    )


def test_timeouts_and_rejections_are_verdicts_like_submissions(post, alice) -> None:
    spin = post(
        alice, "/api/v1/exercises/softmax/runs/", {"code": SOFTMAX, "input": "while True: pass"}
    ).finished
    assert spin["status"] == "timeout"
    assert post(alice, "/api/v1/runs/", {"code": ""}).finished["status"] == "rejected"
    too_big = post(alice, "/api/v1/runs/", {"code": "x = 1\n" * 20_000}).finished
    assert too_big["status"] == "rejected"
    assert "limit" in too_big["error"]["message"]
    empty_input = post(
        alice, "/api/v1/exercises/softmax/runs/", {"code": SOFTMAX, "input": " "}
    ).finished
    assert empty_input["status"] == "rejected"


def test_a_run_is_never_an_attempt(post, alice) -> None:
    post(
        alice, "/api/v1/exercises/softmax/runs/", {"code": SOFTMAX, "input": "softmax(np.ones(3))"}
    )
    post(alice, "/api/v1/runs/", {"code": PLOT})
    assert not Submission.objects.exists()
    assert not ExerciseProgress.objects.filter(user=alice).exists()
    assert not ActivityDay.objects.filter(user=alice).exists()


def test_another_learner_cannot_read_my_run(
    post, alice, bob, teacher, make_cohort, api_client
) -> None:
    make_cohort(teacher, [alice])
    run_id = post(alice, "/api/v1/runs/", {"code": PLOT}).json()["id"]
    for other in (bob, teacher):
        api_client.force_authenticate(other)
        assert api_client.get(f"/api/v1/runs/{run_id}/").status_code == 404


def test_anonymous_visitors_cannot_run_or_read(api_client, alice) -> None:
    run = Run.objects.create(user=alice, code="print(1)")
    assert api_client.post("/api/v1/runs/", {"code": "print(1)"}, format="json").status_code in (
        401,
        403,
    )
    response = api_client.post(
        "/api/v1/exercises/softmax/runs/", {"code": "x", "input": "1"}, format="json"
    )
    assert response.status_code in (401, 403)
    assert api_client.get(f"/api/v1/runs/{run.pk}/").status_code in (401, 403)
    assert Run.objects.count() == 1


def test_an_unknown_exercise_or_run_is_404(post, alice, api_client) -> None:
    assert (
        post(alice, "/api/v1/exercises/nope/runs/", {"code": "x", "input": "1"}).status_code == 404
    )
    assert api_client.get("/api/v1/runs/999999/").status_code == 404


def test_a_missing_field_is_a_400(post, alice) -> None:
    assert post(alice, "/api/v1/exercises/softmax/runs/", {"code": SOFTMAX}).status_code == 400
    assert post(alice, "/api/v1/runs/", {}).status_code == 400
    assert not Run.objects.exists()


def test_runs_are_throttled_per_learner(post, alice, bob) -> None:
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "runs": "2/min"}
    cache.clear()
    try:
        assert post(alice, "/api/v1/runs/", {"code": "print(1)"}).status_code == 202
        url = "/api/v1/exercises/softmax/runs/"
        assert post(alice, url, {"code": SOFTMAX, "input": "1"}).status_code == 202
        assert post(alice, "/api/v1/runs/", {"code": "print(1)"}).status_code == 429
        assert post(bob, "/api/v1/runs/", {"code": "print(1)"}).status_code == 202
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
        cache.clear()


def test_without_a_working_sandbox_nothing_runs_and_the_learner_is_told(
    post, alice, monkeypatch
) -> None:
    from apps.sandbox.backends import ZygotePoolBackend
    from apps.sandbox.runner import SandboxUnavailable

    def refuse(self, code, calls, limits):
        raise SandboxUnavailable("no root and no user namespaces")

    monkeypatch.setattr(ZygotePoolBackend, "run", refuse)
    body = post(alice, "/api/v1/runs/", {"code": "print(1)"}).finished
    assert body["status"] == "error"
    assert "cannot run code safely" in body["error"]["message"]


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_leaves_nothing_stored(api_client, alice, monkeypatch) -> None:
    # Committed for real, so the enqueue runs inside the request, as in production.
    from apps.sandbox.run_tasks import run_execute_task

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(run_execute_task, "apply_async", down)
    api_client.force_authenticate(alice)
    response = api_client.post("/api/v1/runs/", {"code": "print(1)"}, format="json")
    assert response.status_code == 503
    assert not Run.objects.exists()


def test_old_runs_expire_and_a_learner_keeps_only_their_newest(alice) -> None:
    old = Run.objects.create(user=alice, code="print(1)")
    Run.objects.filter(pk=old.pk).update(created_at=timezone.now() - RUN_TTL - timedelta(minutes=1))
    fresh = Run.objects.create(user=alice, code="print(2)")
    assert runs_expire() == 1
    assert list(Run.objects.values_list("pk", flat=True)) == [fresh.pk]
    Run.objects.bulk_create(
        [Run(user=alice, code="print(3)", status="ok") for _ in range(RUNS_KEPT_PER_USER + 5)]
    )
    run_create(user=alice, code="print(4)")
    assert Run.objects.filter(user=alice).count() <= RUNS_KEPT_PER_USER + 1


def test_the_schema_documents_the_run_endpoints(api_client) -> None:
    paths = api_client.get("/api/schema/?format=json").json()["paths"]
    assert {"202", "400", "401", "403", "429", "503"} <= set(
        paths["/api/v1/runs/"]["post"]["responses"]
    )
    assert "202" in paths["/api/v1/exercises/{slug}/runs/"]["post"]["responses"]
    assert "404" in paths["/api/v1/runs/{run_id}/"]["get"]["responses"]


def test_code_that_cannot_run_is_rejected_at_once_and_never_queued(post, alice) -> None:
    response = post(alice, "/api/v1/runs/", {"code": "   "})
    assert response.status_code == 202
    assert response.json()["status"] == "rejected"
    assert "empty" in response.json()["error"]["message"]
    assert post(alice, "/api/v1/runs/", {"code": "print(1)\x00"}).status_code == 400
    long_input = post(
        alice, "/api/v1/exercises/softmax/runs/", {"code": SOFTMAX, "input": "1" * 5000}
    )
    assert long_input.json()["status"] == "rejected"
    assert "longer than" in long_input.json()["error"]["message"]
