import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots


def figures() -> dict[str, go.Figure]:
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
    return {"bowl-and-saddle": fig}
