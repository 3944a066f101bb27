"""Red team: writes at once on the embedded default (SQLite file, Celery eager: every submission
graded inline in its request, in the real sandbox).

The claim under test: requests that write at once all succeed (a writer waits for another's write
instead of failing with "database is locked"), and nothing is lost: no 5xx, no submission left
``queued``/``running``, no lost progress update (attempts, best score, points, check failures,
concept-check answers, hints), no lost session, login or token.

Written from the interface only (README, the OpenAPI schema, the routes, tests/conftest.py and the
submit-wait red-team tests); no service or settings source was read. Each test starts its threads
on a ``threading.Barrier`` and closes its connections when done; thread counts stay at gunicorn's
scale (8-16). Every client is built with ``raise_request_exception=False``: Django's test client
re-raises an exception it hears on the process-wide ``got_request_exception`` signal, so with
several clients in flight one thread's 500 is raised in *every* thread (it misattributes a single
failure to all of them); with the flag each thread gets its own real response, 500 included.

What was attacked, and what came out (SQLite and PostgreSQL alike unless said):

* 12 learners submitting at once (passing, failing, partly right code): every answer 202 with its
  verdict, none left pending, each learner's attempts, best score, points, check-failure counts
  and the instructor's cohort JSON and CSV exact.
* One learner submitting 12 times at once to one exercise: attempts 12, best score the best
  verdict's, one first pass (one ``exercise_passed`` event, one review card, one first-pass review
  log rated consistently with its attempts to pass), every failed check counted once per failing
  submission, the day's activity 12.
* One learner answering concept checks, revealing hints and marking a lesson read at once, beside
  a submission: the answers are serialised exactly (their ``attempts`` are 1..n, one reveal per
  three wrong answers), every hint revealed once.
* Submissions beside cohort creation, joins, renames, deadlines, token creation, logins through
  the HTML form: every request succeeds with its own status and everything is stored once.
* Readers (progress, cohort JSON and CSV, pages) while writers commit: no read fails and no
  counter a reader sees ever goes down.
* A grading that runs into its CPU limit (5 s in the sandbox) while others write: no write waits
  for the sandbox (the write lock is not held over a grading), and the submission queued behind it
  for the single sandbox slot is graded, not left pending.
* An instructor accepting (and discarding) a regrade while its learners' new submissions are
  graded: exactly one decision wins, and every learner's best score, first pass and module points
  must be the best of the regraded and the new verdicts, whichever committed first (defect 2
  below, on PostgreSQL, now fixed).

No attack above failed on SQLite, before or after the fixes: no "database is locked", no 5xx,
nothing left pending or lost. The one break of the claim on SQLite was defect 1 below (a 500).
Probes not kept as tests also came out clean: every page and API read returned at once while
another connection held SQLite's write lock (no read takes it); a regrade grading 5 s, a try-it
run, a run on one's own input and a review submission each grade outside any write transaction;
concurrent deadline sets (one row), regrade starts (one 202, the rest 409), review "forgot" (one
200, the rest 409), failing review attempts (one Again log), page joins, page lesson reads, token
creation for one user (one key) and joins while the join code is regenerated or the cohort archived
were all exact. (On PostgreSQL a join racing an archive can still be accepted after the archive's
answer counted the learners: harmless, noted.)

Two defects found; the lead fixed both while this file was written (d06282e "Regrade accept: read
a learner's verdicts after locking their progress row", 3bdc59e "Sign-up posted twice at once").
At 3489d33, before them, the last four tests fail (the two sign-up tests on both databases, the
two regrade tests on PostgreSQL); with them all eleven pass on both. They were first written as
strict xfails; the markers went once the fixes made them pass, so the tests now guard the fixes.

1. Signing up was check-then-insert outside the write lock (SQLite and PostgreSQL). Two sign-ups
   with the same username at once (a double-clicked "Sign up" is enough) answered one 302 and one
   **500** (``IntegrityError: UNIQUE constraint failed: auth_user.username`` from ``form.save()``
   in ``frontend/views/accounts.py:_account_create``; on PostgreSQL ``duplicate key value violates
   unique constraint "auth_user_username_key"``) instead of the form's "A user with that username
   already exists.". Unforced, a double post on one client (2 requests on a barrier) gave a 500 in
   4 of 10 rounds on SQLite and 5 of 10 on PostgreSQL; 4 at once, in 5 of 10 and 10 of 10. The
   same race let ``Twin`` and ``twin`` both be created, which one at a time the form refuses.
   ``_signups_racing`` forces the interleaving (the second request validates while the first
   one's insert is pending), so at 3489d33 those two tests failed every time.

2. PostgreSQL only: accepting a regrade recounted each learner's progress from verdicts read
   *before* it locked their ``ExerciseProgress`` row (observed statements: ``SELECT
   sandbox_submission ... WHERE user_id = %s ORDER BY created_at``, then ``SELECT
   progress_exerciseprogress ...``, ``... FOR UPDATE``, ``UPDATE``). A grading of that learner
   stored in between was overwritten: their passing submission stayed ``passed`` 1.0 and its
   ``exercise_passed`` event went out, yet their progress read best 0.5833 (the regraded verdict),
   not passed, no first pass, module points 5.833, no review card, ``progress/me`` ``passed:
   false``, and a ``score_changed`` event sent 0.5833 after it. Unforced (6 learners submitting
   while the accept runs) in 4 of 27 PostgreSQL runs; forced (the accept held 3 s just before it
   touches the row) every time. On SQLite the accept's ``BEGIN IMMEDIATE`` kept the grading's
   store out until it committed, so nothing was lost there.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "apps/curriculum/content/probability/exercises/softmax/solution.py").read_text()
WRONG = "import numpy as np\ndef softmax(z):\n    return np.exp(z)\n"
# Right on a vector, wrong over a batch (sums over the whole array): partly right.
NOSUM = "import numpy as np\ndef softmax(z):\n    e = np.exp(z - z.max())\n    return e / e.sum()\n"
# Right, but overflows for large logits: partly right, a higher score than NOSUM.
NAIVE = (
    "import numpy as np\ndef softmax(z):\n    e = np.exp(z)\n"
    "    return e / e.sum(axis=-1, keepdims=True)\n"
)
# Runs into the exercise's CPU limit (5 s) inside the sandbox.
SPIN = "import numpy as np\ndef softmax(z):\n    while True:\n        pass\n"
CODES = [SOLUTION, WRONG, NAIVE, NOSUM]
SUBMIT = "/api/v1/exercises/softmax/submissions/"
SLUG = "softmax"
POINTS = 10  # exercise.yaml
LESSON = "/api/v1/modules/probability/lessons/softmax-and-cross-entropy/"
PENDING = ("queued", "running")
PASSWORD = "pw-for-tests-1"  # conftest's make_user default


# --- helpers -----------------------------------------------------------------------------------


def api(user: Any = None, **extra: Any) -> APIClient:
    client = APIClient(raise_request_exception=False, **extra)
    if user is not None:
        client.force_authenticate(user)
    return client


def browser(user: Any = None, **extra: Any) -> Client:
    client = Client(raise_request_exception=False, **extra)
    if user is not None:
        client.force_login(user)
    return client


def submit(client: APIClient, code: str, path: str = SUBMIT) -> Any:
    return client.post(path, data=json.dumps({"code": code}), content_type="application/json")


def at_once(calls: list[Callable[[], Any]], timeout: float = 60) -> list[Any]:
    """Run each call in its own thread, all released together; their results (or exceptions)."""
    barrier = threading.Barrier(len(calls), timeout=30)
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:  # reported by the caller, with the others' results
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.1, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    return results


def statuses(responses: list[Any]) -> list[int]:
    return [response.status_code for response in responses]


def no_lock_errors(caplog: Any) -> None:
    assert "database is locked" not in caplog.text
    assert "database table is locked" not in caplog.text
    server_errors = [r for r in caplog.records if r.name == "django.request" and r.levelno >= 40]
    assert not server_errors, [r.getMessage() for r in server_errors]


def failed_checks(body: dict[str, Any]) -> list[str]:
    return [check["name"] for check in body["checks"] if not check["passed"]]


def standing(client: APIClient, slug: str = SLUG) -> dict[str, Any]:
    response = client.get("/api/v1/progress/me/")
    assert response.status_code == 200
    return exercise_in(response.json(), slug)


def exercise_in(progress: dict[str, Any], slug: str = SLUG) -> dict[str, Any]:
    for module in progress["modules"]:
        for exercise in module["exercises"]:
            if exercise["slug"] == slug:
                return exercise
    raise AssertionError(f"{slug} not in progress/me")


def assert_verdict(response: Any, code: str) -> dict[str, Any]:
    assert response.status_code == 202, response.content[:300]
    body = response.json()
    assert body["status"] == ("passed" if code == SOLUTION else "failed"), body["status"]
    assert body["finished_at"] is not None
    if code == SOLUTION:
        assert body["score"] == 1.0
    elif code == WRONG:
        assert body["score"] == 0.0
    else:
        assert 0.0 < body["score"] < 1.0
    return body


def csv_rows(client: APIClient, cohort_id: int) -> list[dict[str, str]]:
    import csv
    import io

    response = client.get(f"/api/v1/cohorts/{cohort_id}/progress.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(text.decode())))


# --- 1. many learners at once ------------------------------------------------------------------


@pytest.mark.usefixtures("live_db")
def test_many_learners_submitting_at_once_are_each_graded_and_counted_once(
    make_user: Any, make_cohort: Any, caplog: Any
) -> None:
    from apps.progress.models import (
        ActivityDay,
        CheckFailureCount,
        CountedSubmission,
        ExerciseProgress,
        ModuleProgress,
        Role,
    )
    from apps.sandbox.models import Submission

    teacher = make_user(role=Role.INSTRUCTOR)
    learners = [make_user() for _ in range(12)]
    cohort = make_cohort(teacher, learners)
    clients = [api(learner) for learner in learners]
    codes = [CODES[i % len(CODES)] for i in range(len(learners))]

    responses = at_once(
        [lambda c=c, code=code: submit(c, code) for c, code in zip(clients, codes, strict=True)]
    )

    bodies = [assert_verdict(r, code) for r, code in zip(responses, codes, strict=True)]
    assert len({body["id"] for body in bodies}) == len(learners)
    assert Submission.objects.count() == len(learners)
    assert not Submission.objects.filter(status__in=PENDING).exists()
    assert CountedSubmission.objects.count() == len(learners)
    by_username = {}
    for learner, client, body in zip(learners, clients, bodies, strict=True):
        row = ExerciseProgress.objects.get(user=learner, exercise__slug=SLUG)
        assert (row.attempts, row.best_score) == (1, body["score"])
        assert (row.first_passed_at is not None) == (body["status"] == "passed")
        assert row.last_submission_id == body["id"]
        assert ActivityDay.objects.get(user=learner).submissions == 1
        points = ModuleProgress.objects.filter(user=learner, module__slug="probability").first()
        earned = 0.0 if points is None else points.points_earned  # no row before any points
        assert earned == pytest.approx(POINTS * body["score"])
        failures = dict(
            CheckFailureCount.objects.filter(user=learner).values_list("check_name", "failures")
        )
        assert failures == dict.fromkeys(failed_checks(body), 1)
        mine = standing(client)
        assert (mine["attempts"], mine["best_score"], mine["passed"]) == (
            1,
            body["score"],
            body["status"] == "passed",
        )
        by_username[learner.username] = body

    teacher_client = api(teacher)
    progress = teacher_client.get(f"/api/v1/cohorts/{cohort.id}/progress/").json()
    column = [e["slug"] for e in progress["exercises"]].index(SLUG)
    seen = {
        learner["username"]: row[column]
        for learner, row in zip(progress["learners"], progress["scores"], strict=True)
    }
    assert seen == {name: body["score"] for name, body in by_username.items()}
    stats = next(s for s in progress["exercise_stats"] if s["exercise"] == SLUG)
    passes = sum(body["status"] == "passed" for body in bodies)
    assert (stats["attempted"], stats["passed"]) == (len(learners), passes)
    rows = {r["learner"]: r for r in csv_rows(teacher_client, cohort.id) if r["exercise"] == SLUG}
    assert {name: (r["attempts"], r["passed"]) for name, r in rows.items()} == {
        name: ("1", "true" if body["status"] == "passed" else "false")
        for name, body in by_username.items()
    }
    no_lock_errors(caplog)


# --- 2. one learner, many submissions at once --------------------------------------------------


@pytest.mark.usefixtures("live_db")
def test_one_learner_submitting_many_times_at_once_loses_no_attempt(
    make_user: Any, make_cohort: Any, caplog: Any
) -> None:
    from apps.progress.models import (
        ActivityDay,
        CheckFailureCount,
        CountedSubmission,
        ExerciseProgress,
        LearningEvent,
        ModuleProgress,
        ReviewCard,
        ReviewLog,
        ReviewRating,
        Role,
    )
    from apps.sandbox.models import Submission

    teacher = make_user(role=Role.INSTRUCTOR)
    learner = make_user()
    cohort = make_cohort(teacher, [learner])
    client = api(learner)
    codes = [CODES[i % len(CODES)] for i in range(12)]  # three of each, three passes

    responses = at_once([lambda code=code: submit(client, code) for code in codes])

    bodies = [assert_verdict(r, code) for r, code in zip(responses, codes, strict=True)]
    ids = {body["id"] for body in bodies}
    assert len(ids) == len(codes)
    assert not Submission.objects.filter(user=learner, status__in=PENDING).exists()
    assert CountedSubmission.objects.filter(submission_id__in=ids).count() == len(codes)

    row = ExerciseProgress.objects.get(user=learner, exercise__slug=SLUG)
    assert row.attempts == len(codes)
    assert row.best_score == max(body["score"] for body in bodies) == 1.0
    assert row.first_passed_at is not None
    assert row.last_submission_id in ids
    assert ActivityDay.objects.get(user=learner).submissions == len(codes)
    assert ModuleProgress.objects.get(
        user=learner, module__slug="probability"
    ).points_earned == pytest.approx(POINTS)

    expected_failures = Counter(name for body in bodies for name in failed_checks(body))
    stored_failures = dict(
        CheckFailureCount.objects.filter(user=learner).values_list("check_name", "failures")
    )
    assert stored_failures == dict(expected_failures)

    graded = LearningEvent.objects.filter(user=learner, kind="attempt_graded")
    assert sorted(graded.values_list("submission_id", flat=True)) == sorted(ids)
    first_pass = list(LearningEvent.objects.filter(user=learner, kind="exercise_passed"))
    assert len(first_pass) == 1, "the first pass was reported more (or less) than once"
    passing_ids = {body["id"] for body in bodies if body["status"] == "passed"}
    assert first_pass[0].submission_id in passing_ids
    # Attempts to pass: counted in grading order, at least 1, at most every failure plus one.
    failures = sum(body["status"] != "passed" for body in bodies)
    assert 1 <= row.attempts_to_pass <= failures + 1
    assert first_pass[0].data["attempts"] == row.attempts_to_pass
    assert ReviewCard.objects.filter(user=learner).count() == 1
    first_logs = list(ReviewLog.objects.filter(user=learner, first_pass=True))
    assert len(first_logs) == 1
    assert (first_logs[0].rating == ReviewRating.GOOD) == (row.attempts_to_pass == 1)

    mine = standing(client)
    assert (mine["attempts"], mine["best_score"], mine["passed"]) == (len(codes), 1.0, True)
    listed = client.get(SUBMIT).json()
    assert listed["count"] == len(codes)
    (csv_row,) = [r for r in csv_rows(api(teacher), cohort.id) if r["exercise"] == SLUG]
    assert (csv_row["attempts"], csv_row["passed"], csv_row["attempts_to_pass"]) == (
        str(len(codes)),
        "true",
        str(row.attempts_to_pass),
    )
    no_lock_errors(caplog)


# --- 3. one learner's other writes at once -----------------------------------------------------


@pytest.mark.usefixtures("live_db")
def test_one_learners_answers_hints_and_reads_at_once_are_serialised_exactly(
    make_user: Any, make_cohort: Any, caplog: Any
) -> None:
    from apps.progress.models import (
        ExerciseProgress,
        LessonProgress,
        QuestionAttempt,
        QuestionProgress,
        Role,
    )

    teacher = make_user(role=Role.INSTRUCTOR)
    learner = make_user()
    cohort = make_cohort(teacher, [learner])
    client = api(learner)
    first, second = "softmax-by-hand", "cross-entropy-by-hand"
    wrong = {first: "9, 9, 9", second: "99"}

    def answer(name: str) -> Callable[[], Any]:
        return lambda: client.post(
            f"{LESSON}questions/{name}/answers/", {"answer": wrong[name]}, format="json"
        )

    calls: list[tuple[str, Callable[[], Any]]] = (
        [("first", answer(first))] * 6
        + [("second", answer(second))] * 3
        + [("hint", lambda: client.post(f"/api/v1/exercises/{SLUG}/hints/"))] * 4
        + [("read", lambda: client.post(f"{LESSON}read/"))] * 2
        + [("submit", lambda: submit(client, WRONG))]
    )
    responses = at_once([call for _, call in calls])
    kinds = [kind for kind, _ in calls]
    got: dict[str, list[Any]] = {}
    for kind, response in zip(kinds, responses, strict=True):
        got.setdefault(kind, []).append(response)

    for kind in ("first", "second", "hint", "read"):
        assert statuses(got[kind]) == [200] * len(got[kind]), (kind, statuses(got[kind]))
    assert_verdict(got["submit"][0], WRONG)
    for kind, count in (("first", 6), ("second", 3)):
        bodies = [r.json() for r in got[kind]]
        assert not any(body["correct"] for body in bodies)
        # Each answer saw the one before it: attempts 1..n, a reveal at every third wrong answer.
        assert sorted(body["question"]["attempts"] for body in bodies) == list(range(1, count + 1))
        assert sum(body["revealed"] is not None for body in bodies) == count // 3
    assert QuestionAttempt.objects.filter(user=learner).count() == 9
    assert sorted(
        QuestionProgress.objects.filter(user=learner).values_list("attempts", flat=True)
    ) == [3, 6]

    revealed = sorted(r.json()["revealed"] for r in got["hint"])
    total = got["hint"][0].json()["total"]
    assert total == 3
    assert revealed[:total] == list(range(1, total + 1)), revealed
    assert revealed[total:] == [total] * (len(revealed) - total)
    assert client.get(f"/api/v1/exercises/{SLUG}/hints/").json()["revealed"] == total
    row = ExerciseProgress.objects.get(user=learner, exercise__slug=SLUG)
    assert (row.hints_revealed, row.attempts) == (total, 1)
    assert LessonProgress.objects.filter(user=learner).count() == 1
    assert client.get("/api/v1/progress/me/").json()["lessons_read"] == 1

    progress = api(teacher).get(f"/api/v1/cohorts/{cohort.id}/progress/").json()
    column = [lesson["slug"] for lesson in progress["lessons"]].index("softmax-and-cross-entropy")
    assert progress["concept_checks"][0][column] == {"answered": 2, "correct": 0, "answers": 9}
    no_lock_errors(caplog)


# --- 4. submissions beside every other kind of write ------------------------------------------


@pytest.mark.usefixtures("live_db")
def test_submissions_beside_cohort_token_login_and_join_writes_all_succeed(
    make_user: Any, make_cohort: Any, caplog: Any
) -> None:
    from django.contrib.sessions.models import Session
    from rest_framework.authtoken.models import Token

    from apps.progress.models import Cohort, Deadline, Enrollment, ExerciseProgress, Role

    teacher = make_user(role=Role.INSTRUCTOR)
    submitters = [make_user() for _ in range(6)]
    joiners = [make_user() for _ in range(3)]
    token_users = [make_user() for _ in range(2)]
    login_users = [make_user() for _ in range(2)]
    cohort = make_cohort(teacher, submitters)
    teacher_client = api(teacher)
    login_clients = [browser(REMOTE_ADDR=f"10.4.0.{i}") for i in range(len(login_users))]
    for client in login_clients:
        assert client.get("/accounts/login/").status_code == 200
    codes = [CODES[i % len(CODES)] for i in range(len(submitters))]

    calls: list[tuple[str, Callable[[], Any]]] = []
    calls += [
        ("submit", lambda u=u, code=code: submit(api(u), code))
        for u, code in zip(submitters, codes, strict=True)
    ]
    calls += [
        (
            "join",
            lambda u=u: api(u).post(
                "/api/v1/cohorts/join/", {"join_code": cohort.join_code}, format="json"
            ),
        )
        for u in joiners
    ]
    calls += [
        (
            "token",
            lambda u=u, i=i: api(REMOTE_ADDR=f"10.5.0.{i}").post(
                "/api/v1/auth/token/", {"username": u.username, "password": PASSWORD}, format="json"
            ),
        )
        for i, u in enumerate(token_users)
    ]
    calls += [
        (
            "login",
            lambda u=u, c=c: c.post(
                "/accounts/login/", {"username": u.username, "password": PASSWORD}
            ),
        )
        for u, c in zip(login_users, login_clients, strict=True)
    ]
    calls += [
        (
            "create",
            lambda: teacher_client.post("/api/v1/cohorts/", {"name": "Evening"}, format="json"),
        ),
        (
            "rename",
            lambda: teacher_client.patch(
                f"/api/v1/cohorts/{cohort.id}/", {"name": "Renamed"}, format="json"
            ),
        ),
        (
            "deadline",
            lambda: teacher_client.post(
                f"/api/v1/cohorts/{cohort.id}/deadlines/",
                {"exercise": SLUG, "due_at": "2031-03-01T04:00:00Z"},
                format="json",
            ),
        ),
    ]
    assert len(calls) == 16
    responses = at_once([call for _, call in calls])
    got: dict[str, list[Any]] = {}
    for (kind, _), response in zip(calls, responses, strict=True):
        got.setdefault(kind, []).append(response)

    for response, code in zip(got["submit"], codes, strict=True):
        assert_verdict(response, code)
    for u, code in zip(submitters, codes, strict=True):
        row = ExerciseProgress.objects.get(user=u, exercise__slug=SLUG)
        assert row.attempts == 1
        assert (row.best_score == 1.0) == (code == SOLUTION)
    assert statuses(got["join"]) == [200] * len(joiners)
    assert all(r.json()["id"] == cohort.id for r in got["join"])
    assert set(Enrollment.objects.filter(cohort=cohort).values_list("user_id", flat=True)) == {
        u.pk for u in submitters + joiners
    }
    assert statuses(got["token"]) == [200] * len(token_users)
    for u, response in zip(token_users, got["token"], strict=True):
        key = response.json()["token"]
        assert Token.objects.get(user=u).key == key
        assert api(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/progress/me/").status_code == 200
    assert statuses(got["login"]) == [302] * len(login_users)
    for u, client in zip(login_users, login_clients, strict=True):
        key = client.cookies["sessionid"].value
        assert Session.objects.get(session_key=key).get_decoded()["_auth_user_id"] == str(u.pk)
        assert client.get("/progress/").status_code == 200
        u.refresh_from_db()
        assert u.last_login is not None
    (created,) = got["create"]
    assert created.status_code == 201, created.content
    assert Cohort.objects.filter(name="Evening", instructors=teacher).count() == 1
    assert got["rename"][0].status_code == 200
    assert Cohort.objects.get(pk=cohort.pk).name == "Renamed"
    assert got["deadline"][0].status_code == 200
    assert Deadline.objects.filter(exercise__slug=SLUG).count() == 1
    listed = teacher_client.get(f"/api/v1/cohorts/{cohort.id}/").json()
    assert (listed["name"], listed["learners"]) == ("Renamed", len(submitters) + len(joiners))
    no_lock_errors(caplog)


# --- 5. readers while writers commit -----------------------------------------------------------


def _read_me(clients: dict[str, Any], cohort_id: int) -> tuple[int, Any]:
    response = clients["learner"].get("/api/v1/progress/me/")
    if response.status_code != 200:
        return response.status_code, None
    return 200, exercise_in(response.json())["attempts"]


def _read_cohort(clients: dict[str, Any], cohort_id: int) -> tuple[int, Any]:
    response = clients["teacher"].get(f"/api/v1/cohorts/{cohort_id}/progress/")
    if response.status_code != 200:
        return response.status_code, {}
    body = response.json()
    column = [e["slug"] for e in body["exercises"]].index(SLUG)
    return 200, {
        learner["username"]: row[column]
        for learner, row in zip(body["learners"], body["scores"], strict=True)
    }


def _read_csv(clients: dict[str, Any], cohort_id: int) -> tuple[int, Any]:
    response = clients["teacher"].get(f"/api/v1/cohorts/{cohort_id}/progress.csv")
    if response.status_code != 200:
        return response.status_code, {}
    return 200, {
        r["learner"]: int(r["attempts"])
        for r in csv_rows(clients["teacher"], cohort_id)
        if r["exercise"] == SLUG
    }


def _read_pages(clients: dict[str, Any], cohort_id: int) -> tuple[int, Any]:
    codes = (
        clients["learner_page"].get("/progress/").status_code,
        clients["teacher_page"].get(f"/dashboard/{cohort_id}/").status_code,
        clients["learner_page"].get(f"/exercises/{SLUG}/").status_code,
    )
    return max(codes), codes


READERS = {"me": _read_me, "cohort": _read_cohort, "csv": _read_csv, "pages": _read_pages}


@pytest.mark.usefixtures("live_db")
def test_reads_never_fail_and_never_go_back_while_writers_commit(
    make_user: Any, make_cohort: Any, caplog: Any
) -> None:
    from apps.progress.models import ExerciseProgress, Role
    from apps.sandbox.models import Submission

    teacher = make_user(role=Role.INSTRUCTOR)
    writers = [make_user() for _ in range(8)]
    cohort = make_cohort(teacher, writers)
    rounds = 3
    writing = threading.Event()
    writing.set()
    seen: dict[str, list[Any]] = {"me": [], "cohort": [], "csv": [], "pages": []}
    watched = writers[0]

    def writer(index: int) -> Callable[[], list[int]]:
        def run() -> list[int]:
            client = api(writers[index])
            codes = [CODES[(index + k) % len(CODES)] for k in range(rounds)]
            return [submit(client, code).status_code for code in codes]

        return run

    def reader(kind: str) -> Callable[[], None]:
        read = READERS[kind]

        def run() -> None:
            clients = {
                "learner": api(watched),
                "teacher": api(teacher),
                "learner_page": browser(watched),
                "teacher_page": browser(teacher),
            }
            while writing.is_set():
                seen[kind].append(read(clients, cohort.id))

        return run

    def writers_then_stop() -> list[list[int]]:
        try:
            return at_once([writer(i) for i in range(len(writers))], timeout=90)
        finally:
            writing.clear()

    results = at_once(
        [writers_then_stop] + [reader(kind) for kind in ("me", "cohort", "csv", "pages")],
        timeout=120,
    )
    assert results[0] == [[202] * rounds] * len(writers)
    assert not Submission.objects.filter(status__in=PENDING).exists()
    for u in writers:
        assert ExerciseProgress.objects.get(user=u, exercise__slug=SLUG).attempts == rounds

    for kind, observations in seen.items():
        assert observations, f"the {kind} reader never read"
        assert {status for status, _ in observations} == {200}, (kind, observations[:5])
    attempts_seen = [value for _, value in seen["me"]]
    assert attempts_seen == sorted(attempts_seen), "a reader saw attempts go down"
    for name in [u.username for u in writers]:
        best = [scores.get(name) or 0.0 for _, scores in seen["cohort"]]
        assert best == sorted(best), f"a reader saw {name}'s best score go down"
        counts = [attempts.get(name, 0) for _, attempts in seen["csv"]]
        assert counts == sorted(counts), f"a reader saw {name}'s attempts go down"
    assert standing(api(watched))["attempts"] == rounds
    no_lock_errors(caplog)


# --- 6. a long grading beside short writes -----------------------------------------------------


@pytest.mark.usefixtures("live_db")
def test_a_grading_at_its_cpu_limit_holds_up_no_write(make_user: Any, caplog: Any) -> None:
    """Inline grading must not hold the write lock: with 8 threads each grading up to 5 s behind
    one sandbox slot, writes held behind gradings would outlast SQLite's 20 s wait."""
    from apps.progress.models import ExerciseProgress, LessonProgress, QuestionAttempt
    from apps.sandbox.models import Submission

    spinner, queued_behind = make_user(), make_user()
    others = [make_user() for _ in range(6)]
    finished: dict[str, float] = {}
    started = threading.Event()

    def spin() -> Any:
        started.set()
        response = submit(api(spinner), SPIN)
        finished["spin"] = time.monotonic()
        return response

    def after_start(name: str, call: Callable[[], Any], delay: float = 1.0) -> Callable[[], Any]:
        def run() -> Any:
            assert started.wait(10)
            time.sleep(delay)
            response = call()
            finished[name] = time.monotonic()
            return response

        return run

    calls = [spin]
    calls += [
        after_start(
            f"answer{i}",
            lambda u=u: api(u).post(
                f"{LESSON}questions/softmax-by-hand/answers/", {"answer": "9, 9, 9"}, format="json"
            ),
        )
        for i, u in enumerate(others[:3])
    ]
    calls += [
        after_start(f"read{i}", lambda u=u: api(u).post(f"{LESSON}read/"))
        for i, u in enumerate(others[3:5])
    ]
    calls += [after_start("hint", lambda: api(others[5]).post(f"/api/v1/exercises/{SLUG}/hints/"))]
    # Waits for the sandbox slot the spinning run holds, then is graded.
    calls += [after_start("behind", lambda: submit(api(queued_behind), WRONG), delay=1.5)]
    responses = at_once(calls, timeout=60)

    spun = responses[0]
    assert spun.status_code == 202
    assert spun.json()["status"] == "timeout"
    assert statuses(responses[1:-1]) == [200] * 6
    for name in [n for n in finished if n not in ("spin", "behind")]:
        assert finished[name] < finished["spin"], f"{name} waited for the sandbox run"
    behind = responses[-1]
    assert behind.status_code == 202
    assert behind.json()["status"] == "failed"
    assert not Submission.objects.filter(status__in=PENDING).exists()
    assert QuestionAttempt.objects.count() == 3
    assert LessonProgress.objects.count() == 2
    assert ExerciseProgress.objects.get(user=others[5], exercise__slug=SLUG).hints_revealed == 1
    assert ExerciseProgress.objects.get(user=spinner, exercise__slug=SLUG).attempts == 1
    no_lock_errors(caplog)


