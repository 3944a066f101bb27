"""Figures of what a run returned, drawn on the trusted side from checked arrays only."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from apps.sandbox.grading.figures import MAX_FIGURE_BYTES
from apps.sandbox.grading.sketch import (
    MAX_ARROWS,
    describe_value,
    figures_from_plots,
    value_figures,
)
from apps.sandbox.runner.wire import Unsupported


def valid(figure: dict) -> dict:
    go.Figure(figure)
    json.loads(json.dumps(figure, allow_nan=False))
    assert len(json.dumps(figure)) <= MAX_FIGURE_BYTES
    return figure


def test_each_kind_of_record_draws_a_valid_figure_with_fixed_labels() -> None:
    x = np.linspace(0, 1, 50)
    records = [
        {"kind": "line", "x": x, "y": np.stack([x, x**2], axis=1), "logy": False},
        {"kind": "line", "x": x, "y": x + 1, "logy": True},
        {"kind": "scatter", "x": x, "y": x, "c": x},
        {"kind": "heatmap", "z": np.outer(x, x) - 0.25},
        {"kind": "histogram", "samples": np.random.default_rng(0).normal(size=1000), "bins": 20},
        {"kind": "vector_field", "x": x, "y": x, "u": -x, "v": x},
    ]
    sketches = figures_from_plots(records)
    assert sketches.notes == []
    titles = [valid(f)["layout"]["title"]["text"] for f in sketches.figures]
    assert titles[0] == "plot 1: line"
    assert titles[4] == "plot 5: histogram of 1,000 samples"
    assert [t["name"] for t in sketches.figures[0]["data"]] == ["column 0", "column 1"]
    assert sketches.figures[1]["layout"]["yaxis"]["type"] == "log"
    assert sketches.figures[3]["data"][0]["zmid"] == 0  # signed data: a diverging scale
    assert sum(sketches.figures[4]["data"][0]["y"]) == 1000


def test_non_finite_numbers_become_gaps() -> None:
    (figure,) = figures_from_plots(
        [{"kind": "line", "x": np.arange(3.0), "y": np.array([1, np.nan, np.inf])}]
    ).figures
    assert figure["data"][0]["y"] == [1.0, None, None]


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"kind": "line", "x": [1, 2], "y": [1, 2]}, "not an array of real numbers"),
        ({"kind": "line", "x": np.arange(2), "y": np.arange(3)}, "different lengths"),
        ({"kind": "heatmap", "z": np.arange(4.0)}, "wrong number of dimensions"),
        ({"kind": "heatmap", "z": np.zeros((200, 200))}, "more than 20,000 numbers"),
        (
            {"kind": "scatter", "x": np.arange(2) * 1j, "y": np.arange(2)},
            "not an array of real numbers",
        ),
        ({"kind": "histogram", "samples": np.arange(3.0), "bins": True}, "bins"),
        ({"kind": "histogram", "samples": np.array([np.nan])}, "no finite samples"),
        ({"kind": "pie", "values": np.arange(3.0)}, "not a plot dlplot makes"),
        ({"kind": Unsupported("x"), "z": np.eye(2)}, "not a plot dlplot makes"),
        ("line", "not a plot dlplot makes"),
    ],
)
def test_a_record_that_is_not_what_dlplot_makes_is_not_drawn(record, reason) -> None:
    sketches = figures_from_plots([record])
    assert sketches.figures == []
    (note,) = sketches.notes
    assert note == f"plot 1 was not drawn: {reason}" or reason in note


def test_at_most_eight_plots_are_drawn_and_arrows_are_thinned() -> None:
    line = {"kind": "line", "x": np.arange(2.0), "y": np.arange(2.0)}
    sketches = figures_from_plots([line] * 12)
    assert len(sketches.figures) == 8
    assert sketches.notes == ["only the first 8 plots are drawn"]
    grid = np.linspace(-1, 1, 60)
    field = {
        "kind": "vector_field",
        "x": np.repeat(grid, 60),
        "y": np.tile(grid, 60),
        "u": np.ones(3600),
        "v": np.zeros(3600),
    }
    (figure,) = figures_from_plots([field]).figures
    assert figure["layout"]["title"]["text"].endswith(f"{MAX_ARROWS} arrows")
    assert figures_from_plots("not a list").notes == ["the plots could not be read"]


def test_a_value_is_described_by_type_shape_and_dtype() -> None:
    array = describe_value(np.array([[1.0, 0.0]], dtype=np.float32))
    assert (array["type"], array["shape"], array["dtype"]) == ("ndarray", [1, 2], "float32")
    assert array["text"] == "[[1., 0.]]"
    pair = describe_value((2.5, np.arange(3)))
    assert (pair["type"], pair["shape"]) == ("tuple", [2])
    assert [item["type"] for item in pair["items"]] == ["float", "ndarray"]
    assert describe_value(Unsupported("mymodule.Thing"))["text"].startswith(
        "<mymodule.Thing: not plain data"
    )
    assert describe_value(None)["type"] == "None"
    assert describe_value(np.zeros(10_000))["text"].count("...") == 1


def test_a_value_is_drawn_by_its_dimensionality() -> None:
    assert value_figures(3.0) == []
    assert value_figures(np.float64(2.0)) == []
    (bars,) = value_figures(np.array([0.7, 0.2, 0.1]))
    assert bars["data"][0]["type"] == "bar"
    (curve,) = value_figures(np.linspace(0, 1, 100))
    assert curve["data"][0]["type"] == "scatter"
    (matrix,) = value_figures(np.eye(3))
    assert matrix["data"][0]["type"] == "heatmap"
    assert matrix["layout"]["yaxis"]["autorange"] == "reversed"
    (cube,) = value_figures(np.zeros((2, 3, 4)))
    assert "first 2-D slice" in cube["layout"]["title"]["text"]
    (column,) = value_figures(np.ones((5, 1)))
    assert column["data"][0]["type"] == "bar"
    both = value_figures((1.5, np.arange(4.0), np.eye(2)))
    assert [f["layout"]["title"]["text"].split(":")[0] for f in both] == ["item 1", "item 2"]
    for figure in both:
        valid(figure)
