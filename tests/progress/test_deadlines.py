"""Deadlines as instructors set them and learners meet them: on time, late, missing, open."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.curriculum.models import Exercise, Module
from apps.progress import deadlines
from apps.progress.deadlines import DeadlineMark
from apps.progress.exports import cohort_progress_csv
from apps.progress.selectors import cohort_cells
from apps.progress.services import exercise_progress_record_attempt

pytestmark = pytest.mark.django_db


def passed(user, slug, *, at, submission_id):
    exercise_progress_record_attempt(
        user=user,
        exercise=Exercise.objects.get(slug=slug),
        submission_id=submission_id,
        score=1.0,
        passed=True,
        failed_checks=[],
        at=at,
    )


def test_only_the_cohorts_instructors_set_its_deadlines(teacher, alice, make_cohort) -> None:
    cohort = make_cohort(teacher, [alice])
    module = Module.objects.get(slug="probability")
    with pytest.raises(PermissionDenied):
        deadlines.deadline_set(
            cohort=cohort, instructor=alice, due_at=timezone.now(), module=module
        )
    deadline = deadlines.deadline_set(
        cohort=cohort, instructor=teacher, due_at=timezone.now(), module=module
    )
    moved = deadlines.deadline_set(
        cohort=cohort, instructor=teacher, due_at=timezone.now() + timedelta(days=1), module=module
    )
    assert moved.pk == deadline.pk


def test_an_exercises_own_deadline_wins_over_its_modules(teacher, alice, make_cohort) -> None:
    cohort = make_cohort(teacher, [alice])
    soon = timezone.now() + timedelta(days=2)
    later = timezone.now() + timedelta(days=9)
    deadlines.deadline_set(
        cohort=cohort,
        instructor=teacher,
        due_at=later,
        module=Module.objects.get(slug="probability"),
    )
    softmax = Exercise.objects.get(slug="softmax")
    deadlines.deadline_set(cohort=cohort, instructor=teacher, due_at=soon, exercise=softmax)
    effective = deadlines.exercise_deadlines_for_cohort(cohort=cohort)
    assert effective[softmax.pk].due_at == soon
    entropy = Exercise.objects.get(slug="entropy")
    assert effective[entropy.pk].due_at == later


def test_marks_on_time_late_missing_and_open(teacher, alice, bob, make_user, make_cohort) -> None:
    carol = make_user("carol")
    dave = make_user("dave")
    cohort = make_cohort(teacher, [alice, bob, carol, dave])
    now = timezone.now()
    due = now - timedelta(days=1)
    softmax = Exercise.objects.get(slug="softmax")
    deadlines.deadline_set(cohort=cohort, instructor=teacher, due_at=due, exercise=softmax)
    entropy = Exercise.objects.get(slug="entropy")
    deadlines.deadline_set(
        cohort=cohort, instructor=teacher, due_at=now + timedelta(days=3), exercise=entropy
    )
    passed(alice, "softmax", at=due - timedelta(hours=1), submission_id=1)
    passed(bob, "softmax", at=due + timedelta(hours=1), submission_id=2)
    # Graded a minute after the deadline: it waited for a grader, it is on time.
    passed(dave, "softmax", at=due + timedelta(minutes=1), submission_id=3)
    report = deadlines.cohort_deadline_report(cohort=cohort, now=now)
    assert [e.slug for e in report.exercises] == ["softmax", "entropy"]
    marks = {row.learner.username: row.marks for row in report.rows}
    assert marks["alice"] == [DeadlineMark.ON_TIME, DeadlineMark.OPEN]
    assert marks["bob"] == [DeadlineMark.LATE, DeadlineMark.OPEN]
    assert marks["carol"] == [DeadlineMark.MISSING, DeadlineMark.OPEN]
    assert marks["dave"][0] is DeadlineMark.ON_TIME
    carol_row = next(row for row in report.rows if row.learner.username == "carol")
    assert (carol_row.on_time, carol_row.late, carol_row.missing) == (0, 0, 1)


def test_a_learner_sees_the_earliest_deadline_of_their_cohorts(
    teacher, alice, make_user, make_cohort
) -> None:
    other = make_user("other-teacher", role="instructor")
    first = make_cohort(teacher, [alice], name="Morning")
    second = make_cohort(other, [alice], name="Evening")
    softmax = Exercise.objects.get(slug="softmax")
    now = timezone.now()
    deadlines.deadline_set(
        cohort=first, instructor=teacher, due_at=now + timedelta(days=5), exercise=softmax
    )
    deadlines.deadline_set(
        cohort=second, instructor=other, due_at=now + timedelta(days=2), exercise=softmax
    )
    mine = deadlines.deadlines_for_learner(user=alice)
    assert mine[softmax.pk].cohort.name == "Evening"
    assert [d.exercise.slug for d in deadlines.due_soon_for_learner(user=alice)] == ["softmax"]


def test_due_soon_leaves_out_what_is_passed_or_far_away(teacher, alice, make_cohort) -> None:
    cohort = make_cohort(teacher, [alice])
    now = timezone.now()
    for slug, days in (("softmax", 1), ("entropy", 30), ("cross-entropy", 2)):
        deadlines.deadline_set(
            cohort=cohort,
            instructor=teacher,
            due_at=now + timedelta(days=days),
            exercise=Exercise.objects.get(slug=slug),
        )
    passed(alice, "cross-entropy", at=now, submission_id=1)
    assert [d.exercise.slug for d in deadlines.due_soon_for_learner(user=alice)] == ["softmax"]


def test_the_progress_csv_marks_each_learner_against_each_deadline(
    teacher, alice, bob, make_cohort
) -> None:
    cohort = make_cohort(teacher, [alice, bob])
    due = timezone.now() - timedelta(hours=2)
    softmax = Exercise.objects.get(slug="softmax")
    deadlines.deadline_set(cohort=cohort, instructor=teacher, due_at=due, exercise=softmax)
    passed(alice, "softmax", at=due - timedelta(hours=1), submission_id=1)
    effective = {
        pk: d.due_at for pk, d in deadlines.exercise_deadlines_for_cohort(cohort=cohort).items()
    }
    rows = list(
        csv.DictReader(io.StringIO(cohort_progress_csv(cohort_cells(cohort=cohort), effective)))
    )
    softmax_rows = {r["learner"]: r for r in rows if r["exercise"] == "softmax"}
    assert softmax_rows["alice"]["deadline"] == "on_time"
    assert softmax_rows["bob"]["deadline"] == "missing"
    assert softmax_rows["bob"]["due_at"].endswith("Z")
    other = next(r for r in rows if r["exercise"] == "entropy")
    assert (other["due_at"], other["deadline"]) == ("", "")