# --- 7. logins at once -------------------------------------------------------------------------


@pytest.mark.usefixtures("live_db")
def test_logins_at_once_beside_submissions_all_get_working_sessions(
    make_user: Any, caplog: Any
) -> None:
    from django.contrib.sessions.models import Session

    from apps.sandbox.models import Submission

    users = [make_user() for _ in range(6)]
    twice = users[0]  # also logs in from two more browsers at the same moment
    submitters = [make_user() for _ in range(6)]
    logins = [(u, browser(REMOTE_ADDR=f"10.6.0.{i}")) for i, u in enumerate(users)]
    logins += [(twice, browser(REMOTE_ADDR=f"10.6.1.{i}")) for i in range(2)]
    for _, client in logins:
        assert client.get("/accounts/login/").status_code == 200

    calls = [
        lambda u=u, c=c: c.post("/accounts/login/", {"username": u.username, "password": PASSWORD})
        for u, c in logins
    ]
    calls += [lambda u=u, i=i: submit(api(u), CODES[i % 4]) for i, u in enumerate(submitters)]
    responses = at_once(calls)

    assert statuses(responses[: len(logins)]) == [302] * len(logins)
    keys = set()
    for (u, client), response in zip(logins, responses[: len(logins)], strict=True):
        key = client.cookies["sessionid"].value
        keys.add(key)
        assert Session.objects.get(session_key=key).get_decoded()["_auth_user_id"] == str(u.pk)
        page = client.get("/progress/")
        assert page.status_code == 200, (u.username, page.status_code, page.get("Location"))
        assert response.get("Location")
    assert len(keys) == len(logins), "two logins share (or lost) a session"
    for i, response in enumerate(responses[len(logins) :]):
        assert_verdict(response, CODES[i % 4])
    assert not Submission.objects.filter(status__in=PENDING).exists()
    no_lock_errors(caplog)


