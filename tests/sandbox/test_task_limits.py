"""Celery's time limits are defined once, from the sandbox's own limits, and every task the
app registers runs under them (a grading cut off before its sandbox run could end would be
a verdict lost, and one limit per task drifts)."""

from __future__ import annotations

from django.conf import settings

from apps.sandbox.grading.limits import (
    HARD_LIMITS,
    TASK_SOFT_TIME_LIMIT,
    TASK_TIME_LIMIT,
    TRUSTED_WORK_SECONDS,
)
from dlmath.celery import app

SANDBOX_TASKS = ("sandbox.submission_run", "sandbox.run_execute", "sandbox.regrade_batch")


def _project_tasks() -> dict[str, object]:
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_the_limits_leave_room_for_the_longest_sandbox_run_and_the_work_around_it() -> None:
    assert HARD_LIMITS["wall_seconds"] + TRUSTED_WORK_SECONDS <= TASK_SOFT_TIME_LIMIT
    assert TASK_TIME_LIMIT > TASK_SOFT_TIME_LIMIT


def test_every_registered_task_runs_under_the_one_pair_of_limits() -> None:
    tasks = _project_tasks()
    assert set(SANDBOX_TASKS) <= set(tasks), "the sandbox tasks are registered"
    assert len(tasks) > len(SANDBOX_TASKS)
    for name, task in tasks.items():
        soft = getattr(task, "soft_time_limit", None) or app.conf.task_soft_time_limit
        hard = getattr(task, "time_limit", None) or app.conf.task_time_limit
        assert (soft, hard) == (TASK_SOFT_TIME_LIMIT, TASK_TIME_LIMIT), name


def test_the_tasks_that_run_the_sandbox_name_the_limits_themselves() -> None:
    tasks = _project_tasks()
    for name in SANDBOX_TASKS:
        task = tasks[name]
        assert (task.soft_time_limit, task.time_limit) == (TASK_SOFT_TIME_LIMIT, TASK_TIME_LIMIT)


def test_what_waits_on_a_task_is_sized_from_its_hard_limit() -> None:
    # A live grading must not be sent again (the sweep) or redelivered (the broker).
    assert settings.SUBMISSION_REQUEUE_AFTER > TASK_TIME_LIMIT
    assert settings.CELERY_VISIBILITY_TIMEOUT >= 2 * TASK_TIME_LIMIT
