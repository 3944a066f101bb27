"""The course on disk, proved gradeable through the real sandbox, exercise by exercise."""

from __future__ import annotations

import ast
import json
from functools import cache

import plotly.graph_objects as go
import pytest

from apps.curriculum.loader import load_curriculum
from apps.sandbox.backends import ZygotePoolBackend
from apps.sandbox.grading.engine import exercise_checks, grade_code
from apps.sandbox.grading.figures import MAX_FIGURE_BYTES
from apps.sandbox.grading.sweeps import NO_DIAGNOSIS, mistake_files, read_mistake_file

CURRICULUM = load_curriculum()
EXERCISES = sorted(CURRICULUM.exercises_by_slug)
MODULE_SLUGS = [
    "linear-algebra",
    "probability",
    "calculus",
    "optimization",
    "dnn",
    "cnn",
    "rnn",
    "deep-rl",
    "generative",
    "information-bottleneck",
]
CANONICAL = {
    "power-iteration": ("linear-algebra", "power_iteration(A, num_iters=100)"),
    "softmax": ("probability", "softmax(z)"),
    "cross-entropy": ("probability", "cross_entropy(logits, labels)"),
    "entropy": ("probability", "entropy(p)"),
    "numerical-gradient": ("calculus", "numerical_gradient(f, x, eps=1e-5)"),
    "gradient-descent": ("optimization", "gradient_descent(grad, x0, lr, steps)"),
    "conv2d": ("cnn", "conv2d(image, kernel)"),
    "value-iteration": ("deep-rl", "value_iteration(P, R, gamma, tol=1e-8)"),
}
MISTAKES = [
    (slug, path)
    for slug in EXERCISES
    for path in sorted((CURRICULUM.exercise(slug).directory / "mistakes").glob("*.py"))
]
RUNNER = ZygotePoolBackend()


@cache
def graded(slug: str, which: str, seed: int) -> dict:
    exercise = CURRICULUM.exercise(slug)
    code = exercise.starter if which == "starter" else exercise.solution_path.read_text()
    return grade_code(exercise, code, runner=RUNNER, seed=seed).as_json()


def test_the_course_has_ten_modules_in_order_foundations_first() -> None:
    assert [m.slug for m in CURRICULUM.modules] == MODULE_SLUGS
    kinds = [m.kind for m in CURRICULUM.modules]
    assert kinds == ["foundation"] * 4 + ["stage"] * 6


@pytest.mark.parametrize("module", CURRICULUM.modules, ids=lambda m: m.slug)
def test_every_module_has_an_overview_lessons_exercises_and_reading(module) -> None:
    assert len(module.overview.split()) >= 40, "a one-paragraph overview"
    assert len(module.lessons) >= 2
    assert len(module.exercises) >= 4
    assert module.further_reading


def test_the_course_has_at_least_forty_exercises_with_unique_slugs() -> None:
    assert len(EXERCISES) >= 40


@pytest.mark.parametrize("slug", sorted(CANONICAL))
def test_the_canonical_exercises_keep_their_module_and_signature(slug) -> None:
    module, signature = CANONICAL[slug]
    exercise = CURRICULUM.exercise(slug)
    assert exercise.module_slug == module
    assert exercise.functions[0].signature.replace(" ", "") == signature.replace(" ", "")


@pytest.mark.parametrize("slug", EXERCISES)
def test_the_reference_solution_passes_every_check(slug) -> None:
    for seed in (11, 12):
        result = graded(slug, "solution", seed)
        failed = [f"{c['name']}: {c['message']}" for c in result["checks"] if not c["passed"]]
        assert result["status"] == "passed", (result["status"], result["error"], failed)
        assert result["score"] == 1.0


@pytest.mark.parametrize("slug", EXERCISES)
def test_the_starter_code_fails(slug) -> None:
    result = graded(slug, "starter", 11)
    assert result["status"] != "passed"
    assert result["score"] < 1.0


@pytest.mark.parametrize("slug", EXERCISES)
def test_every_exercise_draws_a_figure_under_the_size_cap(slug) -> None:
    figures = graded(slug, "solution", 11)["figures"]
    assert figures, "at least one figure from the learner's result"
    for figure in figures:
        assert figure["data"], "a figure with traces"
        assert len(json.dumps(figure)) <= MAX_FIGURE_BYTES