# --- 8. an accepted regrade's recount beside new gradings (defect 2) ---------------------------


def _ready_regrade(
    make_user: Any, make_cohort: Any, count: int
) -> tuple[Any, str, list[Any], float]:
    """A cohort whose learners each have one NAIVE submission that older checks scored 0, and a
    finished regrade of it (the current checks give NAIVE its partial score), not yet decided."""
    from apps.curriculum.models import Exercise
    from apps.progress.models import ExerciseProgress, ModuleProgress, Role
    from apps.sandbox.models import Submission

    teacher = make_user(role=Role.INSTRUCTOR)
    learners = [make_user() for _ in range(count)]
    cohort = make_cohort(teacher, learners)
    for learner in learners:
        assert_verdict(submit(api(learner), NAIVE), NAIVE)
    partial = Submission.objects.filter(code=NAIVE).values_list("score", flat=True).first()
    assert partial is not None
    assert 0 < partial < 1
    # As if an older version of the checks had failed everything: the learners stand at 0, and
    # the exercise's checks have moved on.
    Submission.objects.update(score=0.0)
    ExerciseProgress.objects.update(best_score=0.0)
    ModuleProgress.objects.update(points_earned=0.0)
    Exercise.objects.filter(slug=SLUG).update(check_version=2)
    teacher_client = api(teacher)
    started = teacher_client.post(
        f"/api/v1/cohorts/{cohort.id}/regrades/", {"exercise": SLUG}, format="json"
    )
    assert started.status_code == 202, started.content
    regrade = started.json()
    assert (regrade["status"], regrade["total"], regrade["graded"]) == ("ready", count, count)
    return (
        teacher_client,
        f"/api/v1/cohorts/{cohort.id}/regrades/{regrade['id']}",
        learners,
        partial,
    )


