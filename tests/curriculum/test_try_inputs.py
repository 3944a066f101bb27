"""An exercise's try_input (what "run on my own input" starts with) runs on the reference
solution and returns a value, so the learner's first click shows something."""

from __future__ import annotations

import pytest

from apps.curriculum.loader import load_curriculum
from apps.sandbox.backends import ZygotePoolBackend
from apps.sandbox.grading.limits import runner_limits
from apps.sandbox.grading.scratch import run_input

CURRICULUM = load_curriculum()
WITH_INPUT = sorted(slug for slug, spec in CURRICULUM.exercises_by_slug.items() if spec.try_input)


def test_the_canonical_exercises_have_an_input_to_start_from() -> None:
    assert {"power-iteration", "softmax", "cross-entropy", "entropy", "numerical-gradient",
            "gradient-descent", "conv2d", "value-iteration"} <= set(WITH_INPUT)  # fmt: skip


@pytest.mark.parametrize("slug", WITH_INPUT)
def test_the_try_input_runs_on_the_reference_solution(slug: str) -> None:
    spec = CURRICULUM.exercise(slug)
    result = run_input(
        spec.solution_path.read_text(),
        spec.try_input,
        runner=ZygotePoolBackend(),
        limits=runner_limits(spec.limits),
    )
    assert result.status == "ok", result.error
    assert result.value is not None


@pytest.mark.django_db
def test_the_exercise_page_starts_the_input_with_it(client, alice) -> None:
    client.force_login(alice)
    page = client.get("/exercises/power-iteration/").content.decode()
    assert 'data-initial="A = np.array([[2.0, 1.0], [1.0, 3.0]])' in page
    assert 'data-runs-url="/api/v1/exercises/power-iteration/runs/"' in page
