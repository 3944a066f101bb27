import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots


def figures() -> dict[str, go.Figure]:
    rng = np.random.default_rng(3)
    W = rng.normal(size=(6, 8)) / np.sqrt(8)
    b = 0.3 * rng.normal(size=6)
    x_small = 0.5 * rng.normal(size=8)
    x_large = 6.0 * x_small
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=("small input: most units active", "large input: saturated")
    )
    for col, x in ((1, x_small), (2, x_large)):
        h = np.tanh(W @ x + b)
        J = (1 - h**2)[:, None] * W
        fig.add_trace(
            go.Heatmap(z=J, zmin=-0.8, zmax=0.8, colorscale="RdBu", showscale=col == 2),
            row=1,
            col=col,
        )
    fig.update_yaxes(autorange="reversed", title_text="output unit i")
    fig.update_xaxes(title_text="input j")
    fig.update_layout(title={"text": "Jacobian diag(1 − h²) W of a tanh layer"}, height=380)
    return {"jacobian": fig}
