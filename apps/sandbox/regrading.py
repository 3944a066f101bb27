"""Regrading: submissions graded by an older check version, graded again, then accepted.

A sync that changes an exercise's checks, solution or limits gives it a new check version
(curriculum.loader.grading_hash); each submission stores the version that graded it. A
regrade grades the stale ones again with the same code and seed (the same inputs where the
case generator did not change, so the difference shown is the checks'), storing each new
verdict beside the old one. Nothing changes for a learner until it is accepted: then each
submission takes its new verdict (the old one kept in its SubmissionRegrade row) and the
learner's progress is recounted (apps/progress/regrading). Discarding changes nothing.

Throttled so learners' grading is never delayed by it:
- its tasks go to their own queue (``REGRADE_QUEUE``), so a deployment can give them a
  worker of their own, or let its grading workers take them between learners' tasks;
- one batch of a regrade is in the broker at a time (each batch queues the next), so a
  regrade of thousands of submissions never floods the queue ahead of learners;
- before each submission a batch looks for learners' submissions waiting to be graded, and
  if there are any it stops and queues the rest ``REGRADE_YIELD_SECONDS`` later.
"""

from __future__ import annotations

import enum
import functools
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.curriculum.models import Exercise
from apps.curriculum.selectors import exercise_spec
from apps.progress.models import Cohort, CountedSubmission
from apps.progress.regrading import GradedAttempt, exercise_progress_regraded
from apps.sandbox.backends import grading_backend
from apps.sandbox.grading.engine import grade_code
from apps.sandbox.grading.limits import TASK_SOFT_TIME_LIMIT, TRUSTED_WORK_SECONDS, runner_limits
from apps.sandbox.models import (
    OPEN_REGRADE_STATUSES,
    Regrade,
    RegradeRowState,
    RegradeStatus,
    Submission,
    SubmissionPurpose,
    SubmissionRegrade,
    SubmissionStatus,
)
from apps.sandbox.results import result_columns
from apps.sandbox.runner import SandboxUnavailable

logger = logging.getLogger(__name__)

# Verdicts that came from running the checks (a rejected submission never ran; grader
# failures below were never counted as attempts): only these are regraded and recounted.
GRADED_STATUSES = (
    SubmissionStatus.PASSED,
    SubmissionStatus.FAILED,
    SubmissionStatus.ERROR,
    SubmissionStatus.TIMEOUT,
    SubmissionStatus.MEMORY,
)
GRADER_FAILURES = ("SandboxUnavailable", "GradingFailed", "interrupted")
# A learner's submission queued longer than this is stuck, not waiting: don't yield to it.
WAITING_WINDOW = timedelta(minutes=2)


class RegradeRefused(Exception):
    """A regrade can't be started, accepted or discarded now; the message says why."""


class BatchOutcome(enum.Enum):
    DONE = "done"  # nothing left to grade
    MORE = "more"  # a batch done, more to come
    YIELD = "yield"  # learners are waiting: the rest later


def counted_submissions() -> QuerySet[Submission]:
    """Practice submissions whose verdict came from the checks (what progress counted)."""
    return Submission.objects.filter(
        purpose=SubmissionPurpose.PRACTICE, status__in=GRADED_STATUSES
    ).exclude(status=SubmissionStatus.ERROR, error__type__in=GRADER_FAILURES)


def stale_submissions(
    *, exercise: Exercise | None = None, cohort: Cohort | None = None
) -> QuerySet[Submission]:
    """Counted submissions graded by an older check version than their exercise's."""
    queryset = counted_submissions().filter(
        check_version__lt=F("exercise__check_version"), exercise__retired=False
    )
    if exercise is not None:
        queryset = queryset.filter(exercise=exercise)
    if cohort is not None:
        queryset = queryset.filter(user__enrollments__cohort=cohort)
    return queryset


@dataclass(frozen=True)
class StaleCount:
    exercise: Exercise
    stale: int
    open_regrade: Regrade | None = None


