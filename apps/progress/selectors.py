"""Reads of progress. Every selector issues a fixed number of queries, whatever the sizes."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Q, QuerySet, Sum
from django.utils import timezone

from apps.curriculum.models import Exercise, Lesson, Module
from apps.curriculum.selectors import REVISION_KEY, curriculum_revision, modules_outline
from apps.progress.models import (
    ActivityDay,
    CheckFailureCount,
    Cohort,
    Enrollment,
    ExerciseProgress,
    LessonProgress,
    ModuleProgress,
    QuestionProgress,
    ReviewCard,
    Role,
)
from apps.progress.reviews.selectors import (
    Recall,
    ReviewItem,
    recall_of,
    review_cards,
    review_item_for_user,
    review_item_of_card,
)
from apps.progress.versioned import VersionedEntries, version_read

# A module counts as mastered at this share of its points; its dependants then unlock.
MASTERY_THRESHOLD = 0.7


def user_is_instructor(*, user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    profile = getattr(user, "profile", None)
    return bool(user.is_staff or (profile is not None and profile.role == Role.INSTRUCTOR))


def user_is_instructor_of(*, instructor: User, learner_id: int) -> bool:
    return Enrollment.objects.filter(user_id=learner_id, cohort__instructors=instructor).exists()


def cohort_has_learner(*, cohort: Cohort, user_id: int) -> bool:
    return Enrollment.objects.filter(cohort=cohort, user_id=user_id).exists()


def cohort_version_key(cohort_id: int) -> str:
    return f"cohort-version:{cohort_id}"


def _cohort_dashboard_key(cohort_id: int, version: object, revision: str | None) -> str:
    return f"cohort-dashboard:{cohort_id}:{version}:{revision or ''}"


def cohort_dashboard_cache_key(*, cohort_id: int) -> str:
    """Changes whenever a member's progress, the membership or the course changes."""
    version = version_read(cohort_version_key(cohort_id))
    return _cohort_dashboard_key(cohort_id, version, curriculum_revision())


def cohort_dashboard_cache_keys(*, cohort_id: int, also: str) -> tuple[str, object]:
    """``cohort_dashboard_cache_key`` and the value of one more cache key read with it (a
    panel's version: None if unset), in one round trip to the cache."""
    key = cohort_version_key(cohort_id)
    found = cache.get_many([key, REVISION_KEY, also])
    if found.get(key) is None:  # lost or never set: start one as cohort_dashboard_cache_key does
        return cohort_dashboard_cache_key(cohort_id=cohort_id), found.get(also)
    return _cohort_dashboard_key(cohort_id, found[key], found.get(REVISION_KEY)), found.get(also)


def cohorts_for_instructor(*, instructor: User) -> QuerySet[Cohort]:
    return Cohort.objects.filter(instructors=instructor).order_by("name", "id")


# Moves on whenever any cohort is saved or deleted, its instructors change, or it becomes
# or stops being an LMS course (the receivers in apps/progress/apps.py and apps/lti/apps.py,
# and ``cohort_join_code_rotate``): an instructor's list of cohorts is cached under it.
COHORTS_EPOCH_KEY = "cohorts-epoch"


def cohort_for_instructor(*, instructor: User, cohort_id: int) -> Cohort | None:
    return cohorts_for_instructor(instructor=instructor).filter(pk=cohort_id).first()


def cohorts_with_learner_counts(*, instructor: User) -> QuerySet[Cohort]:
    """The cohorts an instructor teaches, each with ``learner_count`` (archived ones too)."""
    return cohorts_for_instructor(instructor=instructor).annotate(
        learner_count=Count("enrollments")
    )


def cohorts_for_learner(*, user: User) -> QuerySet[Cohort]:
    return Cohort.objects.filter(enrollments__user=user).order_by("name")


@dataclass(frozen=True)
class Membership:
    """A cohort a learner is in, as the learner sees it."""

    cohort: Cohort
    joined_at: datetime
    instructors: list[str]


