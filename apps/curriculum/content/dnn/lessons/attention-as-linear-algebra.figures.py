import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots


def _softmax_rows(s: np.ndarray) -> np.ndarray:
    s = s - s.max(axis=-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=-1, keepdims=True)


def figures() -> dict[str, go.Figure]:
    rng = np.random.default_rng(2)

    # How peaked the weights of one query over 16 keys are, as the dimension grows.
    dims = np.array([1, 2, 4, 8, 16, 32, 64, 128, 256, 512])
    raw, scaled = [], []
    for d in dims:
        q = rng.normal(size=(300, 1, d))
        k = rng.normal(size=(300, 16, d))
        scores = (q @ np.swapaxes(k, 1, 2))[:, 0, :]
        raw.append(_softmax_rows(scores).max(axis=1).mean())
        scaled.append(_softmax_rows(scores / np.sqrt(d)).max(axis=1).mean())
    scaling = go.Figure()
    scaling.add_scatter(
        x=dims,
        y=raw,
        mode="lines+markers",
        name="softmax(q·k): unscaled",
        line={"color": "#2563eb"},
    )
    scaling.add_scatter(
        x=dims,
        y=scaled,
        mode="lines+markers",
        name="softmax(q·k / √d): scaled",
        line={"color": "#f97316", "width": 3},
    )
    scaling.add_hline(
        y=1 / 16, line={"color": "#6b7280", "dash": "dot"}, annotation_text="uniform, 1/16"
    )
    scaling.update_xaxes(type="log", title="key dimension d (log scale)")
    scaling.update_layout(
        title={"text": "largest attention weight over 16 keys, random unit-variance q and k"},
        yaxis_title="mean of the largest weight",
        height=380,
    )

    # The weights of one random head under no mask, a causal mask, and causal + padding.
    n, d = 8, 4
    q, k = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    scores = q @ k.T / np.sqrt(d)
    causal = np.tril(np.ones((n, n), dtype=bool))
    padded = causal & (np.arange(n) < 6)[None, :]
    panels = {
        "no mask": np.ones((n, n), dtype=bool),
        "causal": causal,
        "causal + 2 padded keys": padded,
    }
    masks = make_subplots(rows=1, cols=3, subplot_titles=list(panels))
    for col, mask in enumerate(panels.values(), start=1):
        weights = _softmax_rows(np.where(mask, scores, -np.inf))
        masks.add_trace(
            go.Heatmap(z=weights, colorscale="Blues", zmin=0, zmax=1, showscale=col == 3),
            row=1,
            col=col,
        )
        masks.update_xaxes(title_text="key j", row=1, col=col)
    masks.update_yaxes(autorange="reversed", title_text="query i", row=1, col=1)
    masks.update_yaxes(autorange="reversed")
    masks.update_layout(
        title={"text": "attention weights P (rows sum to 1): masked entries are exactly 0"},
        height=360,
    )
    return {"scaling": scaling, "masks": masks}
