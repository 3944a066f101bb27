"""A learner's function that changes its caller's arguments in place, through the real sandbox.

The sandboxed run compares each array, list and dict argument after the call with a snapshot
taken before it; the grader fails a learner who changes an argument the reference leaves.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from apps.curriculum.loader import load_curriculum
from apps.sandbox.backends import ZygotePoolBackend
from apps.sandbox.grading.engine import grade_code
from apps.sandbox.runner import Limits, ZygotePool

CONTENT = Path(__file__).resolve().parents[3] / "apps/curriculum/content"
GD = CONTENT / "optimization/exercises/gradient-descent"

CHANGES = """\
import numpy as np
def f(x0, xs, options, n=1):
    x0 -= 1.0
    xs.append(3.0)
    options["seen"] = True
    return float(x0.sum())
def g(x0, xs, options, n=1):
    x = x0.copy()
    x -= 1.0
    return float(x.sum())
def h(x0, xs, options, n=1):
    x0 = x0 - 1.0            # rebinding the name is not changing the caller's array
    xs = xs + [3.0]
    return float(x0.sum())
"""


def _calls(func: str) -> list[dict[str, object]]:
    return [
        {"key": func, "func": func, "args": [np.ones(3), [1.0, 2.0], {"a": 1}], "kwargs": {}},
        {
            "key": f"{func}-kw",
            "func": func,
            "args": [np.ones(2)],
            "kwargs": {"xs": [1.0], "options": {}},
        },
    ]


@pytest.mark.parametrize(
    ("func", "changed", "changed_kw"),
    [("f", (0, 1, 2), (0, "xs", "options")), ("g", (), ()), ("h", (), ())],
)
def test_the_run_reports_which_arguments_a_call_changed(
    sandbox_pool: ZygotePool, func: str, changed: tuple[object, ...], changed_kw: tuple[object, ...]
) -> None:
    run = sandbox_pool.run(CHANGES, _calls(func), Limits())
    assert run.status == "ok", run.detail
    assert run.outcomes[func].ok
    assert run.outcomes[func].value == 0.0
    assert run.outcomes[func].mutated == changed
    assert run.outcomes[f"{func}-kw"].mutated == changed_kw


def test_a_nan_left_in_place_is_not_a_change(sandbox_pool: ZygotePool) -> None:
    code = "import numpy as np\ndef f(x):\n    x[0] = x[0] * 1.0\n    return 0.0\n"
    run = sandbox_pool.run(
        code, [{"key": "k", "func": "f", "args": [np.array([np.nan, 1.0])]}], Limits()
    )
    assert run.outcomes["k"].ok
    assert run.outcomes["k"].mutated == ()


@pytest.fixture(scope="module")
def gradient_descent():
    return load_curriculum().exercise("gradient-descent")


def grade(exercise, code: str, seed: int = 3) -> dict[str, object]:
    return grade_code(exercise, code, runner=ZygotePoolBackend(), seed=seed).as_json()


def test_a_function_that_changes_x0_in_place_fails_with_a_message_naming_it(
    gradient_descent,
) -> None:
    result = grade(gradient_descent, (GD / "mistakes/rt_mutates_caller_x0.py").read_text())
    assert result["status"] == "failed"
    assert result["diagnosis"]["id"] == "mutates-x0"  # type: ignore[index]
    failed = [c["message"] for c in result["checks"] if not c["passed"]]  # type: ignore[union-attr]
    assert any("changed its argument x0 in place" in m and "x0.copy()" in m for m in failed), failed


def test_a_function_that_leaves_its_arguments_alone_passes(gradient_descent) -> None:
    result = grade(gradient_descent, (GD / "solution.py").read_text())
    assert result["status"] == "passed"
    assert result["score"] == 1.0


@pytest.mark.parametrize(
    "mutated",
    [
        "x0",  # not a list
        [True],  # a bool is not a position
        [-1],
        [10**6],
        ["not an identifier"],
        ["x" * 101],
        [1.5],
        [[0]],
        list(range(1000)),  # more entries than a call has arguments
    ],
    ids=repr,
)
def test_a_forged_changed_argument_list_is_refused_at_the_trust_boundary(mutated: object) -> None:
    from apps.sandbox.runner import wire
    from apps.sandbox.runner.interpret import _outcome

    with pytest.raises(wire.WireError, match="changed-argument list"):
        _outcome({"ok": True, "value": 1.0, "mutated": mutated})


def test_an_honest_changed_argument_list_is_read() -> None:
    from apps.sandbox.runner.interpret import _outcome

    assert _outcome({"ok": True, "value": 1.0, "mutated": [0, "lr"]}).mutated == (0, "lr")
