"""Figure helpers (house style, size cap, builders) and the result types."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from apps.sandbox.grading import plots
from apps.sandbox.grading.figures import MAX_FIGURE_BYTES, figure_to_dict
from apps.sandbox.grading.results import (
    CheckResult,
    ErrorInfo,
    GradeResult,
    Verdict,
    error_result,
)


def test_a_figure_gets_the_house_style_without_plotlys_template() -> None:
    figure = figure_to_dict(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])))
    assert figure["data"][0]["y"] == [3, 4]
    assert "template" not in figure["layout"]
    assert figure["layout"]["plot_bgcolor"] == "white"


def test_a_dict_figure_with_numpy_values_becomes_json_data() -> None:
    figure = figure_to_dict({"data": [{"y": np.arange(3), "x": np.float64(1.5)}]})
    assert figure["data"][0] == {"y": [0, 1, 2], "x": 1.5}


def test_an_oversized_figure_is_refused() -> None:
    with pytest.raises(ValueError, match="cap"):
        figure_to_dict({"data": [{"y": list(range(MAX_FIGURE_BYTES))}]})


def test_something_else_is_not_a_figure() -> None:
    with pytest.raises(TypeError, match="not a figure"):
        figure_to_dict("a string")


def test_compare_lines_draws_yours_only_when_there_is_one() -> None:
    x = np.linspace(0, 1, 5)
    both = plots.compare_lines(x, x, x, title="t")
    assert [trace.name for trace in both.data] == ["reference", "yours"]
    assert [trace.name for trace in plots.compare_lines(x, None, x, title="t").data] == [
        "reference"
    ]


@pytest.mark.parametrize(
    "build",
    [
        lambda: plots.compare_bars(["a", "b"], np.ones(2), np.ones(2), title="t"),
        lambda: plots.contour_with_paths(
            np.arange(3), np.arange(3), np.ones((3, 3)), {"yours": np.ones((2, 2))}, title="t"
        ),
        lambda: plots.vector_field(np.arange(2), np.arange(2), np.ones(4), np.ones(4), title="t"),
        lambda: plots.transformed_circle(np.eye(2), {"yours": np.array([1.0, 0.0])}, title="t"),
        lambda: plots.histogram_with_density(
            np.random.default_rng(0).normal(size=50), np.linspace(-3, 3, 7), np.ones(7), title="t"
        ),
        lambda: plots.loglog_tail({"yours": np.arange(1, 50)}, title="t"),
        lambda: plots.heatmap_pair(np.eye(2), np.eye(2), title="t"),
    ],
)
def test_every_builder_makes_a_figure_that_fits_the_cap(build) -> None:
    figure = figure_to_dict(build())
    assert figure["data"]
    assert figure["layout"]["title"]["text"] == "t"


def test_an_error_result_has_one_failed_check_and_no_score() -> None:
    error = ErrorInfo(type="Rejected", message="the code is empty")
    result = error_result(
        "softmax", Verdict.REJECTED, check="code accepted", message="empty", error=error
    )
    assert result.score == 0.0
    assert result.checks == (CheckResult("code accepted", False, "empty", 0),)
    assert result.failed_check_names == ["code accepted"]
    assert result.as_json()["error"]["type"] == "Rejected"


def test_checks_and_errors_survive_their_json_form() -> None:
    check = CheckResult("rows sum to one", True, "correct", 2)
    error = ErrorInfo("NameError", "name 'y' is not defined", 4, "...")
    assert CheckResult.from_json(check.as_json()) == check
    assert ErrorInfo.from_json(error.as_json()) == error
    assert ErrorInfo.from_json(None) is None


def test_a_result_knows_whether_it_passed() -> None:
    assert GradeResult("softmax", Verdict.PASSED, score=1.0).passed
    assert not GradeResult("softmax", Verdict.FAILED).passed


def _with_nan(array: np.ndarray) -> np.ndarray:
    spoiled = np.array(array, dtype=float)
    spoiled.flat[1] = np.nan
    spoiled.flat[-1] = np.inf
    return spoiled


REFERENCE_1D = np.linspace(0.0, 1.0, 7)
REFERENCE_2D = np.arange(12.0).reshape(3, 4)


@pytest.mark.parametrize(
    "figure",
    [
        plots.failure_figure(_with_nan(REFERENCE_1D), REFERENCE_1D, title="a vector"),
        plots.failure_figure(_with_nan(REFERENCE_2D), REFERENCE_2D, title="a matrix"),
        plots.failure_figure(np.ones((2, 3, 4)), np.zeros((2, 3, 4)), title="a batch"),
        plots.failure_figure(REFERENCE_2D.T, REFERENCE_2D, title="the wrong shape"),
        plots.failure_figure(None, REFERENCE_1D, title="nothing came back"),
        plots.failure_figure(np.float64(np.nan), np.float64(2.0), title="a number"),
        plots.scalar_failure_figure(
            ["d = 1", "d = 341"], [1.0, None], [1.0, -400.0], title="scalar cases"
        ),
    ],
)
def test_the_failure_figure_is_valid_plotly_json_with_nothing_non_finite(figure) -> None:
    go.Figure(figure)  # validates every trace and layout property against Plotly's schema
    text = json.dumps(figure, allow_nan=False)  # NaN and inf went out as null
    assert len(text) < MAX_FIGURE_BYTES
    names = [trace.get("name") for trace in figure["data"]]
    assert "reference" in names or "|yours − reference|" in names


def test_the_failure_figure_marks_non_finite_entries_and_the_worst_ones() -> None:
    yours = _with_nan(REFERENCE_1D)
    yours[3] += 5.0
    figure = plots.failure_figure(yours, REFERENCE_1D, title="t")
    by_name = {trace["name"]: trace for trace in figure["data"]}
    assert by_name["yours is NaN or infinite"]["x"] == [1, 6]
    assert by_name["yours is NaN or infinite"]["text"] == ["NaN", "+inf"]
    assert by_name["largest differences"]["x"][0] == 3


def test_a_matrix_failure_has_three_panels_yours_reference_and_difference() -> None:
    figure = plots.failure_figure(REFERENCE_2D * 2, REFERENCE_2D, title="t")
    heatmaps = [trace for trace in figure["data"] if trace["type"] == "heatmap"]
    assert [trace["name"] for trace in heatmaps] == ["yours", "reference", "|yours − reference|"]
    assert figure["layout"]["xaxis3"]["domain"][1] == pytest.approx(1.0)


# ----- a learner's odd values never stop a figure --------------------------------------------


def test_complex_values_are_drawn_by_their_real_part_with_a_note() -> None:
    yours = np.array([1.0, 2.0]) + 1j
    figure = figure_to_dict(plots.compare_lines(np.arange(2), yours, np.ones(2), title="t"))
    assert figure["data"][1]["y"] == [1.0, 2.0]
    notes = [note["text"] for note in figure["layout"]["annotations"]]
    assert notes == ["complex values: only their real parts are drawn"]
    dict_figure = figure_to_dict({"data": [{"y": [1 + 2j, np.complex64(3)]}]})
    assert dict_figure["data"][0]["y"] == [1.0, 3.0]


def test_non_finite_values_become_gaps_so_the_figure_is_strict_json() -> None:
    figure = figure_to_dict({"data": [{"y": np.array([1.0, np.nan, np.inf]), "x": [np.inf]}]})
    assert figure["data"][0] == {"y": [1.0, None, None], "x": [None]}
    json.dumps(figure, allow_nan=False)


@pytest.mark.parametrize(
    "samples",
    [np.array([np.nan, np.inf, 1.0, 2.0]), np.full(5, np.nan), np.array([1.0, 2.0]) + 1e-20j],
    ids=["some non-finite", "all NaN", "complex"],
)
def test_a_histogram_of_odd_samples_is_drawn_from_what_is_finite(samples: np.ndarray) -> None:
    figure = figure_to_dict(
        plots.histogram_with_density(samples, np.linspace(-3, 3, 7), np.ones(7), title="t")
    )
    assert figure["data"]
    json.dumps(figure, allow_nan=False)
