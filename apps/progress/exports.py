"""CSV renderings of a cohort's progress (what the dashboard shows, for a spreadsheet)."""

from __future__ import annotations

import csv
import io

from apps.progress.selectors import CohortProgress


def _safe_cell(value: object) -> str:
    # A leading = + - @ makes spreadsheets evaluate the cell: usernames are learner-chosen.
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def cohort_progress_csv(progress: CohortProgress) -> str:
    """Two tables in one file: the learner × exercise matrix, then per-exercise statistics."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["learner", *[e.slug for e in progress.exercises]])
    for learner, row in zip(progress.learners, progress.scores, strict=True):
        writer.writerow(
            [_safe_cell(learner.username), *["" if s is None else f"{s:.4g}" for s in row]]
        )
    writer.writerow([])
    writer.writerow(
        [
            "exercise",
            "module",
            "attempted",
            "passed",
            "pass_rate",
            "median_attempts_to_pass",
            "most_failed_checks",
        ]
    )
    for stat in progress.exercise_stats:
        writer.writerow(
            [
                stat.exercise,
                stat.module,
                stat.attempted,
                stat.passed,
                "" if stat.pass_rate is None else stat.pass_rate,
                "" if stat.median_attempts_to_pass is None else stat.median_attempts_to_pass,
                "; ".join(f"{c.check} ({c.failures})" for c in stat.most_failed_checks),
            ]
        )
    return buffer.getvalue()
