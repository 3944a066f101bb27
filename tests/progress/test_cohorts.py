"""Managing cohorts: create, rename, archive and reopen, a new join code; as services and over
the API, where only a cohort's own instructors may touch it (anyone else gets a 404)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.curriculum.models import Exercise, Lesson
from apps.progress import selectors, services
from apps.progress.models import Cohort, Enrollment, ExerciseProgress

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_teacher(make_user):
    return make_user("other-teacher", role="instructor")


# --- services -------------------------------------------------------------------------------


def test_a_new_cohort_has_a_tidy_name_its_instructor_and_a_join_code(teacher) -> None:
    cohort = services.cohort_create(name="  Spring   2027 \n", instructor=teacher)
    assert cohort.name == "Spring 2027"
    assert list(cohort.instructors.all()) == [teacher]
    assert len(cohort.join_code) == 8
    assert not cohort.archived


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_a_cohort_needs_a_name_of_sensible_length(teacher, name) -> None:
    with pytest.raises(ValidationError):
        services.cohort_create(name=name, instructor=teacher)
    assert not Cohort.objects.exists()


def test_its_instructor_renames_a_cohort_and_nobody_else_can(teacher, other_teacher) -> None:
    cohort = services.cohort_create(name="Spring", instructor=teacher)
    services.cohort_rename(cohort=cohort, instructor=teacher, name="Spring (group B)")
    assert Cohort.objects.get(pk=cohort.pk).name == "Spring (group B)"
    with pytest.raises(PermissionDenied):
        services.cohort_rename(cohort=cohort, instructor=other_teacher, name="Mine now")
    assert Cohort.objects.get(pk=cohort.pk).name == "Spring (group B)"


def test_a_new_join_code_admits_people_and_the_old_one_no_longer_does(teacher, alice, bob) -> None:
    cohort = services.cohort_create(name="Spring", instructor=teacher)
    old = cohort.join_code
    services.cohort_join(user=alice, join_code=old)
    services.cohort_join_code_rotate(cohort=cohort, instructor=teacher)
    assert cohort.join_code != old
    assert Cohort.objects.get(pk=cohort.pk).join_code == cohort.join_code
    with pytest.raises(ValidationError):
        services.cohort_join(user=bob, join_code=old)
    services.cohort_join(user=bob, join_code=cohort.join_code.lower())
    # Members who joined with the old code stay members.
    assert set(
        Enrollment.objects.filter(cohort=cohort).values_list("user__username", flat=True)
    ) == {
        "alice",
        "bob",
    }


def test_only_its_instructors_can_give_a_cohort_a_new_code(teacher, other_teacher) -> None:
    cohort = services.cohort_create(name="Spring", instructor=teacher)
    code = cohort.join_code
    with pytest.raises(PermissionDenied):
        services.cohort_join_code_rotate(cohort=cohort, instructor=other_teacher)
    assert Cohort.objects.get(pk=cohort.pk).join_code == code


def test_an_archived_cohort_keeps_its_members_but_takes_no_new_ones(teacher, alice, bob) -> None:
    cohort = services.cohort_create(name="Spring", instructor=teacher)
    services.cohort_join(user=alice, join_code=cohort.join_code)
    services.cohort_archive(cohort=cohort, instructor=teacher)
    assert Cohort.objects.get(pk=cohort.pk).archived
    with pytest.raises(ValidationError, match="archived"):
        services.cohort_join(user=bob, join_code=cohort.join_code)
    assert selectors.cohort_has_learner(cohort=cohort, user_id=alice.pk)
    # Still the instructor's to read.
    assert selectors.cohort_for_instructor(instructor=teacher, cohort_id=cohort.pk) == cohort
    services.cohort_unarchive(cohort=cohort, instructor=teacher)
    services.cohort_join(user=bob, join_code=cohort.join_code)
    assert selectors.cohort_has_learner(cohort=cohort, user_id=bob.pk)


def test_only_its_instructors_can_archive_a_cohort(teacher, other_teacher) -> None:
    cohort = services.cohort_create(name="Spring", instructor=teacher)
    with pytest.raises(PermissionDenied):
        services.cohort_archive(cohort=cohort, instructor=other_teacher)
    assert not Cohort.objects.get(pk=cohort.pk).archived


def test_an_unknown_or_empty_join_code_is_refused(alice) -> None:
    for code in ("", "   ", "NOPE1234"):
        with pytest.raises(ValidationError):
            services.cohort_join(user=alice, join_code=code)


def test_a_hint_alone_is_not_an_attempt_on_the_dashboard(teacher, alice, make_cohort) -> None:
    cohort = make_cohort(teacher, [alice])
    services.hint_reveal(user=alice, exercise=Exercise.objects.get(slug="softmax"))
    progress = selectors.cohort_progress(cohort=cohort)
    column = [e.slug for e in progress.exercises].index("softmax")
    assert progress.scores[0][column] is None
    stats = progress.exercise_stats[column]
    assert stats.attempted == 0
    assert stats.pass_rate is None


def test_last_activity_is_the_newest_attempt_hint_or_lesson_read(alice, bob) -> None:
    assert selectors.last_activity_for_user(user=alice) is None
    long_ago = timezone.now() - timedelta(days=10)
    services.exercise_progress_record_attempt(
        user=alice,
        exercise=Exercise.objects.get(slug="softmax"),
        submission_id=1,
        score=0.5,
        passed=False,
        failed_checks=[],
        at=long_ago,
    )
    ExerciseProgress.objects.filter(user=alice).update(updated_at=long_ago)
    assert selectors.last_activity_for_user(user=alice) == long_ago
    lesson = Lesson.objects.filter(retired=False).first()
    read = services.lesson_mark_read(user=alice, lesson=lesson)
    assert selectors.last_activity_for_user(user=alice) == read.read_at
    assert selectors.last_activity_for_user(user=bob) is None


def test_the_last_attempt_is_kept_whatever_order_attempts_are_counted_in(alice) -> None:
    exercise = Exercise.objects.get(slug="softmax")
    first = timezone.now() - timedelta(hours=2)
    second = first + timedelta(hours=1)
    for submission_id, at in ((1, first), (2, second)):
        progress = services.exercise_progress_record_attempt(
            user=alice,
            exercise=exercise,
            submission_id=submission_id,
            score=0.5,
            passed=False,
            failed_checks=[],
            at=at,
        )
    assert progress.first_attempt_at == first
    assert progress.last_attempt_at == second


def test_a_learner_sees_the_cohorts_they_are_in_with_their_instructors(
    teacher, other_teacher, alice
) -> None:
    spring = services.cohort_create(name="Spring", instructor=teacher)
    spring.instructors.add(other_teacher)
    autumn = services.cohort_create(name="Autumn", instructor=other_teacher)
    services.cohort_create(name="Not mine", instructor=teacher)
    services.cohort_join(user=alice, join_code=spring.join_code)
    services.cohort_join(user=alice, join_code=autumn.join_code)
    memberships = selectors.memberships_for_learner(user=alice)
    assert [m.cohort.name for m in memberships] == ["Autumn", "Spring"]  # newest first
    assert memberships[1].instructors == ["other-teacher", "teacher"]


# --- API ------------------------------------------------------------------------------------


def test_an_instructor_creates_a_cohort_over_the_api(api_client, teacher) -> None:
    api_client.force_authenticate(teacher)
    response = api_client.post("/api/v1/cohorts/", {"name": "Spring"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Spring"
    assert body["learners"] == 0
    assert body["archived"] is False
    assert body["archived_at"] is None
    assert Cohort.objects.get(pk=body["id"]).instructors.get() == teacher


def test_a_learner_cannot_create_a_cohort(api_client, alice) -> None:
    api_client.force_authenticate(alice)
    response = api_client.post("/api/v1/cohorts/", {"name": "Mine"}, format="json")
    assert response.status_code == 403
    assert not Cohort.objects.exists()


def test_a_blank_name_is_refused_with_a_message(api_client, teacher) -> None:
    api_client.force_authenticate(teacher)
    response = api_client.post("/api/v1/cohorts/", {"name": "   "}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_an_instructor_renames_archives_and_reopens_their_cohort_over_the_api(
    api_client, teacher, alice, make_cohort
) -> None:
    cohort = make_cohort(teacher, [alice], name="Spring")
    api_client.force_authenticate(teacher)
    url = f"/api/v1/cohorts/{cohort.pk}/"
    assert api_client.get(url).json()["learners"] == 1
    renamed = api_client.patch(url, {"name": "Spring B"}, format="json").json()
    assert renamed["name"] == "Spring B"
    archived = api_client.patch(url, {"archived": True}, format="json").json()
    assert archived["archived"] is True
    assert archived["archived_at"] is not None
    assert api_client.get("/api/v1/cohorts/").json()[0]["archived"] is True
    reopened = api_client.patch(url, {"archived": False}, format="json").json()
    assert reopened["archived"] is False
    assert reopened["name"] == "Spring B"


def test_a_new_join_code_over_the_api(api_client, teacher, make_cohort) -> None:
    cohort = make_cohort(teacher, [])
    api_client.force_authenticate(teacher)
    response = api_client.post(f"/api/v1/cohorts/{cohort.pk}/join-code/")
    assert response.status_code == 200
    assert response.json()["join_code"] != cohort.join_code
    assert Cohort.objects.get(pk=cohort.pk).join_code == response.json()["join_code"]


@pytest.mark.parametrize("who", ["other instructor", "learner in the cohort", "stranger"])
def test_nobody_but_its_instructors_can_read_or_change_a_cohort(
    api_client, teacher, other_teacher, alice, make_user, make_cohort, who
) -> None:
    cohort = make_cohort(teacher, [alice], name="Spring")
    code = cohort.join_code
    intruder = {
        "other instructor": other_teacher,
        "learner in the cohort": alice,
        "stranger": make_user("stranger"),
    }[who]
    api_client.force_authenticate(intruder)
    base = f"/api/v1/cohorts/{cohort.pk}/"
    assert api_client.get(base).status_code == 404
    assert api_client.patch(base, {"name": "Pwned"}, format="json").status_code == 404
    assert api_client.patch(base, {"archived": True}, format="json").status_code == 404
    assert api_client.post(base + "join-code/").status_code == 404
    assert api_client.get(base + "progress/").status_code == 404
    assert api_client.get(base + "progress.csv").status_code == 404
    assert api_client.get(base + "exercise-summary.csv").status_code == 404
    unchanged = Cohort.objects.get(pk=cohort.pk)
    assert (unchanged.name, unchanged.join_code, unchanged.archived) == ("Spring", code, False)


def test_anonymous_clients_are_refused_before_anything(api_client, teacher, make_cohort) -> None:
    cohort = make_cohort(teacher, [])
    assert api_client.get(f"/api/v1/cohorts/{cohort.pk}/").status_code == 401
    assert api_client.post("/api/v1/cohorts/", {"name": "x"}, format="json").status_code == 401
    assert api_client.post(f"/api/v1/cohorts/{cohort.pk}/join-code/").status_code == 401


def test_a_co_instructor_can_manage_the_cohort_too(
    api_client, teacher, other_teacher, make_cohort
) -> None:
    cohort = make_cohort(teacher, [])
    cohort.instructors.add(other_teacher)
    api_client.force_authenticate(other_teacher)
    response = api_client.patch(f"/api/v1/cohorts/{cohort.pk}/", {"name": "Ours"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Ours"


def test_the_schema_documents_cohort_management_and_both_csvs(api_client) -> None:
    schema = api_client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/cohorts/"]
    assert {"get", "patch"} <= set(paths["/api/v1/cohorts/{cohort_id}/"])
    assert "post" in paths["/api/v1/cohorts/{cohort_id}/join-code/"]
    components = schema["components"]["schemas"]
    for path, row in (
        ("/api/v1/cohorts/{cohort_id}/progress.csv", "CohortProgressCsvRow"),
        ("/api/v1/cohorts/{cohort_id}/exercise-summary.csv", "CohortExerciseSummaryCsvRow"),
    ):
        operation = paths[path]["get"]
        csv_schema = operation["responses"]["200"]["content"]["text/csv"]["schema"]
        assert csv_schema["items"]["$ref"].endswith(f"/{row}")
        assert "four decimals" in operation["description"]
        assert components[row]["properties"]
        assert "404" in operation["responses"]
