"""Progress as a learner would notice it: attempts, best scores, mastery, unlocks, streaks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.curriculum.models import Exercise, Module
from apps.progress import selectors, services
from apps.progress.models import ExerciseProgress, ModuleProgress

pytestmark = pytest.mark.django_db


def record(user, exercise, score, *, submission_id, failed=(), at=None):
    return services.exercise_progress_record_attempt(
        user=user,
        exercise=exercise,
        submission_id=submission_id,
        score=score,
        passed=score == 1.0,
        failed_checks=list(failed),
        at=at or timezone.now(),
    )


def test_it_counts_attempts_and_keeps_the_best_score(alice) -> None:
    exercise = Exercise.objects.get(slug="softmax")
    start = timezone.now()
    record(alice, exercise, 0.4, submission_id=1, failed=["stable"], at=start)
    record(
        alice,
        exercise,
        0.2,
        submission_id=2,
        failed=["stable", "shape"],
        at=start + timedelta(minutes=1),
    )
    progress = record(alice, exercise, 1.0, submission_id=3, at=start + timedelta(minutes=5))
    assert progress.attempts == 3
    assert progress.best_score == 1.0
    assert progress.attempts_to_pass == 3
    assert progress.seconds_to_pass == pytest.approx(300)
    from apps.progress.models import CheckFailureCount

    counts = dict(
        CheckFailureCount.objects.filter(user=alice).values_list("check_name", "failures")
    )
    assert counts == {"stable": 2, "shape": 1}


def test_recording_the_same_submission_twice_counts_once(alice) -> None:
    exercise = Exercise.objects.get(slug="softmax")
    record(alice, exercise, 0.5, submission_id=10)
    record(alice, exercise, 0.5, submission_id=10)
    assert ExerciseProgress.objects.get(user=alice, exercise=exercise).attempts == 1


def test_an_older_submission_graded_after_a_newer_one_still_counts(alice) -> None:
    # Submission 10 (correct) is graded after 11 (mostly wrong): a busy or restarted worker
    # finishes them out of order. The pass must not be lost.
    exercise = Exercise.objects.get(slug="softmax")
    start = timezone.now()
    record(alice, exercise, 0.2, submission_id=11, failed=["stable"], at=start)
    progress = record(alice, exercise, 1.0, submission_id=10, at=start + timedelta(seconds=3))
    assert progress.attempts == 2
    assert progress.best_score == 1.0
    assert progress.passed
    assert progress.attempts_to_pass == 2
    assert progress.last_submission_id == 11
    assert ModuleProgress.objects.get(user=alice, module=exercise.module).points_earned > 0


def test_a_redelivered_submission_finishing_out_of_order_counts_once(alice) -> None:
    exercise = Exercise.objects.get(slug="softmax")
    record(alice, exercise, 0.2, submission_id=11, failed=["stable"])
    record(alice, exercise, 1.0, submission_id=10)
    record(alice, exercise, 1.0, submission_id=10)  # the same task delivered again
    record(alice, exercise, 0.2, submission_id=11, failed=["stable"])
    progress = ExerciseProgress.objects.get(user=alice, exercise=exercise)
    assert progress.attempts == 2
    assert progress.best_score == 1.0
    from apps.progress.models import ActivityDay, CheckFailureCount

    assert ActivityDay.objects.get(user=alice).submissions == 2
    assert CheckFailureCount.objects.get(user=alice, check_name="stable").failures == 1


def test_each_counted_submission_reports_its_learning_events_once(alice) -> None:
    # The outbox rows are written in the counting transaction: a redelivered submission,
    # or one finishing after a newer one, must neither repeat nor lose its statements.
    from apps.progress.models import LearningEvent

    exercise = Exercise.objects.get(slug="softmax")
    record(alice, exercise, 0.2, submission_id=11, failed=["stable"])
    record(alice, exercise, 1.0, submission_id=10)
    record(alice, exercise, 1.0, submission_id=10)
    record(alice, exercise, 0.2, submission_id=11, failed=["stable"])
    events = list(LearningEvent.objects.filter(user=alice).values_list("kind", "submission_id"))
    assert sorted(events) == [
        ("attempt_graded", 10),
        ("attempt_graded", 11),
        ("exercise_passed", 10),
    ]


def test_module_mastery_is_the_share_of_points_earned(alice) -> None:
    exercise = Exercise.objects.get(slug="softmax")
    module = exercise.module
    record(alice, exercise, 0.5, submission_id=1)
    earned = ModuleProgress.objects.get(user=alice, module=module).points_earned
    assert earned == pytest.approx(0.5 * exercise.points)
    standing = next(s for s in selectors.course_map_for_user(user=alice) if s.module == module)
    assert standing.mastery == pytest.approx(0.5 * exercise.points / module.total_points, abs=1e-4)


def test_a_module_unlocks_when_its_prerequisites_are_mastered(alice) -> None:
    dependant = Module.objects.filter(prerequisites__isnull=False).distinct().first()
    assert dependant is not None, "the course has modules with prerequisites"
    by_slug = {s.module.slug: s for s in selectors.course_map_for_user(user=alice)}
    assert by_slug[dependant.slug].unlocked is False
    for prerequisite in dependant.prerequisites.all():
        for index, exercise in enumerate(prerequisite.exercises.filter(retired=False)):
            record(alice, exercise, 1.0, submission_id=1000 * prerequisite.pk + index)
    by_slug = {s.module.slug: s for s in selectors.course_map_for_user(user=alice)}
    assert by_slug[dependant.slug].unlocked is True


def test_an_instructor_can_unlock_a_module_for_their_learner_only(
    alice, bob, teacher, make_cohort
) -> None:
    from django.core.exceptions import PermissionDenied

    make_cohort(teacher, [alice])
    locked = Module.objects.filter(prerequisites__isnull=False).distinct().first()
    services.module_unlock(instructor=teacher, learner=alice, module=locked)
    assert next(s for s in selectors.course_map_for_user(user=alice) if s.module == locked).unlocked
    with pytest.raises(PermissionDenied):
        services.module_unlock(instructor=teacher, learner=bob, module=locked)


def test_hints_are_revealed_one_at_a_time_and_stop_at_the_last(alice) -> None:
    exercise = Exercise.objects.get(slug="softmax")
    revealed, hints = services.hint_reveal(user=alice, exercise=exercise)
    assert (revealed, hints) == (1, exercise.hints[:1])
    for _ in range(10):
        revealed, hints = services.hint_reveal(user=alice, exercise=exercise)
    assert revealed == len(exercise.hints)
    assert hints == exercise.hints


def test_the_streak_counts_consecutive_active_days(alice) -> None:
    from apps.progress.models import ActivityDay

    today = timezone.now().date()
    for days_ago in (0, 1, 2, 4):
        ActivityDay.objects.create(user=alice, day=today - timedelta(days=days_ago), submissions=1)
    assert selectors.streak_for_user(user=alice, today=today) == 3
    assert selectors.streak_for_user(user=alice, today=today + timedelta(days=1)) == 3
    assert selectors.streak_for_user(user=alice, today=today + timedelta(days=2)) == 0


def test_joining_by_code_enrols_once_and_rejects_unknown_codes(alice, teacher, make_cohort) -> None:
    from django.core.exceptions import ValidationError

    cohort = make_cohort(teacher, [])
    assert services.cohort_join(user=alice, join_code=f"  {cohort.join_code.lower()} ") == cohort
    services.cohort_join(user=alice, join_code=cohort.join_code)
    assert cohort.enrollments.count() == 1
    with pytest.raises(ValidationError):
        services.cohort_join(user=alice, join_code="NOPE1234")


def test_progress_survives_a_renamed_exercise(alice, tmp_path, settings) -> None:
    import shutil

    from django.core.management import call_command

    exercise = Exercise.objects.get(slug="softmax")
    record(alice, exercise, 1.0, submission_id=1)
    content = tmp_path / "content"
    shutil.copytree(settings.CURRICULUM_DIR, content)
    (content / "probability/exercises/softmax").rename(
        content / "probability/exercises/stable-softmax"
    )
    settings.CURRICULUM_DIR = content
    call_command("sync_curriculum", verbosity=0)
    renamed = Exercise.objects.get(uuid=exercise.uuid)
    assert renamed.slug == "stable-softmax"
    assert renamed.pk == exercise.pk
    assert ExerciseProgress.objects.get(user=alice, exercise=renamed).best_score == 1.0


def test_the_bulk_writer_leaves_the_rows_the_attempt_service_leaves(alice, bob) -> None:
    from apps.progress.models import ActivityDay, CheckFailureCount, CountedSubmission

    exercise = Exercise.objects.get(slug="softmax")
    start = timezone.now()
    runs = [(0.4, ["stable"]), (0.2, ["stable", "shape"]), (1.0, []), (0.5, ["shape"])]
    bobs = 100  # submission ids are unique across learners: bob's are 101, 102 ...
    for n, (score, failed) in enumerate(runs, start=1):
        record(alice, exercise, score, submission_id=n, failed=failed, at=start + timedelta(n))
    services.exercise_progress_bulk_create(
        attempts=[
            services.Attempt(
                user_id=bob.pk,
                exercise_id=exercise.pk,
                submission_id=bobs + n,
                score=score,
                passed=score == 1.0,
                failed_checks=failed,
                at=start + timedelta(n),
            )
            for n, (score, failed) in enumerate(runs, start=1)
        ],
        points={exercise.pk: (exercise.module_id, exercise.points)},
        batch_size=100,
    )

    def rows(user, first_id=0):
        progress = ExerciseProgress.objects.filter(user=user).values(
            "attempts",
            "best_score",
            "first_attempt_at",
            "first_passed_at",
            "attempts_to_pass",
            "seconds_to_pass",
            "last_submission_id",
        )
        for row in progress:
            row["last_submission_id"] -= first_id
        return (
            list(progress),
            sorted(
                CheckFailureCount.objects.filter(user=user).values_list("check_name", "failures")
            ),
            list(
                ModuleProgress.objects.filter(user=user).values_list("module_id", "points_earned")
            ),
            sorted(ActivityDay.objects.filter(user=user).values_list("day", "submissions")),
            sorted(
                n - first_id
                for n in CountedSubmission.objects.filter(user=user).values_list(
                    "submission_id", flat=True
                )
            ),
        )

    assert rows(bob, bobs) == rows(alice)
    assert rows(bob, bobs)[0][0]["attempts_to_pass"] == 3
