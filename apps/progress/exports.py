"""A cohort's progress as CSV files, for a spreadsheet or a script.

Two files, each a single table under one header row:

- ``progress.csv`` (long format): one row per learner × live exercise, every pair listed,
  attempted or not, learners by username and exercises in course order.
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
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from apps.progress.selectors import CohortCells, CohortProgress, ExerciseCell

# (column, what it holds). The API's schema describes the same columns, in this order.
PROGRESS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("learner", "username"),
    ("cohort", "cohort name"),
    ("module", "module slug"),
    ("module_title", "module title"),
    ("exercise", "exercise slug"),
    ("exercise_title", "exercise title"),
    ("points", "points the exercise is worth (count)"),
    ("attempts", "graded attempts (count)"),
    ("best_score", "best score, 0 to 1 (empty: never attempted)"),
    ("passed", "passed every check at least once (true/false)"),
    ("attempts_to_pass", "attempts up to the first pass (empty: not passed)"),
    ("hints_revealed", "hints revealed (count)"),
    ("first_attempt_at", "first graded attempt, UTC"),
    ("first_passed_at", "first pass, UTC"),
    ("last_attempt_at", "most recent graded attempt, UTC"),
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


def cohort_progress_csv(cells: CohortCells) -> str:
    """``progress.csv``: one row per learner × exercise (see the module docstring)."""
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
    rows = (
        [
            username,
            cohort_name,
            *columns,
            *_progress_row(cells.cells.get((user_id, exercise_id))),
        ]
        for user_id, username in ((u.pk, text_cell(u.get_username())) for u in cells.learners)
        for exercise_id, columns in zip(
            (e.pk for e in cells.exercises), exercise_columns, strict=True
        )
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
