"""Running code without grading: try-it code and "run on my own input", in the real sandbox."""

from __future__ import annotations

import time

import pytest

from apps.sandbox.grading.scratch import (
    MAX_INPUT_BYTES,
    VALUE_FUNCTION,
    InputRejected,
    InputSyntaxError,
    compose_input,
    run_code,
    run_input,
)
from apps.sandbox.runner import Limits
from tests.sandbox.conftest import FAST

SOFTMAX = """import numpy as np

def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
"""


def test_the_inputs_last_expression_becomes_the_value_and_its_lines_keep_their_numbers() -> None:
    composed = compose_input("x = 1", "z = np.ones(3)\nsoftmax(\n    z)  # the call\n")
    assert composed.offset == 1
    assert composed.has_value
    lines = composed.source.splitlines()
    assert lines[1] == "z = np.ones(3)"
    assert lines[2] == f"{VALUE_FUNCTION} = lambda: (softmax("
    assert lines[3] == "    z)"
    assert lines[4] == ")  # the call"


def test_an_input_ending_with_a_statement_has_no_value() -> None:
    assert not compose_input("", "y = 2").has_value


def test_non_ascii_before_the_expression_is_handled() -> None:
    composed = compose_input("", "é = 1; softmax(é)")
    assert f"{VALUE_FUNCTION} = lambda: (softmax(é)" in composed.source


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("", InputRejected),
        ("   \n", InputRejected),
        ("x" * (MAX_INPUT_BYTES + 1), InputRejected),
        ("f(\x00)", InputRejected),
        ("softmax(", InputSyntaxError),
        ("(" * 300 + ")" * 300, InputSyntaxError),
    ],
)
def test_a_bad_input_is_refused_before_anything_runs(raw, error) -> None:
    started = time.perf_counter()
    with pytest.raises(error):
        compose_input("x = 1", raw)
    assert time.perf_counter() - started < 0.5


def test_an_input_run_returns_the_value_with_its_shape_dtype_and_a_figure(sandbox_pool) -> None:
    result = run_input(
        SOFTMAX, "softmax(np.array([1000.0, 0.0]))", runner=sandbox_pool, limits=FAST
    )
    assert result.status == "ok"
    assert (result.value["type"], result.value["shape"], result.value["dtype"]) == (
        "ndarray",
        [2],
        "float64",
    )
    assert result.value["text"] == "[1., 0.]"
    assert result.figures[0]["data"][0]["type"] == "bar"


def test_an_error_in_the_input_names_the_inputs_line(sandbox_pool) -> None:
    result = run_input(SOFTMAX, "z = np.ones(3)\nsoftmax(z, 2)", runner=sandbox_pool, limits=FAST)
    assert result.status == "error"
    assert (result.error["type"], result.error["where"], result.error["line"]) == (
        "TypeError",
        "input",
        2,
    )
    assert 'File "input", line 2' in result.error["traceback"]
    assert VALUE_FUNCTION not in result.error["traceback"]


def test_an_error_in_the_code_names_the_codes_line(sandbox_pool) -> None:
    code = SOFTMAX.replace("return e /", "return e / undefined_name /")
    result = run_input(code, "softmax(np.ones(2))", runner=sandbox_pool, limits=FAST)
    assert (result.error["type"], result.error["where"], result.error["line"]) == (
        "NameError",
        "code",
        5,
    )


def test_a_syntax_error_in_the_input_is_found_without_running(sandbox_pool) -> None:
    result = run_input(SOFTMAX, "softmax(np.ones(2)", runner=sandbox_pool, limits=FAST)
    assert (result.status, result.error["where"], result.error["line"]) == ("error", "input", 1)


def test_timeouts_memory_and_rejections_are_verdicts_like_submissions(sandbox_pool) -> None:
    assert (
        run_input(SOFTMAX, "while True: pass", runner=sandbox_pool, limits=FAST).status == "timeout"
    )
    hog = "x = bytearray(2 << 30)"
    assert run_code(
        hog, runner=sandbox_pool, limits=Limits(cpu_seconds=2, wall_seconds=5, memory_mb=128)
    ).status in ("memory", "error")
    assert run_code("", runner=sandbox_pool, limits=FAST).status == "rejected"
    assert run_input("", "f()", runner=sandbox_pool, limits=FAST).status == "rejected"
    assert run_code(b"\xff\xfe", runner=sandbox_pool, limits=FAST).status == "rejected"


def test_try_code_returns_output_and_its_plots(sandbox_pool) -> None:
    result = run_code(
        "from dlplot import histogram\nimport numpy as np\nprint('hello')\nhistogram(np.arange(100.0))\n",
        runner=sandbox_pool,
        limits=FAST,
    )
    assert (result.status, result.stdout) == ("ok", "hello\n")
    assert result.figures[0]["layout"]["title"]["text"] == "plot 1: histogram of 100 samples"
    assert result.value is None
