import math

import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param

# ----- explorable: the slope a = beta J z of the self-consistency equation ----------------
SLOPES = [round(float(a), 2) for a in np.linspace(0.5, 3.0, 26)]
M_GRID = np.linspace(-1.0, 1.0, 101)


def _free_energy_over_t(a: float, m: np.ndarray) -> np.ndarray:
    """f(m) / T at h = 0 with a = beta J z: -a m^2 / 2 minus the binary entropy (0 log 0 = 0)."""
    plus, minus = (1 + m) / 2, (1 - m) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        neg_entropy = np.where(plus > 0, plus * np.log(plus), 0.0) + np.where(
            minus > 0, minus * np.log(minus), 0.0
        )
    return -0.5 * a * m**2 + neg_entropy


def _self_consistency_frame(a: float) -> dict:
    root = 1.0
    for _ in range(5000):
        root = math.tanh(a * root)
    if a <= 1.0:
        root = 0.0
    roots = np.array([-root, 0.0, root]) if root > 1e-3 else np.array([0.0])
    if a < 1.0:
        verdict = "only m = 0: no magnetisation"
    elif a == 1.0:
        verdict = "the critical point: slope exactly 1 at the origin"
    else:
        verdict = f"m = 0 and ±{root:.3f}; m = 0 is now a maximum of f"
    return {
        "data": [
            {
                "type": "scatter",
                "x": [-1.0, 1.0],
                "y": [-1.0, 1.0],
                "mode": "lines",
                "line": {"color": "#6b7280", "dash": "dot"},
                "name": "m (the diagonal)",
            },
            {
                "type": "scatter",
                "x": M_GRID,
                "y": np.tanh(a * M_GRID),
                "mode": "lines",
                "line": {"color": "#2563eb", "width": 3},
                "name": "tanh(βJz m)",
            },
            {
                "type": "scatter",
                "x": roots,
                "y": roots,
                "mode": "markers",
                "marker": {"color": "#f97316", "size": 10},
                "name": "solutions",
            },
            {
                "type": "scatter",
                "x": M_GRID,
                "y": _free_energy_over_t(a, M_GRID),
                "mode": "lines",
                "line": {"color": "#b91c1c", "width": 3},
                "name": "f(m) / T",
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "x": roots,
                "y": _free_energy_over_t(a, roots),
                "mode": "markers",
                "marker": {"color": "#f97316", "size": 10},
                "showlegend": False,
                "name": "solutions",
                "xaxis": "x2",
                "yaxis": "y2",
            },
        ],
        "layout": {
            "title": {"text": f"βJz = {a:g}: {verdict}"},
            "xaxis": {"title": {"text": "m"}, "range": [-1.05, 1.05], "domain": [0, 0.47]},
            "yaxis": {"title": {"text": "value"}, "range": [-1.05, 1.05]},
            "xaxis2": {
                "title": {"text": "m"},
                "range": [-1.05, 1.05],
                "domain": [0.55, 1],
                "anchor": "y2",
            },
            "yaxis2": {
                "title": {"text": "f(m) / T at h = 0"},
                "range": [-1.6, 0.1],
                "anchor": "x2",
            },
            "legend": {"orientation": "h", "y": -0.2},
            "height": 440,
        },
    }


def self_consistency_explorable() -> Explorable:
    return Explorable(
        params=[Param("a", "slope $\\beta J z$", SLOPES, initial=2.0)],
        build=_self_consistency_frame,
    )


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


def figures() -> dict[str, go.Figure | Explorable]:
    return {"self-consistency": self_consistency_explorable(), "magnetisation": _magnetisation()}
