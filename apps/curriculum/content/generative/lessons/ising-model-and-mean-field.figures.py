import math

import numpy as np
import plotly.graph_objects as go


def _self_consistency() -> go.Figure:
    m = np.linspace(-1.2, 1.2, 241)
    fig = go.Figure()
    fig.add_scatter(x=m, y=m, name="m (the diagonal)", line={"color": "#6b7280", "dash": "dot"})
    for a, colour in [(0.5, "#10b981"), (1.0, "#2563eb"), (2.0, "#f97316")]:
        fig.add_scatter(x=m, y=np.tanh(a * m), name=f"tanh({a} m)", line={"color": colour})
    root = 1.0
    for _ in range(200):
        root = math.tanh(2.0 * root)
    fig.add_scatter(
        x=[-root, 0.0, root],
        y=[-root, 0.0, root],
        mode="markers",
        name=f"solutions for βJz = 2: 0 and ±{root:.4f}",
        marker={"color": "#f97316", "size": 9},
    )
    fig.update_layout(
        title={"text": "m = tanh(βJz m): extra solutions appear once the slope βJz exceeds 1"},
        xaxis_title="m",
        yaxis_title="value",
        height=420,
    )
    return fig


def _magnetisation() -> go.Figure:
    n = 400
    k = np.arange(n + 1)
    big_m = 2 * k - n
    log_binom = np.array(
        [math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1) for j in k]
    )
    temps = np.linspace(0.3, 2.0, 69)
    exact, mean_field = [], []
    for temp in temps:
        beta = 1.0 / temp
        log_w = log_binom + beta * (big_m**2 - n) / (2 * n)
        w = np.exp(log_w - log_w.max())
        exact.append(float((w * np.abs(big_m)).sum() / w.sum() / n))
        m = 1.0
        for _ in range(3000):
            m = math.tanh(beta * m)
        mean_field.append(m)
    fig = go.Figure()
    fig.add_scatter(
        x=temps,
        y=mean_field,
        name="mean field, T_c = Jz = J",
        line={"color": "#f97316", "width": 3},
    )
    fig.add_scatter(
        x=temps,
        y=exact,
        name="exact E|m| of a Curie–Weiss magnet, N = 400",
        line={"color": "#2563eb", "dash": "dash"},
    )
    fig.update_layout(
        title={"text": "magnetisation against temperature (J = 1, h = 0)"},
        xaxis_title="temperature T",
        yaxis_title="magnetisation",
        height=400,
    )
    return fig


def figures() -> dict[str, go.Figure]:
    return {"self-consistency": _self_consistency(), "magnetisation": _magnetisation()}
