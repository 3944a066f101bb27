"""A cohort's progress as CSV files, for a spreadsheet or a script.

Two files, each a single table under one header row:

- ``progress.csv`` (long format): one row per learner × live exercise, every pair listed,
  attempted or not, learners by username and exercises in course order; after each
  learner's exercises, one row per live lesson with concept checks (its ``lesson`` column
  set, its exercise columns empty): how many the learner answered and answered correctly.
- ``exercise-summary.csv``: one row per live exercise: how the cohort is doing on it.

Every value is written one way, in both files:

- counts are integers: ``3``;
- every other number (scores, rates, means, medians) is a plain decimal with a dot and
  exactly four decimals, no percent sign, no thousands separator: a score of 75% is
  ``0.7500``; scores and rates are fractions from 0 to 1;
- booleans are ``true`` or ``false``;
- times are ISO 8601 in UTC, to the second: ``2026-12-06T14:05:09Z``;
- an empty cell means "does not apply" (never attempted, nobody passed yet);
- text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return) gets a leading apostrophe: usernames and cohort names are
  chosen by people, not by us.

UTF-8, comma-separated, quoted where needed, CRLF line ends (Python's ``excel`` dialect).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

from django.utils import timezone

from apps.progress.deadlines import deadline_mark
from apps.progress.selectors import (
    NO_CONCEPT_CHECKS,
    CohortCells,
    CohortLesson,
    CohortProgress,
    ConceptChecks,
    ExerciseCell,
)

# (column, what it holds). The API's schema describes the same columns, in this order.
PROGRESS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("learner", "username"),
    ("cohort", "cohort name"),
    ("module", "module slug"),
    ("module_title", "module title"),
    ("exercise", "exercise slug (empty on a concept-check row)"),
    ("exercise_title", "exercise title"),
    ("points", "points the exercise (or the lesson's concept checks) is worth (count)"),
    ("attempts", "graded attempts (count); on a concept-check row, answers given"),
    ("best_score", "best score, 0 to 1 (empty: never attempted, or a concept-check row)"),
    (
        "passed",
        "passed every check at least once; on a concept-check row, answered every concept "
        "check correctly (true/false)",
    ),
    ("attempts_to_pass", "attempts up to the first pass (empty: not passed)"),
    ("hints_revealed", "hints revealed (count)"),
    ("first_attempt_at", "first graded attempt, UTC"),
    ("first_passed_at", "first pass, UTC"),
    ("last_attempt_at", "most recent graded attempt, UTC"),
    ("due_at", "the cohort's deadline for the exercise (its own, else its module's), UTC"),
    (
        "deadline",
        "on_time, late (first passed after the deadline), missing (not passed, deadline over) "
        "or open (not passed, deadline to come); empty: no deadline",
    ),
    ("lesson", "lesson slug, on a concept-check row (empty on an exercise row)"),
    ("lesson_title", "lesson title, on a concept-check row"),
    ("questions", "the lesson's live concept checks (count), on a concept-check row"),
    ("questions_answered", "concept checks the learner answered at least once (count)"),
    ("questions_correct", "concept checks the learner answered correctly (count)"),
)

SUMMARY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("cohort", "cohort name"),
    ("module", "module slug"),
    ("module_title", "module title"),
    ("exercise", "exercise slug"),
    ("exercise_title", "exercise title"),
    ("points", "points the exercise is worth (count)"),
    ("learners", "learners in the cohort (count)"),
    ("attempted", "learners with at least one graded attempt (count)"),
    ("passed", "learners who passed (count)"),
    ("pass_rate", "passed / attempted, 0 to 1 (empty: nobody attempted)"),
    ("mean_best_score", "mean best score of those who attempted, 0 to 1"),
    ("median_attempts_to_pass", "median attempts up to the first pass, of those who passed"),
    ("most_failed_checks", "the checks failed most often, 'name (failures)' joined by '; '"),
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: object) -> str:
    """Text as a spreadsheet will show it, never run it."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def count_cell(value: int | None) -> str:
    return "" if value is None else str(int(value))


