import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots


def figures() -> dict[str, go.Figure]:
    fig = make_subplots(
        rows=1,
        cols=3,
        subplot_titles=(
            "independent: I = 0",
            "flip prob. 0.1: I ≈ 0.368",
            "copy: I = log 2 ≈ 0.693",
        ),
    )
    tables = [
        np.full((2, 2), 0.25),
        np.array([[0.45, 0.05], [0.05, 0.45]]),
        np.array([[0.5, 0.0], [0.0, 0.5]]),
    ]
    for col, table in enumerate(tables, start=1):
        fig.add_trace(
            go.Heatmap(
                z=table,
                zmin=0,
                zmax=0.5,
                colorscale="Blues",
                showscale=col == 3,
                x=["y = 0", "y = 1"],
                y=["x = 0", "x = 1"],
                text=table,
                texttemplate="%{text}",
            ),
            row=1,
            col=col,
        )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(
        title={"text": "Three joint distributions of two bits and their mutual information (nats)"},
        height=330,
    )
    return {"joint": fig}
