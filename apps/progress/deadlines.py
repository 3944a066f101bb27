"""Deadlines: an instructor's due date per module or exercise for a cohort, and the marks.

An exercise's own deadline wins over its module's. An exercise is *on time* if it was first
passed by its deadline (plus ``DEADLINE_GRACE_SECONDS``: the pass's time is when it was
graded, which can trail the submission while it waits for a grader), *late* if passed
after, *missing* if not passed once the deadline is over, and *open* until then. A learner
in two cohorts sees the earlier deadline of the two.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.curriculum.models import Exercise, Module
from apps.curriculum.selectors import modules_outline
from apps.progress.models import Cohort, Deadline, ExerciseProgress
from apps.progress.selectors import first_passes_for_user
from apps.progress.versioned import VersionedEntries, on_commit_once, version_bump, version_read

# The course map's "due soon": deadlines this close, and those missed, of exercises not passed.
DUE_SOON = timedelta(days=7)


class DeadlineMark(enum.StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    OPEN = "open"

    @property
    def label(self) -> str:
        return str(MARK_LABELS[self])


# The marks' values, for choices and the API schema.
DEADLINE_MARKS = [mark.value for mark in DeadlineMark]

MARK_LABELS = {
    DeadlineMark.ON_TIME: gettext_lazy("On time"),
    DeadlineMark.LATE: gettext_lazy("Late"),
    DeadlineMark.MISSING: gettext_lazy("Missing"),
    DeadlineMark.OPEN: gettext_lazy("Open"),
}


def grace() -> timedelta:
    return timedelta(seconds=settings.DEADLINE_GRACE_SECONDS)


def deadline_mark(
    *, due_at: datetime, first_passed_at: datetime | None, now: datetime
) -> DeadlineMark:
    if first_passed_at is not None:
        return DeadlineMark.ON_TIME if first_passed_at <= due_at + grace() else DeadlineMark.LATE
    return DeadlineMark.MISSING if now > due_at else DeadlineMark.OPEN


# --- services ---------------------------------------------------------------------------------


def deadlines_version_key(cohort_id: int) -> str:
    return f"cohort-deadlines-version:{cohort_id}"


# Moves on whenever any deadline, any enrollment or any cohort is saved or deleted (the
# receivers in apps/progress/versions.py): learners' deadline rows are cached under it.
# Such changes are instructors' and joins' (rare beside page views); each makes every
# learner read their deadlines from the database once more.
DEADLINES_EPOCH_KEY = "deadlines-epoch"
LEARNER_DEADLINES_SECONDS = 3600
# This process's copies, by their epoch-named key (a learner's are a few hundred bytes).
_kept_deadlines = VersionedEntries(size=2048, max_age=LEARNER_DEADLINES_SECONDS)


def deadlines_epoch_bump() -> None:
    """Every learner's cached deadline rows are out of date, once the change commits (at
    once outside a transaction)."""
    if settings.SHARED_CACHE:
        on_commit_once(DEADLINES_EPOCH_KEY, lambda: version_bump(DEADLINES_EPOCH_KEY))


def _require_teaches(cohort: Cohort, instructor: User) -> None:
    if not cohort.instructors.filter(pk=instructor.pk).exists():
        raise PermissionDenied(_("Only this cohort's instructors set its deadlines."))


def deadline_set(
    *,
    cohort: Cohort,
    instructor: User,
    due_at: datetime,
    module: Module | None = None,
    exercise: Exercise | None = None,
) -> Deadline:
    """Set (or move) the deadline of a module or of one exercise for a cohort."""
    _require_teaches(cohort, instructor)
    if (module is None) == (exercise is None):
        raise ValidationError(_("A deadline is for a module or for an exercise."), code="target")
    if timezone.is_naive(due_at):
        raise ValidationError(_("A deadline needs a time zone."), code="naive")
    # The cached marks (the cohort's dashboard panel, its learners' pages) move on by the
    # model's receiver, ``versions.forget_deadline``, as for a deadline changed anywhere.
    deadline, _created = Deadline.objects.update_or_create(
        cohort=cohort,
        module=module,
        exercise=exercise,
        defaults={"due_at": due_at, "set_by": instructor},
    )
    return deadline


def deadline_remove(*, deadline: Deadline, instructor: User) -> None:
    _require_teaches(deadline.cohort, instructor)
    deadline.delete()


# --- selectors --------------------------------------------------------------------------------


def cohort_for_member(*, user: User, cohort_id: int) -> Cohort | None:
    """The cohort if ``user`` teaches it or learns in it; None otherwise."""
    return (
        Cohort.objects.filter(pk=cohort_id)
        .filter(Q(instructors=user) | Q(enrollments__user=user))
        .distinct()
        .first()
    )


def deadlines_for_cohort(*, cohort: Cohort) -> QuerySet[Deadline]:
    return (
        Deadline.objects.filter(cohort=cohort)
        .filter(Q(module__retired=False) | Q(exercise__retired=False))
        .select_related("module", "exercise__module")
        .order_by("due_at", "id")
    )


def _effective(deadlines: Iterable[Deadline]) -> dict[int, Deadline]:
    """Exercise id -> the deadline that applies to it (its own, else its module's)."""
    by_module: dict[int, Deadline] = {}
    by_exercise: dict[int, Deadline] = {}
    for deadline in deadlines:
        if deadline.exercise_id is not None:
            by_exercise[deadline.exercise_id] = deadline
        elif deadline.module_id is not None:
            by_module[deadline.module_id] = deadline
    effective: dict[int, Deadline] = {}
    if not by_module and not by_exercise:
        return effective
    for module in modules_outline():
        for exercise in module.exercises.all():
            applies = by_exercise.get(exercise.pk) or by_module.get(module.pk)
            if applies is not None:
                effective[exercise.pk] = applies
    return effective


def exercise_deadlines_for_cohort(*, cohort: Cohort) -> dict[int, Deadline]:
    return _effective(deadlines_for_cohort(cohort=cohort))


@dataclass(frozen=True)
class LearnerDeadline:
    """When a learner is to have passed an exercise, and how they stand."""

    exercise: Exercise
    due_at: datetime
    cohort: Cohort
    mark: DeadlineMark
    first_passed_at: datetime | None

    def due_soon(self, now: datetime) -> bool:
        return self.mark is DeadlineMark.OPEN and self.due_at - now <= DUE_SOON


def _learner_deadline_rows(user: User) -> list[Deadline]:
    """The deadlines of every cohort the learner is in, with their cohort: from the shared
    cache while the deadlines epoch holds (read before the rows, so a change committed
    after the read moves it on), else one query."""
    if not settings.SHARED_CACHE:
        return _learner_deadline_rows_read(user)
    return _kept_deadlines.fetch(
        f"learner-deadlines:{user.pk}:{version_read(DEADLINES_EPOCH_KEY)}",
        lambda: _learner_deadline_rows_read(user),
        LEARNER_DEADLINES_SECONDS,
    )


def _learner_deadline_rows_read(user: User) -> list[Deadline]:
    return list(Deadline.objects.filter(cohort__enrollments__user=user).select_related("cohort"))


def deadlines_for_learner(*, user: User, now: datetime | None = None) -> dict[int, LearnerDeadline]:
    """Exercise id -> the earliest deadline any of the learner's cohorts set for it."""
    if not user.is_authenticated:
        return {}
    now = now or timezone.now()
    deadlines = _learner_deadline_rows(user)
    if not deadlines:
        return {}
    earliest: dict[int, Deadline] = {}
    for cohort_id in sorted({d.cohort_id for d in deadlines}):
        for exercise_id, deadline in _effective(
            d for d in deadlines if d.cohort_id == cohort_id
        ).items():
            if exercise_id not in earliest or deadline.due_at < earliest[exercise_id].due_at:
                earliest[exercise_id] = deadline
    passed = first_passes_for_user(user=user, exercise_ids=earliest)
    exercises = {e.pk: e for m in modules_outline() for e in m.exercises.all()}
    return {
        exercise_id: LearnerDeadline(
            exercise=exercises[exercise_id],
            due_at=deadline.due_at,
            cohort=deadline.cohort,
            mark=deadline_mark(
                due_at=deadline.due_at, first_passed_at=passed.get(exercise_id), now=now
            ),
            first_passed_at=passed.get(exercise_id),
        )
        for exercise_id, deadline in earliest.items()
    }


def due_soon_for_learner(*, user: User, now: datetime | None = None) -> list[LearnerDeadline]:
    """Missed deadlines and those within DUE_SOON, of exercises not passed, soonest first."""
    now = now or timezone.now()
    items = deadlines_for_learner(user=user, now=now).values()
    return sorted(
        (d for d in items if d.mark is DeadlineMark.MISSING or d.due_soon(now)),
        key=lambda d: (d.due_at, d.exercise.slug),
    )


@dataclass(frozen=True)
class LearnerMarks:
    learner: User
    marks: list[DeadlineMark | None]  # one per column; None where the exercise has none

    def count(self, mark: DeadlineMark) -> int:
        return sum(1 for m in self.marks if m is mark)

    @property
    def on_time(self) -> int:
        return self.count(DeadlineMark.ON_TIME)

    @property
    def late(self) -> int:
        return self.count(DeadlineMark.LATE)

    @property
    def missing(self) -> int:
        return self.count(DeadlineMark.MISSING)


@dataclass(frozen=True)
class DeadlineReport:
    """A cohort's learners against the exercises that have a deadline, marked."""

    cohort: Cohort
    exercises: list[Exercise]
    due: list[datetime]
    rows: list[LearnerMarks]


def cohort_deadline_report(*, cohort: Cohort, now: datetime | None = None) -> DeadlineReport:
    """On time / late / missing / open for each learner × exercise with a deadline.

    Three queries whatever the sizes: deadlines, learners, their first passes.
    """
    now = now or timezone.now()
    effective = exercise_deadlines_for_cohort(cohort=cohort)
    if not effective:
        return DeadlineReport(cohort=cohort, exercises=[], due=[], rows=[])
    exercises = [e for m in modules_outline() for e in m.exercises.all() if e.pk in effective]
    learners = list(
        get_user_model()
        .objects.filter(enrollments__cohort=cohort)
        .order_by("username")
        .only("id", "username")
    )
    passed = {
        (user_id, exercise_id): at
        for user_id, exercise_id, at in ExerciseProgress.objects.filter(
            user__enrollments__cohort=cohort, exercise_id__in=effective
        ).values_list("user_id", "exercise_id", "first_passed_at")
    }
    rows = [
        LearnerMarks(
            learner=learner,
            marks=[
                deadline_mark(
                    due_at=effective[e.pk].due_at,
                    first_passed_at=passed.get((learner.pk, e.pk)),
                    now=now,
                )
                for e in exercises
            ],
        )
        for learner in learners
    ]
    return DeadlineReport(
        cohort=cohort,
        exercises=exercises,
        due=[effective[e.pk].due_at for e in exercises],
        rows=rows,
    )
