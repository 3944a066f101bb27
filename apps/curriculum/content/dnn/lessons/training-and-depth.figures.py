import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param


def figures() -> dict[str, go.Figure | Explorable]:
    z = np.linspace(-6, 6, 241)
    s = 1.0 / (1.0 + np.exp(-z))
    fig = go.Figure()
    fig.add_scatter(
        x=z, y=s * (1 - s), name="σ′(z) = σ(z)(1 − σ(z))", line={"color": "#f97316", "width": 3}
    )
    fig.add_scatter(x=z, y=1 - np.tanh(z) ** 2, name="tanh′(z)", line={"color": "#10b981"})
    fig.add_scatter(
        x=z, y=(z > 0).astype(float), name="ReLU′(z)", line={"color": "#2563eb", "dash": "dash"}
    )
    fig.add_hline(y=0.25, line={"color": "#6b7280", "dash": "dot"})
    fig.update_layout(
        title={"text": "derivatives of three activations: the sigmoid's never exceeds 1/4"},
        xaxis_title="pre-activation z",
        yaxis_title="derivative",
        height=380,
    )
    depth = np.arange(1, 16)
    decay = go.Figure()
    decay.add_scatter(
        x=depth,
        y=0.25 ** (depth - 1),
        mode="lines+markers",
        name="(1/4)^(ℓ−1): sigmoid at best",
        line={"color": "#f97316", "width": 3},
    )
    decay.add_scatter(
        x=depth,
        y=np.ones_like(depth, dtype=float),
        mode="lines+markers",
        name="1: active ReLU units",
        line={"color": "#2563eb", "dash": "dash"},
    )
    decay.update_yaxes(type="log")
    decay.update_layout(
        title={"text": "largest possible product of activation derivatives through ℓ − 1 layers"},
        xaxis_title="layers traversed ℓ",
        yaxis_title="factor (log scale)",
        height=380,
    )
    return {
        "activation-derivatives": fig,
        "derivative-products": decay,
        "residual-depth": residual_depth_explorable(),
        "init-scale": init_scale_explorable(),
    }


# ----- shared: activations and their derivatives ---------------------------------------------
def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # the same function, without overflow warnings


ACTIVATIONS = {
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1 - _sigmoid(z)), 1.0),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2, 1.0),
    "ReLU": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float), 2.0),
}


# ----- explorable: depth against gradient norm, with and without residual connections -------
DEPTHS = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]
WIDTH, BATCH = 32, 64


def _gradient_norms(activation: str, depth: int, residual: bool) -> np.ndarray:
    """||dL/dW_l||_F for l = 1..depth, relative to the last layer's, for one fixed draw of
    weights (variance v/d: v = 1 for sigmoid and tanh, 2 for ReLU) and one fixed gradient
    arriving at the output. The residual branch is scaled by 1/sqrt(depth), so that the
    sum of the branches keeps the signal's size at every depth."""
    phi, dphi, v = ACTIVATIONS[activation]
    rng = np.random.default_rng(3)
    weights = rng.normal(scale=np.sqrt(v / WIDTH), size=(depth, WIDTH, WIDTH))
    h = rng.normal(size=(BATCH, WIDTH))
    upstream = rng.normal(size=(BATCH, WIDTH)) / BATCH
    alpha = 1 / np.sqrt(depth)
    inputs, pre = [], []
    for w in weights:
        z = h @ w.T
        inputs.append(h)
        pre.append(z)
        h = h + alpha * phi(z) if residual else phi(z)
    dh, norms = upstream, np.zeros(depth)
    for layer in reversed(range(depth)):
        g = dh * dphi(pre[layer]) * (alpha if residual else 1.0)
        norms[layer] = np.linalg.norm(g.T @ inputs[layer])
        dh = dh + g @ weights[layer] if residual else g @ weights[layer]
    return np.maximum(norms / norms[-1], 1e-40)