def memberships_for_learner(*, user: User) -> list[Membership]:
    """The cohorts ``user`` is in, newest first, with who teaches each (two queries)."""
    enrollments = list(
        Enrollment.objects.filter(user=user)
        .select_related("cohort")
        .prefetch_related("cohort__instructors")
        .order_by("-joined_at", "-id")
    )
    return [
        Membership(
            cohort=e.cohort,
            joined_at=e.joined_at,
            instructors=sorted(i.get_username() for i in e.cohort.instructors.all()),
        )
        for e in enrollments
    ]


def last_activity_for_user(*, user: User) -> datetime | None:
    """When ``user`` last attempted an exercise, revealed a hint or read a lesson."""
    return last_activity_by_learner(user_ids=[user.pk]).get(user.pk)


def last_activity_by_learner(
    *, user_ids: list[int] | None = None, cohort: Cohort | None = None
) -> dict[int, datetime]:
    """Each learner's last attempt, hint or lesson read, in two queries (whatever the size).

    ``cohort`` limits it to that cohort's members, ``user_ids`` to those learners.
    """
    exercise_rows = ExerciseProgress.objects.all()
    lesson_rows = LessonProgress.objects.all()
    if cohort is not None:
        exercise_rows = exercise_rows.filter(user__enrollments__cohort=cohort)
        lesson_rows = lesson_rows.filter(user__enrollments__cohort=cohort)
    if user_ids is not None:
        exercise_rows = exercise_rows.filter(user_id__in=user_ids)
        lesson_rows = lesson_rows.filter(user_id__in=user_ids)
    latest: dict[int, datetime] = {}
    for rows, column in ((exercise_rows, "updated_at"), (lesson_rows, "read_at")):
        for user_id, at in (
            rows.order_by().values("user_id").annotate(at=Max(column)).values_list("user_id", "at")
        ):
            if at is not None and (user_id not in latest or at > latest[user_id]):
                latest[user_id] = at
    return latest


@dataclass(frozen=True)
class LessonStanding:
    lesson: Lesson
    read: bool


@dataclass(frozen=True)
class ExerciseStanding:
    exercise: Exercise
    best_score: float = 0.0
    attempts: int = 0
    passed: bool = False
    # Spaced review (apps/progress/reviews), for a passed exercise: FSRS's chance of recall
    # now, what its score still counts for in mastery, when it is due and whether it is.
    retention: float | None = None
    recall_factor: float = 1.0
    next_review: datetime | None = None
    review_due: bool = False

    @property
    def current_score(self) -> float:
        """The best score as mastery counts it now: weighed by recall once a review is due."""
        return self.best_score * self.recall_factor


@dataclass
class ModuleStanding:
    """One module as a learner stands in it (the rows are the shared course outline's).

    ``earned`` is the share of its points earned (best scores; it never falls, and unlocks
    the modules that build on it). ``mastery`` is that share now: each passed exercise's
    score weighed by its recall, so it decays while a review is overdue (reviews/schedule).
    """

    module: Module
    mastery: float
    unlocked: bool
    mastered: bool
    prerequisites: list[Module]
    exercises: list[ExerciseStanding] = field(default_factory=list)
    lessons: list[LessonStanding] = field(default_factory=list)
    earned: float = 0.0

    @property
    def reviews_due(self) -> int:
        return sum(1 for standing in self.exercises if standing.review_due)

    @property
    def needs_review(self) -> bool:
        """Mastery earned but fading: a review is due, or recall pulled it under the bar."""
        return self.reviews_due > 0 or (self.earned >= MASTERY_THRESHOLD and not self.mastered)

    @property
    def exercises_passed(self) -> int:
        return sum(1 for standing in self.exercises if standing.passed)

    @property
    def lessons_read(self) -> int:
        return sum(1 for standing in self.lessons if standing.read)

    @property
    def exercises_attempted(self) -> int:
        return sum(1 for standing in self.exercises if standing.attempts)

    @property
    def points_earned(self) -> float:
        """Best score × points, summed over the module's live exercises."""
        return sum(s.best_score * s.exercise.points for s in self.exercises)

    @property
    def points_total(self) -> int:
        return sum(s.exercise.points for s in self.exercises)


