import numpy as np
import plotly.graph_objects as go

NODES, WEIGHTS = np.polynomial.hermite_e.hermegauss(80)
WEIGHTS = WEIGHTS / WEIGHTS.sum()


def _network(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, n)) / np.sqrt(n), rng.normal(size=n), rng.normal(size=n)


def _max_exponent(W, g, h0, d0, burn_in=200, steps=600) -> float:
    h = h0.copy()
    for _ in range(burn_in):
        h = np.tanh(g * (W @ h))
    d = d0 / np.linalg.norm(d0)
    total = 0.0
    for _ in range(steps):
        h = np.tanh(g * (W @ h))
        d = (1 - h * h) * (g * (W @ d))
        size = np.linalg.norm(d)
        total += np.log(size)
        d = d / size
    return total / steps


def _mean_field(g: float) -> float:
    q = 1.0
    for _ in range(3000):
        q = g * g * float(WEIGHTS @ np.tanh(np.sqrt(q) * NODES) ** 2)
    chi = g * g * float(WEIGHTS @ (1 - np.tanh(np.sqrt(q) * NODES) ** 2) ** 2)
    return 0.5 * np.log(chi)


def _exponent_vs_gain() -> go.Figure:
    W, h0, d0 = _network(200, 0)
    gains = np.concatenate([np.linspace(0.4, 1.6, 13), np.linspace(2.0, 4.0, 6)])
    measured = [_max_exponent(W, g, h0, d0) for g in gains]
    fine = np.linspace(0.4, 4.0, 91)
    fig = go.Figure()
    fig.add_scatter(
        x=fine,
        y=[_mean_field(g) for g in fine],
        name="mean field: ½ log χ(g)",
        line={"color": "#f97316", "width": 3},
    )
    fig.add_scatter(
        x=gains,
        y=measured,
        mode="markers+lines",
        name="measured, one network of N = 200",
        line={"color": "#2563eb", "dash": "dot"},
    )
    fig.add_hline(y=0.0, line={"color": "#6b7280", "dash": "dot"})
    fig.update_layout(
        title={
            "text": "largest Lyapunov exponent of h ← tanh(g W h): order below g = 1, chaos above"
        },
        xaxis_title="gain g",
        yaxis_title="λ_max (nats per step)",
        height=420,
    )
    return fig


def _spectrum(W, g, h0, burn_in=200, steps=400) -> np.ndarray:
    h = h0.copy()
    for _ in range(burn_in):
        h = np.tanh(g * (W @ h))
    Q = np.eye(len(h0))
    total = np.zeros(len(h0))
    for _ in range(steps):
        h = np.tanh(g * (W @ h))
        Q, R = np.linalg.qr(((1 - h * h)[:, None] * (g * W)) @ Q)
        total += np.log(np.abs(np.diag(R)))
    return np.sort(total / steps)[::-1]


def _spectra() -> go.Figure:
    W, h0, _ = _network(64, 1)
    fig = go.Figure()
    index = np.arange(1, 65)
    for g, colour in [(0.8, "#1e3a8a"), (1.5, "#6b7280"), (3.0, "#b91c1c")]:
        fig.add_scatter(
            x=index,
            y=_spectrum(W, g, h0),
            mode="lines+markers",
            name=f"g = {g}",
            line={"color": colour},
        )
    fig.add_hline(y=0.0, line={"color": "#6b7280", "dash": "dot"})
    fig.update_layout(
        title={
            "text": "the whole Lyapunov spectrum of one network of N = 64 units, by the QR method"
        },
        xaxis_title="index i",
        yaxis_title="λ_i (nats per step)",
        height=400,
    )
    return fig


def _gradient_norms() -> go.Figure:
    W, h0, d0 = _network(200, 2)
    steps = 120
    fig = go.Figure()
    for g, colour in [(0.6, "#1e3a8a"), (1.0, "#6b7280"), (2.5, "#b91c1c")]:
        h = h0.copy()
        for _ in range(300):
            h = np.tanh(g * (W @ h))
        derivs = []
        for _ in range(steps):
            h = np.tanh(g * (W @ h))
            derivs.append(1 - h * h)
        grad = d0 / np.linalg.norm(d0)
        norms = [1.0]
        for t in range(steps - 1, -1, -1):
            grad = g * (W.T @ (derivs[t] * grad))
            norms.append(float(np.linalg.norm(grad)))
        fig.add_scatter(x=np.arange(steps + 1), y=norms, name=f"g = {g}", line={"color": colour})
    fig.update_yaxes(type="log")
    fig.update_layout(
        title={"text": "norm of a gradient sent back T − k steps through the network"},
        xaxis_title="steps back T − k",
        yaxis_title="‖∇_{h_k} L‖ / ‖∇_{h_T} L‖ (log scale)",
        height=400,
    )
    return fig


def figures() -> dict[str, go.Figure]:
    return {
        "exponent-vs-gain": _exponent_vs_gain(),
        "spectra": _spectra(),
        "gradient-norms": _gradient_norms(),
    }
