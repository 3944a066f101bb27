"""`manage.py generate_load_data`: a synthetic cohort-scale database for the benchmarks.

Defaults: 10,000 learners, 50 cohorts (200 learners and 1 instructor each) and 1,000,000
graded submissions, with the ExerciseProgress, ModuleProgress and ActivityDay rows the
grading task would have written for exactly those submissions, through the progress
services' bulk writer (the same counting rules as a graded attempt). Everything is written
with bulk_create, one cohort at a time, so memory stays bounded.

Every account it creates is named ``load-…`` (cohorts ``Load cohort …``) and has an unusable
password. It refuses to run when such rows exist; ``--reset`` deletes them first.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlmath_bench \\
        python manage.py generate_load_data [--learners N --cohorts N --submissions N] [--reset]

Run ``sync_curriculum`` first: submissions are spread over the live exercises.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from apps.curriculum.models import Exercise
from apps.progress.deadlines import deadlines_epoch_bump
from apps.progress.models import (
    ActivityDay,
    Cohort,
    Enrollment,
    ExerciseProgress,
    LessonProgress,
    ModuleProgress,
    Profile,
    Role,
)
from apps.progress.services import Attempt, exercise_progress_bulk_create
from apps.sandbox.models import Submission, SubmissionStatus

PREFIX = "load-"
COHORT_PREFIX = "Load cohort "
# Rows per INSERT. A submission row here is ~0.5 KiB (code, checks JSON), so 2,000 rows make
# a ~1 MiB statement: large enough that round trips and per-statement overhead vanish
# (1M rows = 500 statements), small enough that Django's per-batch SQL building and the
# RETURNING ids (needed for last_submission_id) stay cheap and memory flat. Larger batches
# measured no faster on PostgreSQL; much smaller ones (100) are several times slower.
SUBMISSION_BATCH = 2_000
# Progress rows are narrow (~10 columns, no code): bigger batches cost nothing.
PROGRESS_BATCH = 5_000

CODE = """\
import numpy as np


def solve(x):
    x = np.asarray(x, dtype=float)
    # attempt {n}
    return x - x.max(axis=-1, keepdims=True)
"""
CHECK_NAMES = ("returns the right shape", "matches the reference", "handles the edge cases")


@contextlib.contextmanager
def explicit_created_at() -> Iterator[None]:
    """Let bulk_create store our back-dated created_at instead of auto_now_add's now()."""
    field = Submission._meta.get_field("created_at")
    saved = field.auto_now_add
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = saved


