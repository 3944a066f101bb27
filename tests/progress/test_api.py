"""Progress, cohorts and the instructor's data over the API, with its permissions."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.curriculum.models import Exercise
from apps.progress.services import exercise_progress_record_attempt

pytestmark = pytest.mark.django_db


def record(user, slug, score, submission_id, failed=()):
    exercise_progress_record_attempt(
        user=user,
        exercise=Exercise.objects.get(slug=slug),
        submission_id=submission_id,
        score=score,
        passed=score == 1.0,
        failed_checks=list(failed),
        at=timezone.now(),
    )


def test_token_auth_round_trip(api_client, make_user) -> None:
    make_user("carol", password="a-long-password-1")
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "carol", "password": "a-long-password-1"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/progress/me/").status_code == 200
    bad = api_client.post(
        "/api/v1/auth/token/", {"username": "carol", "password": "wrong"}, format="json"
    )
    assert bad.status_code == 400


def test_modules_are_listed_in_order_with_kind_prerequisites_lessons_and_exercises(
    api_client,
) -> None:
    body = api_client.get("/api/v1/modules/").json()
    orders = [m["order"] for m in body]
    assert orders == sorted(orders)
    for module in body:
        assert module["kind"] in ("foundation", "stage")
        assert isinstance(module["prerequisites"], list)
        assert module["lessons"]
        assert module["exercises"]


def test_the_module_list_is_built_once_per_course_revision(
    api_client, django_assert_num_queries
) -> None:
    first = api_client.get("/api/v1/modules/").json()
    with django_assert_num_queries(0):
        assert api_client.get("/api/v1/modules/").json() == first


def test_a_lesson_retitled_by_a_sync_shows_in_the_module_list(api_client) -> None:
    from apps.curriculum.models import Lesson
    from apps.curriculum.selectors import curriculum_revision_bump

    api_client.get("/api/v1/modules/")
    lesson = Lesson.objects.filter(retired=False).order_by("module__order", "order").first()
    Lesson.objects.filter(pk=lesson.pk).update(title="Retitled by a sync")
    curriculum_revision_bump()
    titles = [x["title"] for m in api_client.get("/api/v1/modules/").json() for x in m["lessons"]]
    assert "Retitled by a sync" in titles


def test_exercise_detail_never_exposes_the_solution_or_the_hints(api_client) -> None:
    body = api_client.get("/api/v1/exercises/softmax/").json()
    assert body["slug"] == "softmax"
    assert "solution" not in str(body).lower() or "solution.py" not in str(body)
    assert "hints" not in body
    assert body["hint_count"] >= 2
    assert "max(axis" not in body["starter_code"]


def test_progress_me_shows_my_scores_not_others(api_client, alice, bob) -> None:
    record(alice, "softmax", 0.5, 1)
    record(bob, "softmax", 1.0, 2)
    api_client.force_authenticate(alice)
    body = api_client.get("/api/v1/progress/me/").json()
    softmax = next(e for m in body["modules"] for e in m["exercises"] if e["slug"] == "softmax")
    assert softmax["best_score"] == 0.5
    assert softmax["attempts"] == 1
    assert body["streak_days"] == 1


def test_hint_reveal_over_the_api(api_client, alice) -> None:
    api_client.force_authenticate(alice)
    assert api_client.get("/api/v1/exercises/softmax/hints/").json()["revealed"] == 0
    body = api_client.post("/api/v1/exercises/softmax/hints/").json()
    assert body["revealed"] == 1
    assert len(body["hints"]) == 1


def test_an_instructor_reads_only_their_own_cohorts(
    api_client, alice, teacher, make_user, make_cohort
) -> None:
    other_teacher = make_user("other", role="instructor")
    mine = make_cohort(teacher, [alice], name="Mine")
    theirs = make_cohort(other_teacher, [alice], name="Theirs")
    api_client.force_authenticate(teacher)
    assert [c["name"] for c in api_client.get("/api/v1/cohorts/").json()] == ["Mine"]
    assert api_client.get(f"/api/v1/cohorts/{mine.pk}/progress/").status_code == 200
    assert api_client.get(f"/api/v1/cohorts/{theirs.pk}/progress/").status_code == 404
    assert api_client.get(f"/api/v1/cohorts/{theirs.pk}/progress.csv").status_code == 404


def test_a_learner_cannot_read_a_cohorts_progress(api_client, alice, teacher, make_cohort) -> None:
    cohort = make_cohort(teacher, [alice])
    api_client.force_authenticate(alice)
    assert api_client.get(f"/api/v1/cohorts/{cohort.pk}/progress/").status_code == 404
    assert api_client.get("/api/v1/cohorts/").json() == []


def test_cohort_progress_has_the_matrix_and_exercise_statistics(
    api_client, alice, bob, teacher, make_cohort
) -> None:
    cohort = make_cohort(teacher, [alice, bob])
    record(alice, "softmax", 0.5, 1, failed=["stable for logits near 1000"])
    record(alice, "softmax", 1.0, 2)
    record(bob, "softmax", 0.2, 3, failed=["stable for logits near 1000", "sums"])
    api_client.force_authenticate(teacher)
    body = api_client.get(f"/api/v1/cohorts/{cohort.pk}/progress/").json()
    assert [u["username"] for u in body["learners"]] == ["alice", "bob"]
    column = [e["slug"] for e in body["exercises"]].index("softmax")
    assert [row[column] for row in body["scores"]] == [1.0, 0.2]
    stats = next(s for s in body["exercise_stats"] if s["exercise"] == "softmax")
    assert stats["pass_rate"] == 0.5
    assert stats["median_attempts_to_pass"] == 2
    assert stats["most_failed_checks"][0] == {"check": "stable for logits near 1000", "failures": 2}


def _cohort_of(size, make_user, make_cohort, teacher):
    learners = [make_user() for _ in range(size)]
    cohort = make_cohort(teacher, learners, name=f"size {size}")
    for index, learner in enumerate(learners):
        record(learner, "softmax", 0.5 + 0.5 * (index % 2), index + 1, failed=["a check"])
    return cohort


@pytest.mark.parametrize("size", [3, 30])
def test_the_dashboard_query_count_does_not_grow_with_the_cohort(
    size, api_client, teacher, make_user, make_cohort, django_assert_max_num_queries
) -> None:
    cohort = _cohort_of(size, make_user, make_cohort, teacher)
    api_client.force_authenticate(teacher)
    with django_assert_max_num_queries(8):
        assert api_client.get(f"/api/v1/cohorts/{cohort.pk}/progress/").status_code == 200
    with django_assert_max_num_queries(8):
        assert api_client.get(f"/api/v1/cohorts/{cohort.pk}/progress.csv").status_code == 200


def test_join_a_cohort_by_code_over_the_api(api_client, alice, teacher, make_cohort) -> None:
    cohort = make_cohort(teacher, [])
    api_client.force_authenticate(alice)
    assert (
        api_client.post("/api/v1/cohorts/join/", {"join_code": "WRONG"}, format="json").status_code
        == 400
    )
    response = api_client.post(
        "/api/v1/cohorts/join/", {"join_code": cohort.join_code}, format="json"
    )
    assert response.json() == {"id": cohort.pk, "name": cohort.name}


def test_the_schema_and_docs_are_served(api_client) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"] if schema["Content-Type"].endswith("json") else {}
    if paths:
        for path in (
            "/api/v1/modules/",
            "/api/v1/exercises/{slug}/submissions/",
            "/api/v1/progress/me/",
        ):
            assert path in paths
    assert api_client.get("/api/docs/").status_code == 200


def test_seed_demo_creates_an_instructor_five_students_and_a_cohort(capsys) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from apps.progress.models import Cohort

    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out
    users = get_user_model().objects
    assert users.get(username="instructor").profile.role == "instructor"
    assert users.filter(username__startswith="student").count() == 5
    cohort = Cohort.objects.get(name="Demo cohort")
    assert cohort.enrollments.count() == 5
    assert "student5" in first
    assert "instructor" in first
    password = first.split("student1", 1)[1].split()[0]
    assert users.get(username="student1").check_password(password)
    assert password not in second, "passwords are printed once"