def stale_counts(
    *, cohort: Cohort | None = None, exercise: Exercise | None = None
) -> list[StaleCount]:
    """Per exercise with any: how many submissions an older check version graded."""
    counts = dict(
        stale_submissions(exercise=exercise, cohort=cohort)
        .values("exercise_id")
        .annotate(n=Count("id"))
        .values_list("exercise_id", "n")
    )
    exercises = Exercise.objects.filter(pk__in=counts).select_related("module")
    open_regrades = {
        r.exercise_id: r
        for r in Regrade.objects.filter(
            exercise_id__in=counts, cohort=cohort, status__in=OPEN_REGRADE_STATUSES
        )
    }
    return [
        StaleCount(exercise=e, stale=counts[e.pk], open_regrade=open_regrades.get(e.pk))
        for e in sorted(exercises, key=lambda e: (e.module.order, e.order, e.slug))
    ]


def regrades_for_cohort(*, cohort: Cohort) -> QuerySet[Regrade]:
    return Regrade.objects.filter(cohort=cohort).select_related("exercise", "started_by")


def regrade_rows(*, regrade: Regrade) -> QuerySet[SubmissionRegrade]:
    """The table of changes: each submission's learner, old and new verdict."""
    return (
        regrade.rows.select_related("submission__user")
        .defer(
            "old_result",
            "new_result",
            "submission__code",
            "submission__figures",
            "submission__checks",
            "submission__stdout",
            "submission__stderr",
        )
        .order_by("submission__user__username", "submission__created_at", "submission_id")
    )


def _enqueue(regrade_id: int, *, countdown: float = 0.0) -> None:
    from apps.sandbox.tasks import regrade_batch_task

    try:
        regrade_batch_task.apply_async(
            args=(regrade_id,), countdown=countdown, queue=settings.REGRADE_QUEUE, retry=False
        )
    except Exception as exc:  # the broker is down: `manage.py regrade --resume` sends it again
        logger.warning("regrade %s not queued (%s)", regrade_id, type(exc).__name__)


def regrade_start(
    *, exercise: Exercise, cohort: Cohort | None = None, started_by: User | None = None
) -> Regrade:
    """Regrade a cohort's (or, without one, everyone's) stale submissions of an exercise.

    One open regrade per exercise and cohort: RegradeRefused while one is running or
    waiting for a decision, or when there is nothing to regrade.
    """
    with transaction.atomic():
        Exercise.objects.select_for_update().filter(pk=exercise.pk).first()
        if Regrade.objects.filter(
            exercise=exercise, cohort=cohort, status__in=OPEN_REGRADE_STATUSES
        ).exists():
            raise RegradeRefused(
                _("A regrade of this exercise is still open: accept or discard it first.")
            )
        stale = list(
            stale_submissions(exercise=exercise, cohort=cohort)
            .distinct()
            .values_list("pk", "check_version", "status", "score")
        )
        if not stale:
            raise RegradeRefused(_("No submission of this exercise was graded by older checks."))
        regrade = Regrade.objects.create(
            exercise=exercise,
            cohort=cohort,
            started_by=started_by,
            check_version=exercise.check_version,
            total=len(stale),
        )
        SubmissionRegrade.objects.bulk_create(
            SubmissionRegrade(
                regrade=regrade,
                submission_id=pk,
                old_check_version=version,
                old_status=status,
                old_score=score,
            )
            for pk, version, status, score in stale
        )
        transaction.on_commit(lambda: _enqueue(regrade.pk))
    return regrade


def regrade_enqueue(*, regrade_id: int) -> None:
    """Queue a regrade's next batch after the usual pause (its task was cut short)."""
    _enqueue(regrade_id, countdown=settings.REGRADE_BATCH_PAUSE_SECONDS)


def regrades_resume() -> int:
    """Queue a batch for every running regrade (after a broker outage lost one)."""
    ids = list(Regrade.objects.filter(status=RegradeStatus.RUNNING).values_list("pk", flat=True))
    for regrade_id in ids:
        _enqueue(regrade_id)
    return len(ids)


def learners_waiting() -> bool:
    """Is any learner's submission waiting for a grader right now?"""
    since = timezone.now() - WAITING_WINDOW
    return Submission.objects.filter(status=SubmissionStatus.QUEUED, created_at__gte=since).exists()


def _grade_row(row: SubmissionRegrade, exercise: Exercise) -> None:
    submission = row.submission
    spec = exercise_spec(exercise=exercise)
    try:
        result = grade_code(spec, submission.code, runner=grading_backend(), seed=submission.seed)
    except SandboxUnavailable as exc:
        logger.critical("sandbox unavailable, regrade of submission %s: %s", submission.pk, exc)
        row.state = RegradeRowState.UNGRADABLE
    else:
        columns = result_columns(result)
        row.state = RegradeRowState.GRADED
        row.new_status = columns["status"]
        row.new_score = columns["score"]
        row.new_result = columns
    row.graded_at = timezone.now()
    row.save(update_fields=["state", "new_status", "new_score", "new_result", "graded_at"])
    Regrade.objects.filter(pk=row.regrade_id).update(graded=F("graded") + 1)