def _assert_best_of_both(learner: Any, code: str, regraded: float) -> None:
    from apps.progress.models import ExerciseProgress, LearningEvent, ModuleProgress

    row = ExerciseProgress.objects.get(user=learner, exercise__slug=SLUG)
    best = 1.0 if code == SOLUTION else regraded
    assert row.attempts == 2
    assert row.best_score == pytest.approx(best), (learner.username, row.best_score, best)
    assert (row.first_passed_at is not None) == (code == SOLUTION)
    points = ModuleProgress.objects.get(user=learner, module__slug="probability")
    assert points.points_earned == pytest.approx(POINTS * best)
    passed_events = LearningEvent.objects.filter(user=learner, kind="exercise_passed")
    assert passed_events.count() == (1 if code == SOLUTION else 0)
    assert standing(api(learner))["best_score"] == pytest.approx(best)


@pytest.mark.usefixtures("live_db")
def test_a_regrade_accepted_while_its_learners_submit_loses_neither_score(
    make_user: Any, make_cohort: Any, caplog: Any
) -> None:
    """The accept recounts each learner's best score from the verdicts while new gradings of the
    same learners store theirs: whichever order the writes commit in, the best is the best of
    both, and the module points follow it."""
    from apps.sandbox.models import Submission

    teacher_client, base, learners, partial = _ready_regrade(make_user, make_cohort, 6)
    codes = [SOLUTION if i % 2 else WRONG for i in range(len(learners))]

    calls: list[Callable[[], Any]] = [lambda: teacher_client.post(f"{base}/accept/")]
    calls += [lambda: teacher_client.post(f"{base}/discard/")]
    calls += [
        lambda u=u, code=code: submit(api(u), code) for u, code in zip(learners, codes, strict=True)
    ]
    responses = at_once(calls)

    decided = responses[:2]
    assert sorted(statuses(decided)) == [200, 409], statuses(decided)
    for response, code in zip(responses[2:], codes, strict=True):
        assert_verdict(response, code)
    accepted = decided[0].status_code == 200
    if accepted:
        assert decided[0].json() == {
            "status": "accepted",
            "accepted": 6,
            "superseded": 0,
            "learners": 6,
        }
    for learner, code in zip(learners, codes, strict=True):
        _assert_best_of_both(learner, code, partial if accepted else 0.0)
    assert not Submission.objects.filter(status__in=PENDING).exists()
    no_lock_errors(caplog)


