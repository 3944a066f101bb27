"""Plain Plotly JSON on the grading path: the same figure Plotly builds, valid in its schema.

plots.py builds figures as `PlainFigure` (plain.py) instead of plotly.graph_objects; these
tests build the same figures through graph_objects and compare, and validate every builder's
output against Plotly's schema (``go.Figure(...)`` validates every property).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from apps.sandbox.grading import plots
from apps.sandbox.grading.figures import figure_to_dict
from apps.sandbox.grading.plain import PlainFigure, subplots

X = np.linspace(0.0, 1.0, 5)


def _draw_on(fig: Any) -> Any:
    """Every go.Figure method exercises call on a figure from plots.py."""
    fig.add_scatter(x=X, y=X**2, name="a", line={"color": "red", "width": 3}, marker_color="blue")
    fig.add_bar(x=["a", "b"], y=np.array([1.0, 2.0]), marker_color="#123", opacity=0.5)
    fig.add_heatmap(z=np.eye(2), colorscale="Blues", showscale=False)
    fig.add_contour(z=np.eye(3), colorscale="RdBu_r", ncontours=5)
    fig.add_trace(go.Scatter(x=[1, 2], y=[3, 4], mode="markers"))
    fig.add_trace({"type": "scatter", "x": [0, 1], "y": [1, 0], "error_y_array": [0.1, 0.2]})
    fig.update_layout(title={"text": "t"}, xaxis_title="X", yaxis_title="", height=380)
    fig.update_layout({"barmode": "group"}, legend_orientation="h")
    fig.update_xaxes(type="log", title="flip")
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    fig.add_hline(y=0.5, line={"color": "gray", "dash": "dot"}, annotation_text="half")
    fig.add_vline(x=0.2, line={"color": "gray"}, annotation_text="v")
    fig.add_vrect(x0=0.1, x1=0.3, fillcolor="orange", opacity=0.15, line_width=0)
    fig.add_vrect(x0=0.5, x1=0.6, annotation_text="a band")
    fig.add_hrect(y0=0.2, y1=0.4, fillcolor="grey", opacity=0.1, annotation_text="band")
    fig.add_annotation(text="a note", x=0.5, y=0.5, showarrow=False, font_size=11)
    fig.add_shape(type="circle", x0=0, y0=0, x1=1, y1=1, line_color="red")
    fig.add_histogram(x=X, nbinsx=4, marker_color="#abc")
    fig.for_each_trace(lambda trace: trace.update(legendgroup="all"))
    fig.update_traces(opacity=0.9)
    fig.data[0].name = "renamed"
    fig.data[4].marker.size = 12
    fig.data[5].line = {"color": "green"}
    return fig


def test_a_plain_figure_is_what_plotly_builds_from_the_same_calls() -> None:
    assert figure_to_dict(_draw_on(PlainFigure())) == figure_to_dict(_draw_on(go.Figure()))


def test_none_unsets_a_property_as_in_plotly() -> None:
    def unset(fig: Any) -> Any:
        fig.add_heatmap(z=np.eye(2), text=None, texttemplate=None)  # "no text" spelled as None
        fig.add_scatter(x=X, y=X, name="a")
        fig.update_layout(height=380, title_text="t")
        fig.update_layout(height=None)
        fig.update_traces(name=None)
        return fig

    assert figure_to_dict(unset(PlainFigure())) == figure_to_dict(unset(go.Figure()))


def test_plain_subplots_are_laid_out_as_plotlys() -> None:
    def panels(fig: Any) -> Any:
        fig.add_heatmap(z=np.eye(3), row=1, col=1)
        fig.add_trace({"type": "heatmap", "z": np.ones((2, 2))}, row=1, col=2)
        fig.update_yaxes(autorange="reversed")
        return fig

    plain = panels(subplots(2, titles=["yours", "reference"]))
    plotly = panels(make_subplots(rows=1, cols=2, subplot_titles=["yours", "reference"]))
    assert figure_to_dict(plain) == figure_to_dict(plotly)


BUILDERS: dict[str, Callable[[], Any]] = {
    "compare_lines": lambda: plots.compare_lines(
        X, X[::-1], X, title="t", x_label="x", y_label="y", log_y=True
    ),
    "compare_bars": lambda: plots.compare_bars(["a", "b"], np.ones(2), np.ones(2), title="t"),
    "contour_with_paths": lambda: plots.contour_with_paths(
        np.arange(3), np.arange(3), np.ones((3, 3)), {"yours": np.ones((2, 2))}, title="t"
    ),
    "vector_field": lambda: plots.vector_field(
        np.arange(2), np.arange(2), np.ones(4), np.ones(4), title="t"
    ),
    "transformed_circle": lambda: plots.transformed_circle(
        np.eye(2), {"yours": np.array([1.0, 0.0])}, title="t"
    ),
    "histogram_with_density": lambda: plots.histogram_with_density(
        np.random.default_rng(0).normal(size=50), np.linspace(-3, 3, 7), np.ones(7), title="t"
    ),
    "loglog_tail": lambda: plots.loglog_tail({"yours": np.arange(1, 50)}, title="t"),
    "heatmap_pair": lambda: plots.heatmap_pair(np.eye(2), np.eye(2), title="t"),
    "failure_figure": lambda: plots.failure_figure(
        np.array([1.0, np.nan, 3.0]), np.ones(3), title="t"
    ),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_hot_path_figure_is_valid_in_plotlys_schema(name: str) -> None:
    figure = figure_to_dict(BUILDERS[name]())
    go.Figure(figure)  # raises on any property Plotly does not know or any invalid value
    json.dumps(figure, allow_nan=False)


def test_the_figure_helpers_build_without_importing_plotly() -> None:
    probe = (
        "import sys, numpy as np\n"
        "from apps.sandbox.grading import plots\n"
        "from apps.sandbox.grading.figures import figure_to_dict\n"
        "figure_to_dict(plots.compare_bars(['a'], np.ones(1), np.ones(1), title='t'))\n"
        "figure_to_dict(plots.heatmap_pair(np.eye(2), np.eye(2), title='t'))\n"
        "print(sorted(m for m in sys.modules if 'plotly' in m))\n"
    )
    root = Path(__file__).resolve().parents[3]
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=root
    ).stdout
    assert loaded.strip() == "[]"
