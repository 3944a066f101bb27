import numpy as np
import plotly.graph_objects as go


def figures() -> dict[str, go.Figure]:
    A = np.array([[2.0, 1.0], [1.0, 2.0]])
    t = np.linspace(0, 2 * np.pi, 121)
    circle = np.stack([np.cos(t), np.sin(t)])
    image = A @ circle
    fig = go.Figure()
    fig.add_scatter(
        x=circle[0], y=circle[1], name="unit circle", line={"color": "#6b7280", "dash": "dot"}
    )
    fig.add_scatter(x=image[0], y=image[1], name="A · circle", line={"color": "#10b981"})
    for vector, name in (
        (np.array([1.0, 1.0]) / np.sqrt(2), "eigenvector, λ = 3"),
        (np.array([1.0, -1.0]) / np.sqrt(2), "eigenvector, λ = 1"),
    ):
        stretched = A @ vector
        fig.add_scatter(
            x=[0, stretched[0]],
            y=[0, stretched[1]],
            mode="lines+markers",
            name=name,
            line={"width": 3},
        )
    for column, name in ((A[:, 0], "A e₁ = (2, 1)"), (A[:, 1], "A e₂ = (1, 2)")):
        fig.add_scatter(
            x=[0, column[0]],
            y=[0, column[1]],
            mode="lines",
            name=name,
            line={"color": "#9ca3af", "dash": "dash"},
        )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    fig.update_layout(
        title={"text": "The unit circle under A = [[2, 1], [1, 2]]"},
        height=420,
        xaxis_title="x₁",
        yaxis_title="x₂",
    )
    return {"unit-circle": fig}
