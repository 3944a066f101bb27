"""No verdict depends on luck, and the checks notice small changes: the course graded in bulk
through one warm sandbox pool of two slots (`make sweeps`; see apps/sandbox/grading/sweeps.py).

- every reference passes 200 gradings in a row, under 200 seeds;
- every mistake file fails under 20 seeds with the same verdict each time and, when its header
  names one, its declared diagnosis first (a red team file, headed only `# mistake:`, of an
  exercise not yet converted is printed as pending instead);
- every converted exercise (feedback: v2) kills at least DLMATH_MUTANT_THRESHOLD percent (95 by
  default) of the non-equivalent mutants of its reference; the course-wide rate is printed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from apps.curriculum.loader import load_curriculum
from apps.sandbox.grading.sweeps import MutantReport, SweepReport, mutant_reports, sweep
from apps.sandbox.runner import ZygotePool

pytestmark = [
    pytest.mark.sweep,
    # Minutes of grading: `make sweeps` runs them (CI does, after `make test`).
    pytest.mark.skipif(not os.environ.get("DLMATH_SWEEPS"), reason="run by `make sweeps`"),
]

CURRICULUM = load_curriculum()
EXERCISES = sorted(CURRICULUM.exercises_by_slug)
CONVERTED = [slug for slug in EXERCISES if CURRICULUM.exercise(slug).feedback == "v2"]
THRESHOLD = float(os.environ.get("DLMATH_MUTANT_THRESHOLD", "95"))
SLOTS = 2


@pytest.fixture(scope="module")
def pool() -> Iterator[ZygotePool]:
    pool = ZygotePool(SLOTS)
    try:
        pool.self_test()
        yield pool
    finally:
        pool.close()


@pytest.fixture(scope="module")
def luck(pool: ZygotePool) -> SweepReport:
    started = time.perf_counter()
    report = sweep(
        [CURRICULUM.exercise(slug) for slug in EXERCISES],
        runner=pool,
        workers=SLOTS,
        converted=frozenset(CONVERTED),
    )
    seconds = time.perf_counter() - started
    print(f"\nsweep: {report.gradings} gradings in {seconds:.0f} s")
    for slug, problems in sorted(report.pending.items()):
        for problem in problems:
            print(f"  pending conversion: {slug}: {problem}")
    return report


@pytest.fixture(scope="module")
def mutants(pool: ZygotePool) -> dict[str, MutantReport]:
    started = time.perf_counter()
    exercises = [CURRICULUM.exercise(slug) for slug in EXERCISES]
    float64 = frozenset(e.slug for e in exercises if e.precision == "float64")
    reports = mutant_reports(exercises, runner=pool, float64_only=float64, workers=SLOTS)
    seconds = time.perf_counter() - started
    killed = sum(len(r.killed) for r in reports)
    counted = sum(r.counted for r in reports)
    print(
        f"\nmutants: {sum(r.total for r in reports)} of {len(reports)} references, "
        f"{killed} killed of {counted} non-equivalent: course-wide kill rate "
        f"{100 * killed / max(counted, 1):.1f}% ({seconds:.0f} s)"
    )
    return {report.slug: report for report in reports}


@pytest.mark.parametrize("slug", EXERCISES)
def test_the_reference_and_every_mistake_file_say_the_same_under_every_seed(
    luck: SweepReport, slug: str
) -> None:
    assert luck.problems.get(slug, []) == []


@pytest.mark.parametrize("slug", CONVERTED)
def test_a_converted_exercise_kills_its_mutants_or_says_why_they_are_equivalent(
    mutants: dict[str, MutantReport], slug: str
) -> None:
    report = mutants[slug]
    assert report.stale == [], "equivalent_mutants.yaml lists mutants that no longer exist"
    assert report.policy_killed == [], "a correct float32 result must pass (or ask for float64)"
    assert 100 * report.kill_rate >= THRESHOLD, {
        "survived": report.survived,
        "flaky": report.flaky,
    }