def _residual_frame(activation: str, depth: int) -> dict:
    plain = _gradient_norms(activation, depth, residual=False)
    skip = _gradient_norms(activation, depth, residual=True)
    layers = np.arange(1, depth + 1)
    return {
        "data": [
            {
                "type": "scatter",
                "x": layers,
                "y": plain,
                "mode": "lines+markers",
                "marker": {"size": 5},
                "line": {"color": "#f97316", "width": 3},
                "name": "plain stack",
            },
            {
                "type": "scatter",
                "x": layers,
                "y": skip,
                "mode": "lines+markers",
                "marker": {"size": 5},
                "line": {"color": "#2563eb", "width": 3},
                "name": "with residual connections",
            },
        ],
        "layout": {
            "title": {
                "text": f"{activation}, {depth} layers: layer 1 gets {plain[0]:.1e} of the last layer's "
                f"gradient without residuals, {skip[0]:.2g} with them"
            },
            "xaxis": {"title": {"text": "layer ℓ (1 = next to the input)"}, "range": [0, 51]},
            "yaxis": {
                "title": {"text": "‖∂L/∂W⁽ˡ⁾‖ relative to the last layer"},
                "type": "log",
                "range": [-32, 2],
                "dtick": 4,
                "exponentformat": "power",
            },
            "legend": {"orientation": "h", "y": -0.2},
            "height": 440,
        },
    }


def residual_depth_explorable() -> Explorable:
    return Explorable(
        params=[
            Param("activation", "activation", ["sigmoid", "tanh", "ReLU"], initial="sigmoid"),
            Param("depth", "depth $L$ (layers)", DEPTHS, initial=20),
        ],
        build=_residual_frame,
    )


# ----- explorable: initialisation scale against activation statistics ------------------------
GAINS = [0.5, 0.75, 1.0, 1.25, 1.414, 1.75, 2.0, 2.5, 3.0]
INIT_DEPTH, INIT_WIDTH = 30, 128
BINS = np.linspace(-1.5, 1.5, 31)


def _init_frame(gain: float, activation: str) -> dict:
    """A forward pass through INIT_DEPTH layers with weights of standard deviation
    gain / sqrt(width): the spread of the activations per layer, and the histogram of the
    last layer's (values beyond +-1.5 counted in the outer bins)."""
    phi = ACTIVATIONS[activation][0]
    rng = np.random.default_rng(5)
    h = rng.normal(size=(BATCH, INIT_WIDTH))
    spread = []
    for _ in range(INIT_DEPTH):
        w = rng.normal(scale=gain / np.sqrt(INIT_WIDTH), size=(INIT_WIDTH, INIT_WIDTH))
        h = phi(h @ w.T)
        spread.append(float(np.sqrt(np.mean(h**2))))
    counts, _ = np.histogram(np.clip(h, -1.499, 1.499), bins=BINS)
    centres = 0.5 * (BINS[:-1] + BINS[1:])
    saturated = float(np.mean(np.abs(h) > 0.99))
    critical = 1.0 if activation == "tanh" else np.sqrt(2)
    detail = (
        f"{saturated:.0%} of units saturated (|h| > 0.99)"
        if activation == "tanh"
        else f"{np.mean(h == 0):.0%} of units at 0"
    )
    return {
        "data": [
            {
                "type": "scatter",
                "x": np.arange(1, INIT_DEPTH + 1),
                "y": np.maximum(spread, 1e-30),
                "mode": "lines+markers",
                "marker": {"size": 5},
                "line": {"color": "#2563eb", "width": 3},
                "name": "root mean square of h⁽ˡ⁾",
            },
            {
                "type": "bar",
                "x": centres,
                "y": counts / counts.sum(),
                "marker": {"color": "#f97316"},
                "xaxis": "x2",
                "yaxis": "y2",
                "name": f"h⁽{INIT_DEPTH}⁾ histogram",
            },
        ],
        "layout": {
            "title": {
                "text": f"{activation}, gain g = {gain:g} (critical: {critical:.3g}): "
                f"RMS at layer {INIT_DEPTH} = {spread[-1]:.2g}, {detail}"
            },
            "showlegend": False,
            "xaxis": {
                "title": {"text": "layer ℓ"},
                "range": [0, INIT_DEPTH + 1],
                "domain": [0, 0.5],
            },
            "yaxis": {
                "title": {"text": "RMS of the activations"},
                "type": "log",
                "range": [-12, 12],
                "dtick": 3,
                "exponentformat": "power",
            },
            "xaxis2": {
                "title": {"text": f"activation value at layer {INIT_DEPTH} (clipped to ±1.5)"},
                "range": [-1.5, 1.5],
                "domain": [0.6, 1],
            },
            "yaxis2": {"title": {"text": "fraction of units"}, "range": [0, 1], "anchor": "x2"},
            "height": 420,
        },
    }


def init_scale_explorable() -> Explorable:
    return Explorable(
        params=[
            Param(
                "gain", "weight scale $g$ (standard deviation $g/\\sqrt{d}$)", GAINS, initial=1.0
            ),
            Param("activation", "activation", ["tanh", "ReLU"], initial="tanh"),
        ],
        build=_init_frame,
    )
