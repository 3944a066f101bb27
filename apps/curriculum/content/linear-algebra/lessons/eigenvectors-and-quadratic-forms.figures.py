import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from apps.sandbox.grading.explorables import Explorable, Param


def figures() -> dict[str, go.Figure | Explorable]:
    grid = np.linspace(-1.5, 1.5, 31)
    x1, x2 = np.meshgrid(grid, grid)
    forms = {
        "positive definite [[2, 1], [1, 2]]": np.array([[2.0, 1.0], [1.0, 2.0]]),
        "indefinite [[1, 2], [2, 1]]": np.array([[1.0, 2.0], [2.0, 1.0]]),
    }
    fig = make_subplots(rows=1, cols=2, subplot_titles=list(forms))
    for col, A in enumerate(forms.values(), start=1):
        q = A[0, 0] * x1**2 + 2 * A[0, 1] * x1 * x2 + A[1, 1] * x2**2
        fig.add_trace(
            go.Contour(
                x=grid,
                y=grid,
                z=q,
                colorscale="RdBu",
                reversescale=True,
                showscale=False,
                ncontours=18,
                contours={"coloring": "heatmap"},
            ),
            row=1,
            col=col,
        )
        lam, Q = np.linalg.eigh(A)
        for i in range(2):
            v = 1.2 * Q[:, i]
            fig.add_trace(
                go.Scatter(
                    x=[-v[0], v[0]],
                    y=[-v[1], v[1]],
                    mode="lines",
                    showlegend=False,
                    line={"color": "black", "width": 2},
                    name=f"λ = {lam[i]:g}",
                ),
                row=1,
                col=col,
            )
    fig.update_layout(
        title={"text": "x^T A x: a bowl and a saddle, with the eigenvector axes"}, height=400
    )
    return {"bowl-and-saddle": fig, "condition-slider": condition_explorable()}


# ----- explorable: the condition number, on the circle and when solving ---------------------
CONDITIONS = [1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
ANGLE = np.pi / 6  # the eigenvectors sit at 30 and 120 degrees
V = np.array([[np.cos(ANGLE), -np.sin(ANGLE)], [np.sin(ANGLE), np.cos(ANGLE)]])
CIRCLE = np.stack([np.cos(np.linspace(0, 2 * np.pi, 121)), np.sin(np.linspace(0, 2 * np.pi, 121))])


def _condition_frame(kappa: float) -> dict:
    A = V @ np.diag([1.0, 1.0 / kappa]) @ V.T  # eigenvalues 1 and 1/kappa
    image = A @ CIRCLE
    errors = np.linalg.solve(A, CIRCLE)  # A^{-1} applied to every unit error in b
    worst = kappa * V[:, 1]
    unit = {"color": "#9ca3af", "dash": "dot"}
    return {
        "data": [
            {
                "type": "scatter",
                "x": CIRCLE[0],
                "y": CIRCLE[1],
                "mode": "lines",
                "line": unit,
                "name": "unit circle",
            },
            {
                "type": "scatter",
                "x": image[0],
                "y": image[1],
                "mode": "lines",
                "line": {"color": "#10b981"},
                "name": "A · circle",
            },
            {
                "type": "scatter",
                "x": CIRCLE[0],
                "y": CIRCLE[1],
                "mode": "lines",
                "line": unit,
                "name": "errors in b of size 1",
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "x": errors[0],
                "y": errors[1],
                "mode": "lines",
                "line": {"color": "#f97316"},
                "name": "the errors they cause in x",
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "x": [0, worst[0]],
                "y": [0, worst[1]],
                "mode": "lines+markers",
                "line": {"color": "#dc2626", "width": 3},
                "name": "worst case, along v₂",
                "xaxis": "x2",
                "yaxis": "y2",
            },
        ],
        "layout": {
            "title": {
                "text": (
                    f"κ = {kappa:g}: A squashes the circle {kappa:g}-fold along v₂; "
                    f"solving Ax = b stretches errors up to {kappa:g}-fold"
                )
            },
            "showlegend": False,
            "height": 420,
            "xaxis": {"domain": [0, 0.36], "range": [-1.3, 1.3], "title": {"text": "A maps x"}},
            "yaxis": {"range": [-1.3, 1.3], "scaleanchor": "x"},
            "xaxis2": {
                "domain": [0.44, 1],
                "anchor": "y2",
                "range": [-10.5, 10.5],
                "title": {"text": "A⁻¹ maps errors in b"},
            },
            "yaxis2": {"anchor": "x2", "range": [-10.5, 10.5], "scaleanchor": "x2"},
        },
    }


def condition_explorable() -> Explorable:
    return Explorable(
        params=[
            Param(
                "kappa",
                "condition number $\\kappa = \\lambda_1/\\lambda_2$",
                CONDITIONS,
                initial=4.0,
            )
        ],
        build=_condition_frame,
    )