def decimal_cell(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def flag_cell(value: bool) -> str:
    return "true" if value else "false"


def time_cell(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _csv(header: Sequence[tuple[str, str]], rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _ in header])
    writer.writerows(rows)
    return buffer.getvalue()


# A learner who never opened the exercise: no attempt, no hint.
NEVER_OPENED = ("0", "", "false", "", "0", "", "", "")


def _progress_row(cell: ExerciseCell | None) -> Sequence[str]:
    if cell is None:
        return NEVER_OPENED
    return (
        count_cell(cell.attempts),
        decimal_cell(cell.best_score if cell.attempts > 0 else None),
        flag_cell(cell.first_passed_at is not None),
        count_cell(cell.attempts_to_pass),
        count_cell(cell.hints_revealed),
        time_cell(cell.first_attempt_at),
        time_cell(cell.first_passed_at),
        time_cell(cell.last_attempt_at),
    )


def _deadline_row(
    due_at: datetime | None, cell: ExerciseCell | None, now: datetime
) -> Sequence[str]:
    if due_at is None:
        return ("", "")
    first_passed_at = cell.first_passed_at if cell is not None else None
    return (
        time_cell(due_at),
        str(deadline_mark(due_at=due_at, first_passed_at=first_passed_at, now=now)),
    )


# An exercise row's concept-check columns: none apply.
NOT_A_LESSON = ("", "", "", "", "")


def _concept_check_row(row: CohortLesson, checks: ConceptChecks) -> Sequence[str]:
    """From ``points`` on: a learner's concept checks in one lesson."""
    return (
        count_cell(row.points),
        count_cell(checks.answers),
        "",
        flag_cell(checks.correct >= row.questions),
        "", "", "", "", "", "", "",  # attempts_to_pass .. deadline: none apply
        text_cell(row.lesson.slug),
        text_cell(row.lesson.title),
        count_cell(row.questions),
        count_cell(checks.answered),
        count_cell(checks.correct),
    )  # fmt: skip


def _lesson_rows(cells: CohortCells, user_id: int, username: str) -> Iterable[list[str]]:
    cohort_name = text_cell(cells.cohort.name)
    for row in cells.lessons:
        checks = cells.concept_checks.get((user_id, row.lesson.pk), NO_CONCEPT_CHECKS)
        yield [
            username,
            cohort_name,
            text_cell(row.lesson.module.slug),
            text_cell(row.lesson.module.title),
            "",
            "",
            *_concept_check_row(row, checks),
        ]


def cohort_progress_csv(cells: CohortCells, deadlines: Mapping[int, datetime] | None = None) -> str:
    """``progress.csv``: one row per learner × exercise (see the module docstring).

    ``deadlines``: exercise id -> the cohort's deadline for it (apps/progress/deadlines).
    """
    deadlines = deadlines or {}
    now = timezone.now()
    cohort_name = text_cell(cells.cohort.name)
    exercise_columns = [
        [
            text_cell(e.module.slug),
            text_cell(e.module.title),
            text_cell(e.slug),
            text_cell(e.title),
            count_cell(e.points),
        ]
        for e in cells.exercises
    ]

    def learner_rows(user_id: int, username: str) -> Iterable[list[str]]:
        for exercise_id, columns in zip(
            (e.pk for e in cells.exercises), exercise_columns, strict=True
        ):
            yield [
                username,
                cohort_name,
                *columns,
                *_progress_row(cells.cells.get((user_id, exercise_id))),
                *_deadline_row(
                    deadlines.get(exercise_id), cells.cells.get((user_id, exercise_id)), now
                ),
                *NOT_A_LESSON,
            ]
        yield from _lesson_rows(cells, user_id, username)

    rows = (
        row
        for user_id, username in ((u.pk, text_cell(u.get_username())) for u in cells.learners)
        for row in learner_rows(user_id, username)
    )
    return _csv(PROGRESS_COLUMNS, rows)


def cohort_exercise_summary_csv(progress: CohortProgress) -> str:
    """``exercise-summary.csv``: one row per exercise (see the module docstring)."""
    cohort_name = text_cell(progress.cohort.name)
    rows = (
        [
            cohort_name,
            text_cell(exercise.module.slug),
            text_cell(exercise.module.title),
            text_cell(exercise.slug),
            text_cell(exercise.title),
            count_cell(exercise.points),
            count_cell(len(progress.learners)),
            count_cell(stat.attempted),
            count_cell(stat.passed),
            decimal_cell(stat.pass_rate),
            decimal_cell(stat.mean_best_score),
            decimal_cell(stat.median_attempts_to_pass),
            text_cell("; ".join(f"{c.check} ({c.failures})" for c in stat.most_failed_checks)),
        ]
        for exercise, stat in zip(progress.exercises, progress.exercise_stats, strict=True)
    )
    return _csv(SUMMARY_COLUMNS, rows)
