"""Writes to progress: attempts, lessons read, hints, cohorts and enrolment, unlocks.

Called by the grading task and the views (never from signals). Each write keeps the
denormalised numbers (best score, module points) current, so reads never recompute from
submissions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from apps.curriculum.models import Exercise, Lesson, Module
from apps.progress.models import (
    ActivityDay,
    CheckFailureCount,
    Cohort,
    CountedSubmission,
    Enrollment,
    ExerciseProgress,
    LearningEventKind,
    LessonProgress,
    ModuleProgress,
    Profile,
    QuestionProgress,
    Role,
    new_join_code,
)
from apps.progress.outbox import learning_event_record
from apps.progress.reviews.services import review_card_schedule_first_pass
from apps.progress.versions import cohorts_epoch_bump, progress_versions_bump


def profile_ensure(*, user: User, role: str = Role.LEARNER) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"role": role})
    return profile


# No savepoint of its own: inside the grading task's transaction (which has one) a failure
# here rolls back with the grade it counts, and a savepoint would cost two round trips.
@transaction.atomic(savepoint=False)
def exercise_progress_record_attempt(
    *,
    user: User,
    exercise: Exercise,
    submission_id: int,
    score: float,
    passed: bool,
    failed_checks: list[str],
    at: datetime,
    checks: list[dict[str, Any]] | None = None,
    duration_ms: float | None = None,
    status: str | None = None,
) -> ExerciseProgress:
    """Count one graded attempt. Locks the learner's progress row for the exercise.

    Each submission counts exactly once, in whatever order submissions finish: an older one
    graded after a newer one still adds its attempt, its score and a first pass. Calling
    this again for a submission already counted (a redelivered or regraded task) changes
    nothing: the ``CountedSubmission`` marker is written in this same transaction, and so
    are its ``attempt_graded`` learning event and, on the first pass, ``exercise_passed``.
    """
    progress, _ = ExerciseProgress.objects.select_for_update().get_or_create(
        user=user, exercise=exercise
    )
    progress.user, progress.exercise = user, exercise  # the rows in hand: no query to load them
    if not _submission_mark_counted(submission_id=submission_id, user=user):
        return progress
    progress.attempts += 1
    progress.last_submission_id = max(progress.last_submission_id or 0, submission_id)
    progress.first_attempt_at = progress.first_attempt_at or at
    progress.last_attempt_at = max(progress.last_attempt_at or at, at)
    _check_failures_count(user=user, exercise=exercise, names=failed_checks)
    learning_event_record(
        kind=LearningEventKind.ATTEMPT_GRADED,
        user=user,
        exercise=exercise,
        submission_id=submission_id,
        at=at,
        data=attempt_graded_data(
            score=score, passed=passed, status=status, duration_ms=duration_ms, checks=checks
        ),
    )
    if passed and progress.first_passed_at is None:
        _first_pass_record(progress, score=score, at=at, submission_id=submission_id)
    improved = score > progress.best_score
    progress.best_score = max(progress.best_score, score)
    progress.save()
    if improved:
        _module_points_refresh(user=user, module_id=exercise.module_id)
    _activity_count(user=user, day=at.date())
    progress_versions_bump(user_id=user.pk)
    return progress


def _first_pass_record(
    progress: ExerciseProgress, *, score: float, at: datetime, submission_id: int
) -> None:
    """The first pass: when, after how many attempts, its event, and the exercise onto the
    learner's review schedule (the caller holds the progress row's lock and saves it)."""
    progress.first_passed_at = at
    progress.attempts_to_pass = progress.attempts
    progress.seconds_to_pass = (at - (progress.first_attempt_at or at)).total_seconds()
    learning_event_record(
        kind=LearningEventKind.EXERCISE_PASSED,
        user=progress.user,
        exercise=progress.exercise,
        submission_id=submission_id,
        at=at,
        data={"score": score, "attempts": progress.attempts},
    )
    review_card_schedule_first_pass(
        user=progress.user,
        exercise=progress.exercise,
        at=at,
        attempts_to_pass=progress.attempts_to_pass,
    )


def _submission_mark_counted(*, submission_id: int, user: User) -> bool:
    """Mark a submission counted; False if it already was (nothing more to count).

    The caller holds the progress row's lock, so two deliveries of one submission can't
    both get True. One round trip: the insert is skipped when the marker exists (PostgreSQL
    and SQLite both read ``ON CONFLICT DO NOTHING``; the row count says which happened).
    """
    meta = CountedSubmission._meta
    table = connection.ops.quote_name(meta.db_table)
    key = connection.ops.quote_name(meta.get_field("submission_id").column)
    user_column = connection.ops.quote_name(meta.get_field("user").column)
    # Identifiers come from the model (quoted), values are parameters.
    sql = (
        f"INSERT INTO {table} ({key}, {user_column}) VALUES (%s, %s) ON CONFLICT ({key}) DO NOTHING"  # noqa: S608
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [submission_id, user.pk])
        return bool(cursor.rowcount == 1)


def attempt_graded_data(
    *,
    score: float,
    passed: bool,
    status: str | None,
    duration_ms: float | None,
    checks: list[dict[str, Any]] | None,
) -> dict[str, Any]:
    """What an ``attempt_graded`` event tells its consumers: the verdict and each check."""
    return {
        "score": score,
        "passed": passed,
        "status": status or ("passed" if passed else "failed"),
        "duration_ms": duration_ms,
        "checks": [
            {"name": c["name"], "passed": bool(c["passed"]), "points": c.get("points", 0)}
            for c in (checks or [])
        ],
    }


def _check_failures_count(*, user: User, exercise: Exercise, names: list[str]) -> None:
    """Add one failure to each named check (the caller holds the progress row's lock)."""
    names = sorted({name[:200] for name in names})
    if not names:
        return
    current = dict(
        CheckFailureCount.objects.filter(
            user=user, exercise=exercise, check_name__in=names
        ).values_list("check_name", "failures")
    )
    CheckFailureCount.objects.bulk_create(
        [
            CheckFailureCount(
                user=user, exercise=exercise, check_name=name, failures=current.get(name, 0) + 1
            )
            for name in names
        ],
        update_conflicts=True,
        unique_fields=["user", "exercise", "check_name"],
        update_fields=["failures"],
    )


def _module_points_refresh(*, user: User, module_id: int) -> None:
    earned = (
        ExerciseProgress.objects.filter(
            user=user, exercise__module_id=module_id, exercise__retired=False
        )
        .annotate(weighted=F("best_score") * F("exercise__points"))
        .aggregate(total=Sum("weighted"))["total"]
        or 0.0
    )
    # Concept checks answered correctly count too (Module.total_points includes them).
    earned += (
        QuestionProgress.objects.filter(
            user=user,
            first_correct_at__isnull=False,
            question__retired=False,
            question__lesson__retired=False,
            question__lesson__module_id=module_id,
        ).aggregate(total=Sum("question__points"))["total"]
        or 0
    )
    points = {"points_earned": float(earned)}
    # The row exists after the first improvement: one UPDATE, no savepoint, no read.
    if not ModuleProgress.objects.filter(user=user, module_id=module_id).update(**points):
        ModuleProgress.objects.update_or_create(user=user, module_id=module_id, defaults=points)


def _activity_count(*, user: User, day: date) -> None:
    # One UPDATE once the day's row exists (every submission but the day's first).
    days = ActivityDay.objects.filter(user=user, day=day)
    if not days.update(submissions=F("submissions") + 1):
        row, created = ActivityDay.objects.get_or_create(
            user=user, day=day, defaults={"submissions": 1}
        )
        if not created:  # another process created it meanwhile
            ActivityDay.objects.filter(pk=row.pk).update(submissions=F("submissions") + 1)


def lesson_mark_read(*, user: User, lesson: Lesson) -> LessonProgress:
    """Mark a lesson read; the first read records a ``lesson_read`` learning event."""
    with transaction.atomic():
        progress, created = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
        if created:
            learning_event_record(
                kind=LearningEventKind.LESSON_READ, user=user, lesson=lesson, at=progress.read_at
            )
            progress_versions_bump(user_id=user.pk)
    return progress


def hint_reveal(*, user: User, exercise: Exercise) -> tuple[int, list[str]]:
    """Reveal the next hint; returns (how many are revealed, the revealed hints)."""
    with transaction.atomic():
        progress, _ = ExerciseProgress.objects.get_or_create(user=user, exercise=exercise)
        progress = ExerciseProgress.objects.select_for_update().get(pk=progress.pk)
        if progress.hints_revealed < len(exercise.hints):
            progress.hints_revealed += 1
            progress.save(update_fields=["hints_revealed", "updated_at"])
            progress_versions_bump(user_id=user.pk)
            learning_event_record(
                kind=LearningEventKind.HINT_SHOWN,
                user=user,
                exercise=exercise,
                at=progress.updated_at,
                data={"hint": progress.hints_revealed, "hints_total": len(exercise.hints)},
            )
    return progress.hints_revealed, list(exercise.hints[: progress.hints_revealed])


COHORT_NAME_MAX = Cohort._meta.get_field("name").max_length or 120


def _cohort_name_clean(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("A cohort needs a name."), code="blank")
    if len(name) > COHORT_NAME_MAX:
        raise ValidationError(
            _("A cohort's name has at most %(max)d characters.") % {"max": COHORT_NAME_MAX},
            code="too_long",
        )
    return name


def _require_teaches(*, cohort: Cohort, instructor: User) -> None:
    if not cohort.instructors.filter(pk=instructor.pk).exists():
        raise PermissionDenied(_("Only this cohort's instructors can change it."))


def cohort_create(*, name: str, instructor: User) -> Cohort:
    """A new cohort taught by ``instructor``, with a fresh join code."""
    name = _cohort_name_clean(name)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                cohort = Cohort.objects.create(name=name)
                cohort.instructors.add(instructor)
                return cohort
        except IntegrityError:  # join code collision: draw again
            continue
    raise RuntimeError("could not draw a unique join code")


def cohort_rename(*, cohort: Cohort, instructor: User, name: str) -> Cohort:
    _require_teaches(cohort=cohort, instructor=instructor)
    cohort.name = _cohort_name_clean(name)
    cohort.save(update_fields=["name"])
    return cohort


def cohort_archive(*, cohort: Cohort, instructor: User) -> Cohort:
    """Close a cohort to new members; its members and their progress stay readable."""
    _require_teaches(cohort=cohort, instructor=instructor)
    if cohort.archived_at is None:
        cohort.archived_at = timezone.now()
        cohort.save(update_fields=["archived_at"])
    return cohort


def cohort_unarchive(*, cohort: Cohort, instructor: User) -> Cohort:
    _require_teaches(cohort=cohort, instructor=instructor)
    if cohort.archived_at is not None:
        cohort.archived_at = None
        cohort.save(update_fields=["archived_at"])
    return cohort


def cohort_join_code_rotate(*, cohort: Cohort, instructor: User) -> Cohort:
    """Give the cohort a new join code; the old one stops working at once.

    Members stay members: a code only admits people, it is not checked again later.
    """
    _require_teaches(cohort=cohort, instructor=instructor)
    for _attempt in range(5):
        code = new_join_code()
        try:
            with transaction.atomic():
                Cohort.objects.filter(pk=cohort.pk).update(join_code=code)
                cohorts_epoch_bump()  # (an update: no model signal)
        except IntegrityError:  # another cohort has it: draw again
            continue
        cohort.join_code = code
        return cohort
    raise RuntimeError("could not draw a unique join code")


def cohort_by_join_code(*, join_code: str) -> Cohort:
    """The open cohort a join code admits to; ValidationError if none."""
    code = join_code.strip().upper()
    cohort = Cohort.objects.filter(join_code=code).first() if code else None
    if cohort is None:
        raise ValidationError(
            _("No cohort has that join code. Check it with your instructor."), code="unknown"
        )
    if cohort.archived_at is not None:
        raise ValidationError(
            _("That cohort is archived and takes no new members. Ask your instructor."),
            code="archived",
        )
    return cohort


def cohort_join(*, user: User, join_code: str) -> Cohort:
    cohort = cohort_by_join_code(join_code=join_code)
    _, joined = Enrollment.objects.get_or_create(cohort=cohort, user=user)
    if joined:
        progress_versions_bump(user_id=user.pk)
    return cohort


def module_unlock(*, instructor: User, learner: User, module: Module) -> ModuleProgress:
    """An instructor opens a module for one of their learners, prerequisites or not."""
    teaches = Enrollment.objects.filter(user=learner, cohort__instructors=instructor).exists()
    if not teaches:
        raise PermissionDenied(gettext("You can only unlock modules for learners in your cohorts."))
    progress, _ = ModuleProgress.objects.get_or_create(user=learner, module=module)
    progress.unlocked_by = instructor
    progress.save(update_fields=["unlocked_by"])
    progress_versions_bump(user_id=learner.pk)
    return progress


@dataclass(frozen=True)
class Attempt:
    """One graded attempt, as progress counts it."""

    user_id: int
    exercise_id: int
    submission_id: int
    score: float
    passed: bool
    failed_checks: Sequence[str]
    at: datetime


def _attempt_counted(progress: ExerciseProgress, attempt: Attempt) -> None:
    """Count an attempt on a progress row, in memory (attempts, first pass, best score)."""
    progress.attempts += 1
    progress.last_submission_id = max(progress.last_submission_id or 0, attempt.submission_id)
    progress.first_attempt_at = progress.first_attempt_at or attempt.at
    progress.last_attempt_at = max(progress.last_attempt_at or attempt.at, attempt.at)
    if attempt.passed and progress.first_passed_at is None:
        progress.first_passed_at = attempt.at
        progress.attempts_to_pass = progress.attempts
        progress.seconds_to_pass = (attempt.at - progress.first_attempt_at).total_seconds()
    progress.best_score = max(progress.best_score, attempt.score)


def exercise_progress_bulk_create(
    *, attempts: Iterable[Attempt], points: dict[int, tuple[int, int]], batch_size: int
) -> None:
    """Write the progress a run of graded attempts leaves, for learners with none yet.

    For generated data (benchmarks): the rows exercise_progress_record_attempt would have
    written for ``attempts`` (oldest first per learner), in a few bulk inserts instead of a
    transaction per attempt, counted-submission markers included (learning events are not
    written: generated attempts are nothing to report). ``points`` maps exercise id ->
    (module id, points).
    """
    cells: dict[tuple[int, int], ExerciseProgress] = {}
    counted: list[CountedSubmission] = []
    days: Counter[tuple[int, date]] = Counter()
    failures: Counter[tuple[int, int, str]] = Counter()
    for attempt in attempts:
        key = (attempt.user_id, attempt.exercise_id)
        if key not in cells:
            cells[key] = ExerciseProgress(user_id=attempt.user_id, exercise_id=attempt.exercise_id)
        _attempt_counted(cells[key], attempt)
        counted.append(
            CountedSubmission(submission_id=attempt.submission_id, user_id=attempt.user_id)
        )
        for name in set(attempt.failed_checks):
            failures[(*key, name[:200])] += 1
        days[(attempt.user_id, attempt.at.date())] += 1
    ExerciseProgress.objects.bulk_create(cells.values(), batch_size=batch_size)
    CountedSubmission.objects.bulk_create(counted, batch_size=batch_size)
    CheckFailureCount.objects.bulk_create(
        [
            CheckFailureCount(user_id=u, exercise_id=e, check_name=name, failures=n)
            for (u, e, name), n in failures.items()
        ],
        batch_size=batch_size,
    )
    earned: defaultdict[tuple[int, int], float] = defaultdict(float)
    for (user_id, exercise_id), row in cells.items():
        if row.best_score > 0:  # the service writes a module row only on an improvement
            module_id, exercise_points = points[exercise_id]
            earned[(user_id, module_id)] += row.best_score * exercise_points
    ModuleProgress.objects.bulk_create(
        [ModuleProgress(user_id=u, module_id=m, points_earned=p) for (u, m), p in earned.items()],
        batch_size=batch_size,
    )
    ActivityDay.objects.bulk_create(
        [ActivityDay(user_id=u, day=d, submissions=n) for (u, d), n in days.items()],
        batch_size=batch_size,
    )