@pytest.mark.parametrize("slug", EXERCISES)
def test_every_figure_an_exercise_draws_is_valid_in_plotlys_schema(slug) -> None:
    for which in ("solution", "starter"):
        for figure in graded(slug, which, 11)["figures"]:
            go.Figure(figure)  # validates every trace and layout property


@pytest.mark.parametrize("slug", EXERCISES)
def test_every_exercise_has_hints_and_a_mistake_to_learn_from(slug) -> None:
    exercise = CURRICULUM.exercise(slug)
    assert len(exercise.hints) >= 2
    assert list((exercise.directory / "mistakes").glob("*.py")), (
        "at least one plausible wrong answer"
    )


def test_every_exercise_leads_with_diagnoses_feedback_v2() -> None:
    """Issue 15: every exercise declares its mistakes and names one in each mistake file."""
    assert [s for s in EXERCISES if CURRICULUM.exercise(s).feedback != "v2"] == []
    assert [
        f"{slug}/{path.stem}" for slug, path in MISTAKES if not read_mistake_file(path).diagnosis
    ] == []


@pytest.mark.parametrize(("slug", "path"), MISTAKES, ids=[f"{s}/{p.stem}" for s, p in MISTAKES])
def test_a_plausible_mistake_fails_as_its_header_declares(slug, path) -> None:
    mistake = read_mistake_file(path)
    assert mistake.diagnosis or mistake.expect or mistake.description, (
        f"{path} must start with '# diagnosis: <mistake id>' (or the legacy '# expect: <text>', "
        "or the red team's '# mistake: <sentence>')"
    )
    exercise = CURRICULUM.exercise(slug)
    result = grade_code(exercise, path.read_text(), runner=RUNNER, seed=5)
    assert result.status != "passed"
    found = result.diagnosis.id if result.diagnosis else NO_DIAGNOSIS
    if mistake.diagnosis:
        assert found == mistake.diagnosis, [c.message for c in result.checks if not c.passed]
    if mistake.expect:
        messages = [c.message for c in result.checks if not c.passed]
        if result.error:
            messages.append(result.error.message)
        assert any(mistake.expect in message for message in messages), messages


CONVERTED = [slug for slug in EXERCISES if CURRICULUM.exercise(slug).feedback == "v2"]


@pytest.mark.parametrize("slug", CONVERTED)
def test_a_converted_exercise_declares_mistakes_every_file_names_and_three_or_more(slug) -> None:
    exercise = CURRICULUM.exercise(slug)
    declared = {mistake.id for mistake in exercise_checks(exercise).mistakes}
    files = mistake_files(exercise.directory)
    assert len(declared) >= 3
    named = {m.diagnosis for m in files if m.diagnosis and m.diagnosis != NO_DIAGNOSIS}
    assert named <= declared, f"undeclared: {named - declared}"
    legacy = [m.name for m in files if m.expect and not m.diagnosis]
    assert legacy == [], "a converted exercise's mistake files declare '# diagnosis:'"


@pytest.mark.parametrize("slug", CONVERTED)
def test_a_converted_exercise_gives_no_check_its_own_hint(slug) -> None:
    # The diagnosis speaks for a failure; a check's hint could point elsewhere (issue 15).
    tree = ast.parse((CURRICULUM.exercise(slug).directory / "checks.py").read_text())
    hinted = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword) and node.arg == "hint"
    ]
    assert hinted == []


@pytest.mark.parametrize("slug", CONVERTED)
def test_a_converted_exercise_draws_its_first_failing_case_first(slug) -> None:
    exercise = CURRICULUM.exercise(slug)
    path = sorted((exercise.directory / "mistakes").glob("*.py"))[0]
    result = grade_code(exercise, path.read_text(), runner=RUNNER, seed=7)
    if result.status == "failed":
        assert result.figures, "a failure is drawn"
        assert "yours" in json.dumps(result.figures[0]["data"])
        go.Figure(result.figures[0])  # valid against Plotly's schema
        json.dumps(result.figures[0], allow_nan=False)


@pytest.mark.parametrize("slug", sorted(CANONICAL))
def test_every_canonical_exercise_has_its_classic_mistake(slug) -> None:
    assert list((CURRICULUM.exercise(slug).directory / "mistakes").glob("*.py"))