@dataclass(frozen=True)
class LearnerProgress:
    """A learner's whole course: every module's standing and the active-day streak."""

    streak_days: int
    modules: list[ModuleStanding]

    @property
    def exercises_passed(self) -> int:
        return sum(module.exercises_passed for module in self.modules)

    @property
    def exercises_total(self) -> int:
        return sum(len(module.exercises) for module in self.modules)

    @property
    def lessons_read(self) -> int:
        return sum(module.lessons_read for module in self.modules)

    @property
    def reviews_due(self) -> int:
        return sum(module.reviews_due for module in self.modules)


@dataclass(frozen=True)
class _LearnerRows:
    points: dict[int, ModuleProgress]
    exercises: dict[int, ExerciseProgress]
    read: set[int]
    cards: list[ReviewCard]
    questions: dict[int, QuestionProgress]


NO_ROWS = _LearnerRows(points={}, exercises={}, read=set(), cards=[], questions={})
# How long a learner's rows stay cached at most: every write to them bumps the learner's
# version (versions.progress_versions_bump) well before; this only bounds a missed one.
LEARNER_ROWS_SECONDS = 3600


# The rows this process read last, by their versioned key (a learner's are ~2 kB).
_kept_rows = VersionedEntries(size=2048, max_age=LEARNER_ROWS_SECONDS)


def learner_version_key(user_id: int) -> str:
    return f"learner-version:{user_id}"


def _learner_rows_key(user_id: int) -> str:
    # "v2": the rows gained their concept checks; a copy pickled before lacks them.
    return f"learner-rows:v2:{user_id}:{version_read(learner_version_key(user_id))}"


def _learner_rows(user: User | AnonymousUser) -> _LearnerRows:
    """The learner's own progress rows, from the shared cache while their version holds.

    With Redis (``settings.SHARED_CACHE``) the course map reads two cache keys instead of
    four tables; the version changes after every committed write to these rows.
    """
    if not user.is_authenticated:
        return NO_ROWS
    if not settings.SHARED_CACHE:
        return _learner_rows_read(user)
    return _kept_rows.fetch(
        _learner_rows_key(user.pk), lambda: _learner_rows_read(user), LEARNER_ROWS_SECONDS
    )


def _learner_rows_read(user: User) -> _LearnerRows:
    points = {
        p.module_id: p
        for p in ModuleProgress.objects.filter(user=user).only(
            "module_id", "points_earned", "unlocked_by_id"
        )
    }
    exercises = {
        p.exercise_id: p
        for p in ExerciseProgress.objects.filter(user=user).only(
            "exercise_id", "best_score", "attempts", "first_passed_at", "hints_revealed"
        )
    }
    read = set(LessonProgress.objects.filter(user=user).values_list("lesson_id", flat=True))
    questions = {
        p.question_id: p
        for p in QuestionProgress.objects.filter(user=user).only(
            "question_id", "variant", "tries", "attempts", "first_correct_at"
        )
    }
    return _LearnerRows(
        points=points, exercises=exercises, read=read, cards=review_cards(user), questions=questions
    )


def _exercise_standing(
    exercise: Exercise, row: ExerciseProgress | None, recall: Recall | None, now: datetime
) -> ExerciseStanding:
    if row is None:
        return ExerciseStanding(exercise=exercise)
    if recall is None:
        return ExerciseStanding(
            exercise=exercise, best_score=row.best_score, attempts=row.attempts, passed=row.passed
        )
    return ExerciseStanding(
        exercise=exercise,
        best_score=row.best_score,
        attempts=row.attempts,
        passed=row.passed,
        retention=round(recall.retention, 4),
        recall_factor=recall.factor,
        next_review=recall.due,
        review_due=recall.is_due(now),
    )


def _current_mastery(module: Module, earned: float, exercises: list[ExerciseStanding]) -> float:
    """``earned`` less what fading recall takes off each passed exercise's points."""
    if not module.total_points:
        return 0.0
    faded = sum(s.exercise.points * (s.best_score - s.current_score) for s in exercises)
    return max(earned - faded / module.total_points, 0.0)