def regrade_grade_batch(*, regrade_id: int) -> BatchOutcome:
    """Grade up to REGRADE_BATCH_SIZE pending submissions of a regrade; say what is left.

    Stops early (YIELD) as soon as a learner's submission waits, and (MORE) before a grading
    that might not finish within the task's soft time limit. A regrade whose exercise got
    newer checks meanwhile is discarded: its verdicts would be of neither version.
    """
    started = time.monotonic()
    regrade = Regrade.objects.select_related("exercise__module").filter(pk=regrade_id).first()
    if regrade is None or regrade.status != RegradeStatus.RUNNING:
        return BatchOutcome.DONE
    exercise = regrade.exercise
    if exercise.check_version != regrade.check_version:
        Regrade.objects.filter(pk=regrade.pk).update(
            status=RegradeStatus.DISCARDED, decided_at=timezone.now()
        )
        return BatchOutcome.DONE
    rows = list(
        regrade.rows.filter(state=RegradeRowState.PENDING)
        .select_related("submission")
        .order_by("id")[: settings.REGRADE_BATCH_SIZE]
    )
    # The longest one grading of this exercise may take: its run's wall clock and our work.
    one_grading = runner_limits(exercise_spec(exercise=exercise).limits).wall_seconds
    one_grading += TRUSTED_WORK_SECONDS
    for graded, row in enumerate(rows):
        if learners_waiting():
            return BatchOutcome.YIELD
        if graded and time.monotonic() - started + one_grading > TASK_SOFT_TIME_LIMIT:
            return BatchOutcome.MORE
        _grade_row(row, exercise)
    if regrade.rows.filter(state=RegradeRowState.PENDING).exists():
        return BatchOutcome.MORE
    Regrade.objects.filter(pk=regrade.pk, status=RegradeStatus.RUNNING).update(
        status=RegradeStatus.READY, finished_at=timezone.now()
    )
    return BatchOutcome.DONE


def regrade_continue(*, regrade_id: int, eager: bool) -> None:
    """Run a regrade's next batch, then hand the one after to the queue.

    ``eager`` (no broker: tasks run inline) loops here instead of nesting tasks.
    """
    while True:
        outcome = regrade_grade_batch(regrade_id=regrade_id)
        if outcome is BatchOutcome.DONE:
            return
        if not eager:
            pause = (
                settings.REGRADE_YIELD_SECONDS
                if outcome is BatchOutcome.YIELD
                else settings.REGRADE_BATCH_PAUSE_SECONDS
            )
            _enqueue(regrade_id, countdown=pause)
            return


def _lock_open(regrade: Regrade, *, ready: bool) -> Regrade:
    locked = Regrade.objects.select_for_update().get(pk=regrade.pk)
    if not locked.is_open:
        raise RegradeRefused(
            _("This regrade was %(status)s already.") % {"status": locked.get_status_display()}
        )
    if ready and locked.status != RegradeStatus.READY:
        raise RegradeRefused(_("This regrade is still grading; accept it once it has finished."))
    return locked


def _unchanged_since(submission: Submission, row: SubmissionRegrade) -> bool:
    return (
        submission.check_version == row.old_check_version
        and submission.status == row.old_status
        and submission.score == row.old_score
    )


def _apply_row(row: SubmissionRegrade, regrade: Regrade) -> bool:
    """Give a submission its new verdict, keeping the old one; False if it changed since."""
    submission = Submission.objects.select_for_update().get(pk=row.submission_id)
    if not _unchanged_since(submission, row) or row.new_result is None:
        row.state = RegradeRowState.SUPERSEDED
        row.save(update_fields=["state"])
        return False
    row.old_result = result_columns_of(submission)
    for name, value in row.new_result.items():
        setattr(submission, name, value)
    submission.check_version = regrade.check_version
    submission.save(update_fields=[*row.new_result, "check_version"])
    row.state = RegradeRowState.ACCEPTED
    row.save(update_fields=["state", "old_result"])
    return True


