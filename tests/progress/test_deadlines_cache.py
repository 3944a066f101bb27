"""A learner's deadlines from the cache (``deadlines._learner_deadline_rows``): never stale.

With a shared cache the course map and the exercise page read the learner's cohorts'
deadlines from it, under an epoch that every deadline, enrollment and cohort change moves
on; the first passes come from the learner's cached rows. Each write path below must show on
the very next read.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.curriculum.models import Exercise, Module
from apps.progress.deadlines import (
    DeadlineMark,
    deadline_remove,
    deadline_set,
    deadlines_for_learner,
)
from apps.progress.models import Enrollment
from apps.progress.services import cohort_join, exercise_progress_record_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shared_cache(settings) -> None:
    # One test process: its local-memory cache is as shared as Redis would be.
    settings.SHARED_CACHE = True


@pytest.fixture
def softmax():
    return Exercise.objects.get(slug="softmax")


def due_in(days: float):
    return timezone.now() + timedelta(days=days)


def mine(user):
    return deadlines_for_learner(user=user)


def test_a_second_read_makes_no_query(alice, teacher, make_cohort, softmax, committed) -> None:
    cohort = make_cohort(teacher, [alice])
    committed(deadline_set, cohort=cohort, instructor=teacher, due_at=due_in(3), exercise=softmax)
    assert mine(alice)[softmax.pk].mark is DeadlineMark.OPEN
    with CaptureQueriesContext(connection) as queries:
        assert mine(alice)[softmax.pk].mark is DeadlineMark.OPEN
    assert [q["sql"] for q in queries] == []


def test_a_deadline_set_moved_or_removed_shows_at_once(
    alice, teacher, make_cohort, softmax, committed
) -> None:
    cohort = make_cohort(teacher, [alice])
    assert mine(alice) == {}
    first = due_in(3)
    deadline = committed(
        deadline_set, cohort=cohort, instructor=teacher, due_at=first, exercise=softmax
    )
    assert mine(alice)[softmax.pk].due_at == first
    moved = due_in(5)
    committed(deadline_set, cohort=cohort, instructor=teacher, due_at=moved, exercise=softmax)
    assert mine(alice)[softmax.pk].due_at == moved
    committed(deadline_remove, deadline=deadline, instructor=teacher)
    assert mine(alice) == {}


def test_a_module_deadline_covers_its_exercises_at_once(
    alice, teacher, make_cohort, softmax, committed
) -> None:
    cohort = make_cohort(teacher, [alice])
    mine(alice)
    module = Module.objects.get(pk=softmax.module_id)
    committed(deadline_set, cohort=cohort, instructor=teacher, due_at=due_in(2), module=module)
    assert softmax.pk in mine(alice)


def test_joining_and_leaving_a_cohort_shows_at_once(
    alice, teacher, make_cohort, softmax, committed
) -> None:
    cohort = make_cohort(teacher, [])
    committed(deadline_set, cohort=cohort, instructor=teacher, due_at=due_in(3), exercise=softmax)
    assert mine(alice) == {}
    committed(cohort_join, user=alice, join_code=cohort.join_code)
    assert softmax.pk in mine(alice)
    committed(Enrollment.objects.filter(cohort=cohort, user=alice).delete)
    assert mine(alice) == {}


def test_an_enrollment_made_in_the_admin_shows_at_once(
    alice, teacher, make_cohort, softmax, committed
) -> None:
    cohort = make_cohort(teacher, [])
    committed(deadline_set, cohort=cohort, instructor=teacher, due_at=due_in(3), exercise=softmax)
    assert mine(alice) == {}
    committed(Enrollment.objects.create, cohort=cohort, user=alice)
    assert softmax.pk in mine(alice)


def test_a_cohort_renamed_shows_its_new_name(
    alice, teacher, make_cohort, softmax, committed
) -> None:
    cohort = make_cohort(teacher, [alice], name="Autumn")
    committed(deadline_set, cohort=cohort, instructor=teacher, due_at=due_in(3), exercise=softmax)
    assert mine(alice)[softmax.pk].cohort.name == "Autumn"
    cohort.name = "Winter"
    committed(cohort.save)
    assert mine(alice)[softmax.pk].cohort.name == "Winter"


def test_a_pass_marks_the_deadline_at_once(alice, teacher, make_cohort, softmax, committed) -> None:
    cohort = make_cohort(teacher, [alice])
    committed(deadline_set, cohort=cohort, instructor=teacher, due_at=due_in(3), exercise=softmax)
    assert mine(alice)[softmax.pk].mark is DeadlineMark.OPEN
    committed(
        exercise_progress_record_attempt,
        user=alice,
        exercise=softmax,
        submission_id=1,
        score=1.0,
        passed=True,
        failed_checks=[],
        at=timezone.now(),
    )
    assert mine(alice)[softmax.pk].mark is DeadlineMark.ON_TIME


def test_a_deadline_passing_is_marked_missed_without_a_write(
    alice, teacher, make_cohort, softmax, committed
) -> None:
    cohort = make_cohort(teacher, [alice])
    due = due_in(1)
    committed(deadline_set, cohort=cohort, instructor=teacher, due_at=due, exercise=softmax)
    assert mine(alice)[softmax.pk].mark is DeadlineMark.OPEN
    later = deadlines_for_learner(user=alice, now=due + timedelta(days=1))
    assert later[softmax.pk].mark is DeadlineMark.MISSING


def test_learners_see_only_their_own_cohorts_deadlines(
    alice, bob, teacher, make_cohort, softmax, committed
) -> None:
    theirs = make_cohort(teacher, [bob], name="Bob's")
    make_cohort(teacher, [alice], name="Alice's")
    committed(deadline_set, cohort=theirs, instructor=teacher, due_at=due_in(3), exercise=softmax)
    assert mine(alice) == {}
    assert mine(bob)[softmax.pk].cohort.name == "Bob's"
    assert mine(alice) == {}


def test_the_course_map_and_exercise_page_read_no_deadline_table_when_warm(
    alice, teacher, make_cohort, softmax, committed, client
) -> None:
    cohort = make_cohort(teacher, [alice])
    committed(deadline_set, cohort=cohort, instructor=teacher, due_at=due_in(3), exercise=softmax)
    client.force_login(alice)
    for path in ("/learn/", "/exercises/softmax/"):
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        assert "Cohort" in response.content.decode()  # the deadline, with its cohort's name
        read = [q["sql"] for q in queries if '"progress_deadline"' in q["sql"]]
        assert read == [], path
