"""The two CSV files a cohort's instructor downloads: long format and per-exercise summary,
every value written one way, nothing a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from apps.curriculum.models import Exercise
from apps.progress.api.serializers import (
    CohortExerciseSummaryCsvRowSerializer,
    CohortProgressCsvRowSerializer,
)
from apps.progress.exports import PROGRESS_COLUMNS, SUMMARY_COLUMNS
from apps.progress.selectors import lessons_with_concept_checks
from apps.progress.services import exercise_progress_record_attempt, hint_reveal

pytestmark = pytest.mark.django_db

AT = datetime(2026, 12, 6, 14, 5, 9, 123456, tzinfo=UTC)
INTEGER = re.compile(r"^\d+$")
DECIMAL = re.compile(r"^\d+\.\d{4}$")
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
COLUMN_FORMATS = {
    "points": INTEGER,
    "attempts": INTEGER,
    "hints_revealed": INTEGER,
    "attempts_to_pass": INTEGER,
    "learners": INTEGER,
    "questions": INTEGER,
    "questions_answered": INTEGER,
    "questions_correct": INTEGER,
    "attempted": INTEGER,
    "best_score": DECIMAL,
    "pass_rate": DECIMAL,
    "mean_best_score": DECIMAL,
    "median_attempts_to_pass": DECIMAL,
    "first_attempt_at": TIME,
    "first_passed_at": TIME,
    "last_attempt_at": TIME,
}


def record(user, slug, score, submission_id, *, at=AT, failed=()):
    exercise_progress_record_attempt(
        user=user,
        exercise=Exercise.objects.get(slug=slug),
        submission_id=submission_id,
        score=score,
        passed=score == 1.0,
        failed_checks=list(failed),
        at=at,
    )


def rows_of(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def cohort(teacher, alice, bob, make_cohort):
    cohort = make_cohort(teacher, [alice, bob], name="Spring")
    record(alice, "softmax", 0.5, 1, at=AT, failed=["rows sum to one"])
    record(alice, "softmax", 0.0, 2, at=AT + timedelta(minutes=3), failed=["rows sum to one"])
    record(alice, "softmax", 1.0, 3, at=AT + timedelta(minutes=10))
    record(bob, "softmax", 0.0, 4, at=AT, failed=["rows sum to one", "stable"])
    hint_reveal(user=bob, exercise=Exercise.objects.get(slug="entropy"))
    return cohort


def test_progress_csv_has_one_row_per_learner_and_exercise(api_client, teacher, cohort) -> None:
    api_client.force_authenticate(teacher)
    response = api_client.get(f"/api/v1/cohorts/{cohort.pk}/progress.csv")
    assert (
        response["Content-Disposition"] == f'attachment; filename="cohort-{cohort.pk}-progress.csv"'
    )
    rows = rows_of(response)
    live = Exercise.objects.filter(retired=False).count()
    lessons = len(lessons_with_concept_checks())
    assert lessons > 0
    assert len(rows) == 2 * (live + lessons)
    assert list(rows[0]) == [name for name, _ in PROGRESS_COLUMNS]
    assert [r["learner"] for r in rows[:live]] == ["alice"] * live
    assert {r["cohort"] for r in rows} == {"Spring"}

    alice = next(r for r in rows if r["learner"] == "alice" and r["exercise"] == "softmax")
    assert alice == {
        "learner": "alice",
        "cohort": "Spring",
        "module": "probability",
        "module_title": "Probability and information theory",
        "exercise": "softmax",
        "exercise_title": Exercise.objects.get(slug="softmax").title,
        "points": str(Exercise.objects.get(slug="softmax").points),
        "attempts": "3",
        "best_score": "1.0000",
        "passed": "true",
        "attempts_to_pass": "3",
        "hints_revealed": "0",
        "first_attempt_at": "2026-12-06T14:05:09Z",
        "first_passed_at": "2026-12-06T14:15:09Z",
        "last_attempt_at": "2026-12-06T14:15:09Z",
        "due_at": "",  # no deadline in this cohort (issue 20)
        "deadline": "",
        "lesson": "",  # an exercise row
        "lesson_title": "",
        "questions": "",
        "questions_answered": "",
        "questions_correct": "",
    }


def test_attempted_at_zero_is_not_the_same_as_never_attempted(api_client, teacher, cohort) -> None:
    api_client.force_authenticate(teacher)
    rows = rows_of(api_client.get(f"/api/v1/cohorts/{cohort.pk}/progress.csv"))
    by = {(r["learner"], r["exercise"]): r for r in rows}
    zero = by[("bob", "softmax")]
    assert (zero["attempts"], zero["best_score"], zero["passed"]) == ("1", "0.0000", "false")
    hint_only = by[("bob", "entropy")]
    assert (hint_only["attempts"], hint_only["best_score"], hint_only["hints_revealed"]) == (
        "0",
        "",
        "1",
    )
    assert hint_only["last_attempt_at"] == ""
    never = by[("alice", "entropy")]
    assert (never["attempts"], never["best_score"], never["passed"]) == ("0", "", "false")
    assert never["first_attempt_at"] == never["attempts_to_pass"] == ""


def test_the_summary_csv_has_one_row_per_exercise(api_client, teacher, cohort) -> None:
    api_client.force_authenticate(teacher)
    response = api_client.get(f"/api/v1/cohorts/{cohort.pk}/exercise-summary.csv")
    assert response["Content-Disposition"].endswith(f'"cohort-{cohort.pk}-exercise-summary.csv"')
    rows = rows_of(response)
    assert len(rows) == Exercise.objects.filter(retired=False).count()
    assert list(rows[0]) == [name for name, _ in SUMMARY_COLUMNS]
    softmax = next(r for r in rows if r["exercise"] == "softmax")
    assert softmax["learners"] == "2"
    assert softmax["attempted"] == "2"
    assert softmax["passed"] == "1"
    assert softmax["pass_rate"] == "0.5000"
    assert softmax["mean_best_score"] == "0.5000"
    assert softmax["median_attempts_to_pass"] == "3.0000"
    assert softmax["most_failed_checks"] == "rows sum to one (3); stable (1)"
    untouched = next(r for r in rows if r["exercise"] == "entropy")
    assert (untouched["attempted"], untouched["pass_rate"], untouched["mean_best_score"]) == (
        "0",
        "",
        "",
    )


def test_every_number_is_written_one_way_in_both_files(api_client, teacher, cohort) -> None:
    api_client.force_authenticate(teacher)
    for path in ("progress.csv", "exercise-summary.csv"):
        for row in rows_of(api_client.get(f"/api/v1/cohorts/{cohort.pk}/{path}")):
            for column, value in row.items():
                if value and column in COLUMN_FORMATS:
                    assert COLUMN_FORMATS[column].match(value), (path, column, value)
                if column == "passed" and path == "progress.csv":
                    assert value in ("true", "false")


def test_formulas_in_names_are_defused(api_client, teacher, make_user, make_cohort) -> None:
    sneaky = make_user("=HYPERLINK(1)")
    cohort = make_cohort(teacher, [sneaky], name="+cmd|' /C calc'!A0")
    record(sneaky, "softmax", 0.75, 1, failed=["@SUM(A1)"])
    api_client.force_authenticate(teacher)
    rows = rows_of(api_client.get(f"/api/v1/cohorts/{cohort.pk}/progress.csv"))
    assert {r["learner"] for r in rows} == {"'=HYPERLINK(1)"}
    assert {r["cohort"] for r in rows} == {"'+cmd|' /C calc'!A0"}
    summary = rows_of(api_client.get(f"/api/v1/cohorts/{cohort.pk}/exercise-summary.csv"))
    softmax = next(r for r in summary if r["exercise"] == "softmax")
    assert softmax["most_failed_checks"] == "'@SUM(A1) (1)"
    assert softmax["cohort"].startswith("'+")


def test_a_client_that_accepts_only_csv_gets_csv(api_client, teacher, cohort) -> None:
    api_client.force_authenticate(teacher)
    for path in ("progress.csv", "exercise-summary.csv"):
        response = api_client.get(f"/api/v1/cohorts/{cohort.pk}/{path}", HTTP_ACCEPT="text/csv")
        assert rows_of(response)
    missing = api_client.get("/api/v1/cohorts/999999/progress.csv", HTTP_ACCEPT="text/csv")
    assert missing.status_code == 404


def test_the_schema_lists_the_columns_in_the_files_order() -> None:
    assert list(CohortProgressCsvRowSerializer().fields) == [n for n, _ in PROGRESS_COLUMNS]
    assert list(CohortExerciseSummaryCsvRowSerializer().fields) == [n for n, _ in SUMMARY_COLUMNS]


@pytest.mark.parametrize("size", [3, 30])
def test_the_exports_query_count_does_not_grow_with_the_cohort(
    size, api_client, teacher, make_user, make_cohort, django_assert_max_num_queries
) -> None:
    learners = [make_user() for _ in range(size)]
    cohort = make_cohort(teacher, learners, name=f"size {size}")
    for index, learner in enumerate(learners):
        record(learner, "softmax", 0.5, index + 1, failed=["a check"])
    api_client.force_authenticate(teacher)
    for path in ("progress.csv", "exercise-summary.csv"):
        with django_assert_max_num_queries(8):
            rows_of(api_client.get(f"/api/v1/cohorts/{cohort.pk}/{path}"))