def _module_unlocked(
    module: Module,
    prerequisites: list[Module],
    points: dict[int, ModuleProgress],
    earned: dict[int, float],
) -> bool:
    """Unlocked by an instructor, or by the mastery earned in each live prerequisite."""
    if module.pk in points and points[module.pk].unlocked_by_id is not None:
        return True
    return all(earned.get(p.pk, 0.0) >= MASTERY_THRESHOLD for p in prerequisites)


def module_unlocked_for_user(*, user: User, module_id: int) -> bool | None:
    """Whether a live module is open to the learner, as ``course_map_for_user`` says (None
    for a module not in the course); the learner's cached rows with a shared cache, else one
    query, for a page that needs no more than that."""
    outline = {m.pk: m for m in modules_outline()}
    module = outline.get(module_id)
    if module is None:
        return None
    prerequisites = list(module.prerequisites.all())
    if settings.SHARED_CACHE:
        points = _learner_rows(user).points
    else:
        points = {
            p.module_id: p
            for p in ModuleProgress.objects.filter(
                user=user, module_id__in=[module_id, *(p.pk for p in prerequisites)]
            ).only("module_id", "points_earned", "unlocked_by_id")
        }
    earned = {
        pk: row.points_earned / outline[pk].total_points
        for pk, row in points.items()
        if pk in outline and outline[pk].total_points
    }
    return _module_unlocked(module, prerequisites, points, earned)


def lesson_read_by_user(*, user: User | AnonymousUser, lesson_id: int) -> bool:
    if not user.is_authenticated:
        return False
    if settings.SHARED_CACHE:  # the course map's cached rows: no query while they hold
        return lesson_id in _learner_rows(user).read
    return LessonProgress.objects.filter(user=user, lesson_id=lesson_id).exists()


def course_map_for_user(*, user: User | AnonymousUser) -> list[ModuleStanding]:
    """Every live module with the learner's mastery, lock state, lessons and exercises.

    A module unlocks on the mastery *earned* in its prerequisites (it never locks again);
    ``mastery`` and ``mastered`` are the current ones, faded by overdue reviews.
    """
    modules = modules_outline()
    rows = _learner_rows(user)
    now = timezone.now()
    recalls = {card.exercise_id: recall_of(card, now) for card in rows.cards}
    points = rows.points
    earned = {
        m.pk: (
            points[m.pk].points_earned / m.total_points
            if m.pk in points and m.total_points
            else 0.0
        )
        for m in modules
    }
    standings = []
    for module in modules:
        # The outline holds live rows only, already in course order.
        prerequisites = list(module.prerequisites.all())
        unlocked = _module_unlocked(module, prerequisites, points, earned)
        exercises = [
            _exercise_standing(
                exercise, rows.exercises.get(exercise.pk), recalls.get(exercise.pk), now
            )
            for exercise in module.exercises.all()
        ]
        mastery = min(_current_mastery(module, earned[module.pk], exercises), 1.0)
        standing = ModuleStanding(
            module=module,
            mastery=round(mastery, 4),
            unlocked=unlocked,
            mastered=mastery >= MASTERY_THRESHOLD,
            prerequisites=prerequisites,
            lessons=[
                LessonStanding(lesson, lesson.pk in rows.read) for lesson in module.lessons.all()
            ],
            exercises=exercises,
            earned=round(min(earned[module.pk], 1.0), 4),
        )
        standings.append(standing)
    return standings


def streak_for_user(*, user: User, today: date | None = None) -> int:
    """Consecutive active days ending today (or yesterday: today may not have started)."""
    today = today or timezone.now().date()
    days = set(
        ActivityDay.objects.filter(user=user, day__gte=today - timedelta(days=366)).values_list(
            "day", flat=True
        )
    )
    cursor = today if today in days else today - timedelta(days=1)
    streak = 0
    while cursor in days:
        streak += 1
        cursor -= timedelta(days=1)
    return streak


def progress_for_user(*, user: User) -> LearnerProgress:
    return LearnerProgress(
        streak_days=streak_for_user(user=user), modules=course_map_for_user(user=user)
    )