@pytest.mark.usefixtures("live_db")
def test_a_pass_graded_while_an_accept_recounts_that_learner_is_kept(
    make_user: Any, make_cohort: Any
) -> None:
    """The same race, forced: the accept is held just before it first touches the learner's
    progress row (after reading their verdicts) until the learner's passing submission has been
    graded and stored, or 3 s have passed (on SQLite the submission cannot even be stored then:
    the accept holds the write lock, so it is stored after the accept, as it should)."""
    teacher_client, base, (learner,), partial = _ready_regrade(make_user, make_cohort, 1)
    accept_at_progress = threading.Event()
    learner_done = threading.Event()

    def hold(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith('SELECT "progress_exerciseprogress"') and not accept_at_progress.is_set():
            accept_at_progress.set()
            learner_done.wait(3)
        return execute(sql, params, many, context)

    def accept() -> Any:
        with connection.execute_wrapper(hold):
            return teacher_client.post(f"{base}/accept/")

    def pass_meanwhile() -> Any:
        assert accept_at_progress.wait(15), "the accept never reached the learner's progress"
        try:
            return submit(api(learner), SOLUTION)
        finally:
            learner_done.set()

    accepted, graded = at_once([accept, pass_meanwhile])
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["accepted"] == 1
    assert_verdict(graded, SOLUTION)
    _assert_best_of_both(learner, SOLUTION, partial)


# --- 9. signing up twice at once (defect 1) ----------------------------------------------------


class _Interleave:
    """Forces the race a double-clicked "Sign up" can hit: the second request validates the form
    (sees no such user) while the first request's insert of that user is pending."""

    def __init__(self) -> None:
        self.first_inserting = threading.Event()
        self.second_validated = threading.Event()

    def first(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith('INSERT INTO "auth_user"') and not self.first_inserting.is_set():
            self.first_inserting.set()
            self.second_validated.wait(15)
        return execute(sql, params, many, context)

    def second(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        # The first statement that is not a read comes after the form's validation (on SQLite
        # it is the BEGIN IMMEDIATE of the account's transaction, on PostgreSQL its INSERT).
        if not sql.lstrip().upper().startswith("SELECT"):
            self.second_validated.set()
        return execute(sql, params, many, context)


def _signups_racing(first_name: str, second_name: str) -> tuple[Any, Any]:
    forced = _Interleave()
    responses: dict[str, Any] = {}

    def sign_up(which: str, name: str, wrapper: Any, address: str) -> None:
        try:
            client = browser(REMOTE_ADDR=address)
            assert client.get("/accounts/signup/").status_code == 200
            if which == "second":
                assert forced.first_inserting.wait(15), "the first sign-up never inserted"
            with connection.execute_wrapper(wrapper):
                responses[which] = client.post(
                    "/accounts/signup/",
                    {
                        "username": name,
                        "email": f"{which}@example.com",
                        "password1": "Very-long-pw-123!",
                        "password2": "Very-long-pw-123!",
                    },
                )
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=sign_up, args=("first", first_name, forced.first, "10.7.0.1")),
        threading.Thread(target=sign_up, args=("second", second_name, forced.second, "10.7.0.2")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(40)
    assert not any(thread.is_alive() for thread in threads)
    assert forced.second_validated.is_set(), "the interleaving was not reached"
    return responses["first"], responses["second"]


@pytest.mark.usefixtures("live_db")
def test_a_double_posted_signup_answers_the_form_not_a_server_error() -> None:
    from django.contrib.auth import get_user_model

    responses = _signups_racing("twice", "twice")
    assert get_user_model().objects.filter(username="twice").count() == 1
    # Which of the two inserts first depends on the database (on PostgreSQL the second one's
    # insert goes ahead of the first's, which then waits on it); one is created, and the other
    # gets the form back with the username taken.
    assert sorted(statuses(list(responses))) == [200, 302], statuses(list(responses))
    (refused,) = [r for r in responses if r.status_code == 200]
    assert "already exists" in refused.content.decode()


@pytest.mark.usefixtures("live_db")
def test_usernames_differing_in_case_signing_up_at_once_make_one_account() -> None:
    from django.contrib.auth import get_user_model

    responses = _signups_racing("Twin", "twin")
    assert max(statuses(list(responses))) < 500, statuses(list(responses))
    assert get_user_model().objects.filter(username__iexact="twin").count() == 1
