import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param


def _softmax_rows(s: np.ndarray) -> np.ndarray:
    s = s - s.max(axis=-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=-1, keepdims=True)


def figures() -> dict[str, go.Figure | Explorable]:
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

    return {
        "scaling": scaling,
        "scaling_weights": scaling_explorable(),
        "masks": masks_explorable(),
    }


# ----- explorable: the weights of one query as d_k grows, with and without the scaling -------
# One query and 16 keys with 512 unit-variance entries; d_k = d uses their first d entries, so
# moving the slider adds dimensions to the same vectors. The line averages 500 such queries.
# From d_k = 2: at d_k = 1 the scaling divides by 1, and the two frames would be one.
DIMS = [2, 4, 8, 16, 32, 64, 128, 256, 512]
SCALINGS = ["scaled by 1/√d_k", "unscaled"]
N_KEYS = 16
_rng = np.random.default_rng(0)
ONE_QUERY, ONE_KEYS = _rng.normal(size=DIMS[-1]), _rng.normal(size=(N_KEYS, DIMS[-1]))
MANY_QUERIES = np.random.default_rng(1).normal(size=(500, 1, DIMS[-1]))
MANY_KEYS = np.random.default_rng(2).normal(size=(500, N_KEYS, DIMS[-1]))


def _scale(d: int, scaling: str) -> float:
    return 1 / np.sqrt(d) if scaling == SCALINGS[0] else 1.0


def _scaling_frame(d: int, scaling: str) -> dict:
    scale = _scale(d, scaling)
    weights = np.sort(_softmax_rows(scale * (ONE_KEYS[:, :d] @ ONE_QUERY[:d])))[::-1]
    many = (MANY_QUERIES[..., :d] @ np.swapaxes(MANY_KEYS[..., :d], 1, 2))[:, 0, :]
    average = np.sort(_softmax_rows(scale * many), axis=1)[:, ::-1].mean(axis=0)
    ranks = np.arange(1, N_KEYS + 1)
    return {
        "data": [
            {
                "type": "bar",
                "x": ranks,
                "y": weights,
                "name": "one query: its 16 weights, largest first",
                "marker": {"color": "#2563eb"},
            },
            {
                "type": "scatter",
                "x": ranks,
                "y": average,
                "mode": "lines+markers",
                "name": "average over 500 queries",
                "line": {"color": "#f97316", "width": 2},
            },
        ],
        "layout": {
            "title": {
                "text": f"d_k = {d}, {scaling}: largest weight of this query {weights[0]:.2f}"
            },
            "xaxis": {"title": {"text": "rank of the key (1 = largest weight)"}, "dtick": 1},
            "yaxis": {"title": {"text": "attention weight P_1j"}, "range": [0, 1]},
            "height": 400,
        },
    }


def scaling_explorable() -> Explorable:
    return Explorable(
        params=[
            Param("d", "key dimension $d_k$", DIMS, initial=64),
            Param("scaling", "scores", SCALINGS),
        ],
        build=_scaling_frame,
    )


# ----- explorable: causal and padding masks on the weights of one head -----------------------
N_TOKENS = 8
CAUSAL = ["no causal mask", "causal mask"]
PADDED = [0, 1, 2, 3]
_head = np.random.default_rng(5)
HEAD_SCORES = _head.normal(size=(N_TOKENS, 4)) @ _head.normal(size=(N_TOKENS, 4)).T / np.sqrt(4)


def _masks_frame(causal: str, padded: int) -> dict:
    allowed = np.ones((N_TOKENS, N_TOKENS), dtype=bool)
    if causal == CAUSAL[1]:
        allowed &= np.tril(allowed)
    allowed &= (np.arange(N_TOKENS) < N_TOKENS - padded)[None, :]
    weights = _softmax_rows(np.where(allowed, HEAD_SCORES, -np.inf))
    tokens = np.arange(1, N_TOKENS + 1)
    return {
        "data": [
            {
                "type": "heatmap",
                "x": tokens,
                "y": tokens,
                "z": weights,
                "zmin": 0,
                "zmax": 1,
                "colorscale": [[0, "#f8fafc"], [1, "#1d4ed8"]],
                "text": np.round(weights, 2),
                "texttemplate": "%{text}",
                "hovertemplate": "query %{y}, key %{x}: P = %{z:.3f}<extra></extra>",
            },
        ],
        "layout": {
            "title": {
                "text": (
                    f"{causal}, {padded} padded key{'' if padded == 1 else 's'}:"
                    f" {int((~allowed).sum())} masked weights, each exactly 0; every row sums to 1"
                )
            },
            "xaxis": {"title": {"text": "key j"}, "dtick": 1},
            "yaxis": {"title": {"text": "query i"}, "dtick": 1, "autorange": "reversed"},
            "height": 440,
        },
    }


def masks_explorable() -> Explorable:
    return Explorable(
        params=[
            Param("causal", "causal mask", CAUSAL, initial=CAUSAL[1]),
            Param("padded", "padded keys at the end", PADDED, initial=2),
        ],
        build=_masks_frame,
    )