def exercise_progress_for_user(*, user: User, exercise: Exercise) -> ExerciseProgress | None:
    """The learner's row for one exercise: attempts, best score, first pass, hints revealed
    (from their cached rows when the cache is shared, else one query)."""
    if settings.SHARED_CACHE:
        return _learner_rows(user).exercises.get(exercise.pk)
    # At most one row (unique per learner and exercise): no ORDER BY, as first() would add.
    return next(iter(ExerciseProgress.objects.filter(user=user, exercise=exercise)[:1]), None)


def question_progress_for_user(
    *, user: User, question_ids: Iterable[int]
) -> dict[int, QuestionProgress]:
    """Question id -> the learner's standing on that concept check, for those they have a
    row for (from their cached rows when the cache is shared, else one query)."""
    if settings.SHARED_CACHE:
        rows = _learner_rows(user).questions
        return {i: rows[i] for i in question_ids if i in rows}
    return {
        row.question_id: row
        for row in QuestionProgress.objects.filter(user=user, question_id__in=list(question_ids))
    }


def first_passes_for_user(*, user: User, exercise_ids: Iterable[int]) -> dict[int, datetime | None]:
    """Exercise id -> when the learner first passed it (None: not yet), for those they have a
    row for (from their cached rows when the cache is shared, else one query)."""
    if settings.SHARED_CACHE:
        rows = _learner_rows(user).exercises
        return {i: rows[i].first_passed_at for i in exercise_ids if i in rows}
    return dict(
        ExerciseProgress.objects.filter(user=user, exercise_id__in=list(exercise_ids)).values_list(
            "exercise_id", "first_passed_at"
        )
    )


def review_item_for_page(*, user: User, exercise: Exercise) -> ReviewItem | None:
    """``review_item_for_user``, the card from the learner's cached rows when the cache is
    shared (a card's last rating is still one query)."""
    if not settings.SHARED_CACHE:
        return review_item_for_user(user=user, exercise=exercise)
    card = next((c for c in _learner_rows(user).cards if c.exercise_id == exercise.pk), None)
    if card is None:
        return None
    return review_item_of_card(user=user, exercise=exercise, card=card)


@dataclass(frozen=True)
class CheckFailures:
    check: str
    failures: int


@dataclass(frozen=True)
class ExerciseStats:
    """How a cohort is doing on one exercise."""

    exercise: str
    title: str
    module: str
    attempted: int
    passed: int
    pass_rate: float | None
    median_attempts_to_pass: float | None
    most_failed_checks: list[CheckFailures]
    # The mean of the best scores of those who attempted it.
    mean_best_score: float | None = None


class ConceptChecks(NamedTuple):
    """One learner's concept checks in one lesson: how many they answered (at least once),
    how many they answered correctly, and how many answers that took."""

    answered: int = 0
    correct: int = 0
    answers: int = 0


NO_CONCEPT_CHECKS = ConceptChecks()


@dataclass(frozen=True)
class CohortLesson:
    """A live lesson with concept checks: how many, and the points they are worth."""

    lesson: Lesson
    questions: int
    points: int


def lessons_with_concept_checks() -> list[CohortLesson]:
    """Every live lesson that has live concept checks, in course order (one query)."""
    live = Q(questions__retired=False)
    lessons = (
        Lesson.objects.filter(retired=False)
        .annotate(live_questions=Count("questions", filter=live))
        .annotate(live_points=Sum("questions__points", filter=live))
        .filter(live_questions__gt=0)
        .select_related("module")
        .only("id", "slug", "title", "module__slug", "module__title", "module__order")
        .order_by("module__order", "order", "slug")
    )
    return [
        CohortLesson(
            lesson=lesson,
            questions=lesson.live_questions,
            points=lesson.live_points or 0,
        )
        for lesson in lessons
    ]


