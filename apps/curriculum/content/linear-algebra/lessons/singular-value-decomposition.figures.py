import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots


def figures() -> dict[str, go.Figure]:
    rng = np.random.default_rng(7)
    rows, cols = np.meshgrid(np.linspace(-1, 1, 40), np.linspace(-1, 1, 48), indexing="ij")
    image = np.exp(-((rows - 0.3) ** 2 + (cols + 0.2) ** 2) / 0.08) + 0.4 * np.sin(4 * cols) * (
        rows > 0
    )
    image += 0.03 * rng.normal(size=image.shape)
    s = np.linalg.svd(image, compute_uv=False)
    ranks = np.arange(1, 21)
    error = np.sqrt([np.sum(s[k:] ** 2) for k in ranks])
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=("singular values s_k", "error ||M - M_k||_F")
    )
    fig.add_trace(go.Bar(x=ranks, y=s[:20], marker_color="#6b7280", name="s_k"), row=1, col=1)
    fig.add_trace(
        go.Scatter(x=ranks, y=error, mode="lines+markers", line={"color": "#f97316"}, name="error"),
        row=1,
        col=2,
    )
    fig.update_yaxes(type="log")
    fig.update_xaxes(title_text="k")
    fig.update_layout(
        title={"text": "A 40x48 image: spectrum and Eckart–Young error by rank"},
        height=380,
        showlegend=False,
    )
    return {"spectrum": fig}