def result_columns_of(submission: Submission) -> dict[str, object]:
    """A stored submission's result columns (the shape result_columns writes)."""
    return {
        "status": submission.status,
        "score": submission.score,
        "checks": submission.checks,
        "figures": submission.figures,
        "stdout": submission.stdout,
        "stderr": submission.stderr,
        "error": submission.error,
        "duration_ms": submission.duration_ms,
    }


def _attempts_of(user_id: int, exercise: Exercise) -> list[GradedAttempt]:
    """The learner's attempts exactly as progress counted them (its CountedSubmission
    markers), each with its verdict as it stands now, oldest first."""
    counted = CountedSubmission.objects.filter(user_id=user_id).values("submission_id")
    rows = (
        counted_submissions()
        .filter(user_id=user_id, exercise=exercise, pk__in=counted)
        .order_by("created_at", "id")
        .only("id", "score", "status", "checks", "finished_at", "created_at")
    )
    return [
        GradedAttempt(
            submission_id=s.pk,
            score=s.score,
            passed=s.status == SubmissionStatus.PASSED,
            failed_checks=[c["name"] for c in s.checks if not c.get("passed")],
            at=s.finished_at or s.created_at,
        )
        for s in rows
    ]


@dataclass(frozen=True)
class RegradeDecision:
    accepted: int
    superseded: int
    learners: int


def regrade_accept(*, regrade: Regrade, by: User | None) -> RegradeDecision:
    """Apply every new verdict and recount the learners' progress, in one transaction.

    A submission changed since it was regraded (another regrade of it accepted) is left as
    it is (superseded). Attempts are not counted again; best score, first pass, failed
    checks, module points and the review schedule follow the new verdicts.
    """
    with transaction.atomic():
        regrade = _lock_open(regrade, ready=True)
        learners: defaultdict[int, int] = defaultdict(int)
        superseded = 0
        rows = regrade.rows.filter(state=RegradeRowState.GRADED).select_related("submission")
        for row in rows.order_by("id"):
            if _apply_row(row, regrade):
                learners[row.submission.user_id] += 1
            else:
                superseded += 1
        users = User.objects.in_bulk(list(learners))
        for user_id in sorted(learners):
            exercise_progress_regraded(
                user=users[user_id],
                exercise=regrade.exercise,
                read_attempts=functools.partial(_attempts_of, user_id, regrade.exercise),
                regrade_id=regrade.pk,
            )
        _decide(regrade, RegradeStatus.ACCEPTED, by)
    return RegradeDecision(
        accepted=sum(learners.values()), superseded=superseded, learners=len(learners)
    )


def regrade_discard(*, regrade: Regrade, by: User | None) -> Regrade:
    """Drop the new verdicts: the submissions and progress stay as they were.

    A running regrade stops (its remaining batches find it discarded).
    """
    with transaction.atomic():
        regrade = _lock_open(regrade, ready=False)
        regrade.rows.filter(state__in=[RegradeRowState.GRADED, RegradeRowState.PENDING]).update(
            state=RegradeRowState.DISCARDED
        )
        _decide(regrade, RegradeStatus.DISCARDED, by)
    return regrade


def _decide(regrade: Regrade, status: str, by: User | None) -> None:
    regrade.status = status
    regrade.decided_by = by
    regrade.decided_at = timezone.now()
    regrade.save(update_fields=["status", "decided_by", "decided_at"])


@dataclass(frozen=True)
class RegradeSummary:
    """How a regrade's verdicts differ from the old ones."""

    graded: int
    changed: int
    higher: int
    lower: int
    newly_passed: int
    no_longer_passed: int


def regrade_summary(*, regrade: Regrade) -> RegradeSummary:
    rows = regrade.rows.exclude(new_score__isnull=True)
    passed = SubmissionStatus.PASSED
    counts = rows.aggregate(
        graded=Count("id"),
        changed=Count("id", filter=~Q(new_status=F("old_status")) | ~Q(new_score=F("old_score"))),
        higher=Count("id", filter=Q(new_score__gt=F("old_score"))),
        lower=Count("id", filter=Q(new_score__lt=F("old_score"))),
        newly_passed=Count("id", filter=Q(new_status=passed) & ~Q(old_status=passed)),
        no_longer_passed=Count("id", filter=Q(old_status=passed) & ~Q(new_status=passed)),
    )
    return RegradeSummary(**counts)