def _concept_checks_by_learner(
    cohort: Cohort | None = None, user: User | None = None
) -> dict[tuple[int, int], ConceptChecks]:
    """(user id, lesson id) -> the learner's concept checks there, for those answered, of a
    cohort's learners or of one learner (one query, aggregated in SQL)."""
    whose = Q(user__enrollments__cohort=cohort) if cohort is not None else Q(user=user)
    rows = (
        QuestionProgress.objects.filter(
            whose,
            attempts__gt=0,
            question__retired=False,
            question__lesson__retired=False,
        )
        .order_by()
        .values("user_id", "question__lesson_id")
        .annotate(
            answered=Count("id"),
            correct=Count("id", filter=Q(first_correct_at__isnull=False)),
            answers=Sum("attempts"),
        )
        .values_list("user_id", "question__lesson_id", "answered", "correct", "answers")
    )
    return {
        (user_id, lesson_id): ConceptChecks(answered, correct, answers)
        for user_id, lesson_id, answered, correct, answers in rows
    }


def concept_checks_for_learner(*, user: User) -> list[tuple[CohortLesson, ConceptChecks]]:
    """Every live lesson with concept checks and the learner's standing there (two queries)."""
    checks = _concept_checks_by_learner(user=user)
    return [
        (row, checks.get((user.pk, row.lesson.pk), NO_CONCEPT_CHECKS))
        for row in lessons_with_concept_checks()
    ]


@dataclass(frozen=True)
class CohortProgress:
    cohort: Cohort
    learners: list[User]
    exercises: list[Exercise]
    # scores[i][j]: learner i's best score on exercise j, None if never attempted
    scores: list[list[float | None]]
    exercise_stats: list[ExerciseStats]
    # Live lessons with concept checks, in course order, and
    # concept_checks[i][j]: learner i's concept checks in lesson j (zeros if none answered).
    lessons: list[CohortLesson] = field(default_factory=list)
    concept_checks: list[list[ConceptChecks]] = field(default_factory=list)


class _Cell(NamedTuple):
    user_id: int
    exercise_id: int
    best_score: float
    attempts: int
    attempts_to_pass: int | None
    has_passed: bool


def _live_exercises() -> list[Exercise]:
    """Every live exercise with its module, in course order (one query)."""
    return list(
        Exercise.objects.filter(retired=False)
        .select_related("module")
        .only("id", "slug", "title", "points", "module__slug", "module__title", "module__order")
        .order_by("module__order", "order")
    )


def last_attempt_by_learner(*, cohort: Cohort) -> dict[int, datetime]:
    """Each member's most recent graded attempt, in one query (members with none are absent)."""
    return {
        user_id: at
        for user_id, at in ExerciseProgress.objects.filter(
            user__enrollments__cohort=cohort, last_attempt_at__isnull=False
        )
        .order_by()
        .values("user_id")
        .annotate(at=Max("last_attempt_at"))
        .values_list("user_id", "at")
    }


def cohort_progress(*, cohort: Cohort) -> CohortProgress:
    """The learner × exercise matrix, per-exercise statistics and the learner × lesson
    concept checks, in six queries.

    Check failures come pre-aggregated (CheckFailureCount), summed per cohort in SQL.
    """
    user_model = get_user_model()
    learners = list(
        user_model.objects.filter(enrollments__cohort=cohort)
        .order_by("username")
        .only("id", "username")
    )
    exercises = _live_exercises()
    # Plain tuples, not model instances: a 200-learner cohort has thousands of cells and
    # building an object per cell was most of the dashboard's time.
    rows = (
        # A row with no attempt is a learner who only revealed a hint: not attempted.
        ExerciseProgress.objects.filter(
            user__enrollments__cohort=cohort, exercise__retired=False, attempts__gt=0
        )
        # A boolean, not the timestamp: parsing thousands of datetimes cost more than the query.
        .annotate(
            has_passed=ExpressionWrapper(
                Q(first_passed_at__isnull=False), output_field=BooleanField()
            )
        )
        .values_list(*_Cell._fields)
    )
    row_of = {u.pk: i for i, u in enumerate(learners)}
    column_of = {e.pk: j for j, e in enumerate(exercises)}
    scores: list[list[float | None]] = [[None] * len(exercises) for _ in learners]
    cells_of: defaultdict[int, list[_Cell]] = defaultdict(list)
    for row in rows:
        cell = _Cell._make(row)
        scores[row_of[cell.user_id]][column_of[cell.exercise_id]] = cell.best_score
        cells_of[cell.exercise_id].append(cell)
    failures_by_exercise: defaultdict[int, Counter[str]] = defaultdict(Counter)
    for exercise_id, name, total in (
        CheckFailureCount.objects.filter(user__enrollments__cohort=cohort)
        .values("exercise_id", "check_name")
        .annotate(total=Sum("failures"))
        .values_list("exercise_id", "check_name", "total")
    ):
        failures_by_exercise[exercise_id][name] = total
    stats = [
        _exercise_stats(exercise, cells_of[exercise.pk], failures_by_exercise[exercise.pk])
        for exercise in exercises
    ]
    lessons, concept_checks = _concept_check_matrix(cohort, learners)
    return CohortProgress(
        cohort=cohort,
        learners=learners,
        exercises=exercises,
        scores=scores,
        exercise_stats=stats,
        lessons=lessons,
        concept_checks=concept_checks,
    )