def split_total(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` split over ``parts`` with a heavy tail (log-normal weights), summing exactly."""
    if parts == 0:
        return []
    weights = [rng.lognormvariate(0.0, 1.0) for _ in range(parts)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for index in rng.sample(range(parts), total - sum(counts)):
        counts[index] += 1
    return counts


class Command(BaseCommand):
    help = "Fill the database with synthetic learners, cohorts and graded submissions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, default=10_000)
        parser.add_argument("--cohorts", type=int, default=50)
        parser.add_argument("--submissions", type=int, default=1_000_000)
        parser.add_argument("--days", type=int, default=90, help="history spread over N days")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--reset", action="store_true", help="delete earlier load data")

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        if options["cohorts"] < 1 or options["learners"] < options["cohorts"]:
            raise CommandError("need at least one cohort and one learner per cohort")
        exercises = list(
            Exercise.objects.filter(retired=False)
            .select_related("module")
            .order_by("module__order", "order")
        )
        if not exercises:
            raise CommandError("no live exercises: run `manage.py sync_curriculum` first")
        existing = user_model.objects.filter(username__startswith=PREFIX)
        if existing.exists():
            if not options["reset"]:
                raise CommandError(
                    f"{existing.count()} load-data accounts exist; pass --reset to replace them"
                )
            self._reset()

        started = time.perf_counter()
        self.rng = random.Random(options["seed"])  # noqa: S311 (synthetic data, not secrets)
        self.exercises = exercises
        self.now = timezone.now()
        self.days = options["days"]
        self.password = make_password(None)  # one unusable hash for all: no hashing per row
        learners, cohorts, total = options["learners"], options["cohorts"], options["submissions"]
        counts = split_total(self.rng, total, learners)

        for c in range(cohorts):
            # Learners [lo, hi) form cohort c: 200 each with the defaults.
            lo, hi = c * learners // cohorts, (c + 1) * learners // cohorts
            with transaction.atomic(), explicit_created_at():
                self._cohort(c, range(lo, hi), counts[lo:hi])
            done = sum(counts[:hi])
            self.stdout.write(
                f"cohort {c + 1}/{cohorts}: {hi} learners, {done} submissions, "
                f"{time.perf_counter() - started:.0f} s"
            )
        with connection.cursor() as cursor:
            for model in (Submission, ExerciseProgress, ModuleProgress, ActivityDay, Enrollment):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
        self.stdout.write(
            f"done: {learners} learners, {cohorts} cohorts, {total} submissions "
            f"in {time.perf_counter() - started:.0f} s"
        )

    def _reset(self) -> None:
        started = time.perf_counter()
        user_model = get_user_model()
        mine = {"user__username__startswith": PREFIX}
        # Fast deletes first (one DELETE each: these models have no dependants), so the
        # user delete's cascade collector finds nothing big left to walk.
        for model in (
            Submission,
            ExerciseProgress,
            ModuleProgress,
            ActivityDay,
            LessonProgress,
            Enrollment,
            Profile,
        ):
            model.objects.filter(**mine).delete()
        Cohort.objects.filter(name__startswith=COHORT_PREFIX).delete()
        user_model.objects.filter(username__startswith=PREFIX).delete()
        self.stdout.write(
            f"reset: earlier load data deleted in {time.perf_counter() - started:.0f} s"
        )

    def _cohort(self, index: int, learner_numbers: range, counts: list[int]) -> None:
        user_model = get_user_model()
        instructor = user_model(username=f"{PREFIX}instructor-{index + 1:03d}")
        learners = [user_model(username=f"{PREFIX}learner-{n + 1:05d}") for n in learner_numbers]
        for user in [instructor, *learners]:
            user.password = self.password
        user_model.objects.bulk_create([instructor, *learners], batch_size=PROGRESS_BATCH)
        Profile.objects.bulk_create(
            [Profile(user=instructor, role=Role.INSTRUCTOR)]
            + [Profile(user=u, role=Role.LEARNER) for u in learners],
            batch_size=PROGRESS_BATCH,
        )
        cohort = Cohort.objects.create(name=f"{COHORT_PREFIX}{index + 1:03d}")
        cohort.instructors.add(instructor)
        Enrollment.objects.bulk_create(
            [Enrollment(cohort=cohort, user=u) for u in learners], batch_size=PROGRESS_BATCH
        )
        deadlines_epoch_bump()  # bulk_create sends no signals

        submissions: list[Submission] = []
        for user, count in zip(learners, counts, strict=True):
            submissions.extend(self._history(user, count))
        Submission.objects.bulk_create(submissions, batch_size=SUBMISSION_BATCH)
        self._progress(submissions)

    def _history(self, user: Any, count: int) -> list[Submission]:
        """One learner's submissions, oldest first, working along the curriculum."""
        rng = self.rng
        if count == 0:
            return []
        # Reach further into the course the more one submits (2-5 attempts per exercise).
        reached = min(len(self.exercises), max(1, int(count / rng.uniform(2.0, 5.0))))
        per_exercise = [1] * min(reached, count)
        for _ in range(count - len(per_exercise)):
            per_exercise[rng.randrange(len(per_exercise))] += 1
        skill = rng.uniform(0.2, 0.8)
        at = self.now - timedelta(days=rng.uniform(1, self.days))
        step = (self.now - at) / (count + 1)
        rows = []
        for exercise, attempts in zip(self.exercises, per_exercise, strict=False):
            for n in range(attempts):
                at += step * rng.uniform(0.5, 1.5)
                at = min(at, self.now)
                rows.append(self._submission(user, exercise, n, skill, at))
        return rows

    def _submission(
        self, user: Any, exercise: Exercise, n: int, skill: float, at: datetime
    ) -> Submission:
        rng = self.rng
        roll = rng.random()
        if roll < 0.05:
            status, passed_checks = SubmissionStatus.ERROR, 0
        elif roll < 0.05 + skill:
            status, passed_checks = SubmissionStatus.PASSED, len(CHECK_NAMES)
        else:
            status, passed_checks = SubmissionStatus.FAILED, rng.randrange(len(CHECK_NAMES))
        checks = [
            {"name": name, "passed": i < passed_checks, "message": "", "points": 1}
            for i, name in enumerate(CHECK_NAMES)
        ]
        duration = rng.uniform(20, 120)
        return Submission(
            user=user,
            exercise=exercise,
            code=CODE.format(n=n + 1),
            status=status,
            score=round(passed_checks / len(CHECK_NAMES), 4),
            checks=checks,
            stdout="",
            stderr="",
            error=(
                {"type": "NameError", "message": "name 'y' is not defined", "line": 5}
                if status == SubmissionStatus.ERROR
                else None
            ),
            duration_ms=duration,
            content_version=exercise.content_version,
            seed=rng.getrandbits(63),
            runs=1,
            created_at=at,
            started_at=at,
            finished_at=at + timedelta(milliseconds=duration),
        )

    def _progress(self, submissions: list[Submission]) -> None:
        """The progress the grading task would have recorded for these submissions."""
        attempts = (
            Attempt(
                user_id=s.user_id,
                exercise_id=s.exercise_id,
                submission_id=s.pk,
                score=s.score,
                passed=s.status == SubmissionStatus.PASSED,
                failed_checks=[check["name"] for check in s.checks if not check["passed"]],
                at=s.finished_at or s.created_at,
            )
            for s in submissions  # oldest first per learner, ids ascending with time
        )
        exercise_progress_bulk_create(
            attempts=attempts,
            points={e.pk: (e.module_id, e.points) for e in self.exercises},
            batch_size=PROGRESS_BATCH,
        )
