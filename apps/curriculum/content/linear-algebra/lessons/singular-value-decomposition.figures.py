import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from apps.sandbox.grading.explorables import Explorable, Param


def figures() -> dict[str, go.Figure | Explorable]:
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
    return {"spectrum": fig, "rank-slider": rank_explorable()}


# ----- explorable: the rank-k truncation of a picture as k moves ---------------------------
RANKS = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 30, 40]


def _picture() -> np.ndarray:
    """A 40 x 48 picture that is not low-rank: a ring, a tilted bar and a soft shadow, so its
    singular values fall off gradually rather than after two terms."""
    y, x = np.meshgrid(np.linspace(-1, 1, 40), np.linspace(-1.2, 1.2, 48), indexing="ij")
    ring = np.abs(np.hypot(x + 0.35, y - 0.2) - 0.45) < 0.12
    bar = (np.abs(0.8 * x + 0.6 * y - 0.45) < 0.12) & (np.abs(-0.6 * x + 0.8 * y + 0.1) < 0.6)
    shadow = 0.5 * np.exp(-((x - 0.6) ** 2 + (y + 0.55) ** 2) / 0.1)
    noise = 0.03 * np.random.default_rng(11).normal(size=x.shape)
    return ring.astype(float) + 0.8 * bar + shadow + noise


def rank_explorable() -> Explorable:
    image = _picture()
    U, s, Vt = np.linalg.svd(image, full_matrices=False)
    m, n = image.shape
    total = float(np.sqrt((s**2).sum()))
    low, high = float(image.min()), float(image.max())

    def frame(k: int) -> dict:
        k = int(k)
        approx = (U[:, :k] * s[:k]) @ Vt[:k]
        error = float(np.sqrt((s[k:] ** 2).sum()))
        kept = ["#2563eb" if i < k else "#d1d5db" for i in range(s.size)]
        return {
            "data": [
                {
                    "type": "heatmap",
                    "z": approx[::-1],  # row 0 at the top, as in an image
                    "zmin": low,
                    "zmax": high,
                    "colorscale": "Greys",
                    "reversescale": True,
                    "showscale": False,
                    "hoverinfo": "skip",
                    "name": "M_k",
                },
                {
                    "type": "bar",
                    "x": np.arange(1, s.size + 1),
                    "y": s,
                    "marker": {"color": kept},
                    "name": "s_i",
                    "xaxis": "x2",
                    "yaxis": "y2",
                },
            ],
            "layout": {
                "title": {
                    "text": (
                        f"rank {k}: error ‖M − M_k‖_F = {100 * error / total:.1f}% of ‖M‖_F, "
                        f"{k * (m + n + 1):,} numbers stored instead of {m * n:,}"
                    )
                },
                "showlegend": False,
                "height": 380,
                "xaxis": {"domain": [0, 0.45], "showticklabels": False, "range": [-0.5, n - 0.5]},
                "yaxis": {
                    "showticklabels": False,
                    "range": [-0.5, m - 0.5],
                    "scaleanchor": "x",
                },
                "xaxis2": {
                    "domain": [0.55, 1],
                    "anchor": "y2",
                    "title": {"text": "i (blue: kept)"},
                    "range": [0.5, s.size + 0.5],
                },
                "yaxis2": {
                    "anchor": "x2",
                    "type": "log",
                    "title": {"text": "singular value s_i"},
                    "range": [-1.7, 1.4],
                },
            },
        }

    return Explorable(params=[Param("k", "rank $k$", RANKS, initial=4)], build=frame)