def _concept_check_matrix(
    cohort: Cohort, learners: list[User]
) -> tuple[list[CohortLesson], list[list[ConceptChecks]]]:
    """The lessons with concept checks, and [i][j]: learner i's checks in lesson j."""
    lessons = lessons_with_concept_checks()
    checks = _concept_checks_by_learner(cohort)
    return lessons, [
        [checks.get((u.pk, row.lesson.pk), NO_CONCEPT_CHECKS) for row in lessons] for u in learners
    ]


def _exercise_stats(
    exercise: Exercise, cells: list[_Cell], failures: Counter[str]
) -> ExerciseStats:
    passed = [c for c in cells if c.has_passed]
    attempts_to_pass = [c.attempts_to_pass for c in passed if c.attempts_to_pass]
    return ExerciseStats(
        exercise=exercise.slug,
        title=exercise.title,
        module=exercise.module.slug,
        attempted=len(cells),
        passed=len(passed),
        pass_rate=round(len(passed) / len(cells), 4) if cells else None,
        median_attempts_to_pass=statistics.median(attempts_to_pass) if attempts_to_pass else None,
        most_failed_checks=[
            CheckFailures(check=name, failures=count) for name, count in failures.most_common(3)
        ],
        mean_best_score=(
            round(statistics.fmean(c.best_score for c in cells), 4) if cells else None
        ),
    )


class ExerciseCell(NamedTuple):
    """One learner's standing on one exercise, as the long-format export lists it."""

    user_id: int
    exercise_id: int
    attempts: int
    best_score: float
    hints_revealed: int
    attempts_to_pass: int | None
    first_attempt_at: datetime | None
    first_passed_at: datetime | None
    last_attempt_at: datetime | None


@dataclass(frozen=True)
class CohortCells:
    """Every learner of a cohort against every live exercise, in course order.

    ``cells`` holds the learners' progress rows by (user id, exercise id); a pair with no row
    was never opened (no attempt, no hint).
    """

    cohort: Cohort
    learners: list[User]
    exercises: list[Exercise]
    cells: dict[tuple[int, int], ExerciseCell]
    # Live lessons with concept checks, and (user id, lesson id) -> the learner's answers
    # there (absent: none answered).
    lessons: list[CohortLesson] = field(default_factory=list)
    concept_checks: dict[tuple[int, int], ConceptChecks] = field(default_factory=dict)


def cohort_cells(*, cohort: Cohort) -> CohortCells:
    """The cohort's learner × exercise progress rows and learner × lesson concept checks, in
    five queries whatever the sizes."""
    learners = list(
        get_user_model()
        .objects.filter(enrollments__cohort=cohort)
        .order_by("username")
        .only("id", "username")
    )
    exercises = _live_exercises()
    rows = ExerciseProgress.objects.filter(
        user__enrollments__cohort=cohort, exercise__retired=False
    ).values_list(*ExerciseCell._fields)
    cells = {}
    for row in rows:
        cell = ExerciseCell._make(row)
        cells[(cell.user_id, cell.exercise_id)] = cell
    return CohortCells(
        cohort=cohort,
        learners=learners,
        exercises=exercises,
        cells=cells,
        lessons=lessons_with_concept_checks(),
        concept_checks=_concept_checks_by_learner(cohort),
    )
