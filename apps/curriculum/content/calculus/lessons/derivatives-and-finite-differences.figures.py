import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param


def figures() -> dict[str, go.Figure | Explorable]:
    fine = np.linspace(-2.0, 2.0, 41)
    u, v = np.meshgrid(fine, fine)
    z = u**2 + 3 * u * v
    fig = go.Figure()
    fig.add_contour(
        x=fine,
        y=fine,
        z=z,
        colorscale="Greys",
        showscale=False,
        ncontours=20,
        contours={"coloring": "lines"},
        name="f",
    )
    grid = np.linspace(-1.8, 1.8, 7)
    gu, gv = np.meshgrid(grid, grid)
    du, dv = 2 * gu + 3 * gv, 3 * gu
    scale = 0.45 / np.hypot(du, dv).max()
    xs, ys = [], []
    for x0, y0, a, b in zip(gu.ravel(), gv.ravel(), du.ravel(), dv.ravel(), strict=True):
        xs += [float(x0), float(x0 + scale * a), None]
        ys += [float(y0), float(y0 + scale * b), None]
    fig.add_scatter(
        x=xs, y=ys, mode="lines", name="∇f (scaled)", line={"color": "#f97316", "width": 2}
    )
    fig.add_scatter(
        x=gu.ravel(),
        y=gv.ravel(),
        mode="markers",
        marker={"size": 4, "color": "#f97316"},
        showlegend=False,
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    fig.update_layout(
        title={"text": "f(x₁, x₂) = x₁² + 3x₁x₂: the gradient is perpendicular to the contours"},
        xaxis_title="x₁",
        yaxis_title="x₂",
        height=420,
    )
    return {"gradient-field": fig, "step-slider": step_explorable()}


# ----- explorable: the step of a finite difference, truncation against rounding -------------
# f = exp at x = 1, as in the lesson's table: every derivative is e.
X0 = 1.0
UNIT_ROUNDOFF = np.finfo(float).eps / 2
STEPS = [float(10.0 ** (-e / 2)) for e in range(2, 27)]  # 1e-1 down to 1e-13, half decades


def _errors(eps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    exact = np.exp(X0)
    forward = np.abs((np.exp(X0 + eps) - np.exp(X0)) / eps - exact)
    central = np.abs((np.exp(X0 + eps) - np.exp(X0 - eps)) / (2 * eps) - exact)
    return np.maximum(forward, 1e-17), np.maximum(central, 1e-17)


def _step_frame(eps: float) -> dict:
    fine = np.geomspace(1e-13, 1e-1, 121)
    forward_curve, central_curve = _errors(fine)
    forward, central = (float(v[0]) for v in _errors(np.array([eps])))
    e = np.exp(X0)
    truncation = eps**2 / 6 * e
    rounding = UNIT_ROUNDOFF * e / eps
    regime = "truncation dominates" if truncation > rounding else "rounding dominates"
    return {
        "data": [
            {
                "type": "scatter",
                "x": fine,
                "y": forward_curve,
                "mode": "lines",
                "line": {"color": "#93c5fd"},
                "name": "forward difference",
            },
            {
                "type": "scatter",
                "x": fine,
                "y": central_curve,
                "mode": "lines",
                "line": {"color": "#fdba74"},
                "name": "central difference",
            },
            {
                "type": "scatter",
                "x": [eps, eps],
                "y": [forward, central],
                "mode": "markers",
                "marker": {"size": 12, "color": ["#2563eb", "#f97316"]},
                "name": "at this step",
            },
            {
                "type": "bar",
                "x": ["truncation ε²e/6", "rounding u·e/ε", "measured (central)"],
                "y": [truncation, rounding, central],
                "marker": {"color": ["#10b981", "#dc2626", "#f97316"]},
                "name": "central difference's error",
                "xaxis": "x2",
                "yaxis": "y2",
            },
        ],
        "layout": {
            "title": {"text": f"ε = {eps:.0e}: central error {central:.1e}, {regime}"},
            "showlegend": True,
            "legend": {"x": 0.01, "y": 0.01},
            "height": 420,
            "xaxis": {
                "domain": [0, 0.6],
                "type": "log",
                "range": [-0.8, -13.2],  # reversed: the step shrinks to the right, as on the slider
                "title": {"text": "step ε (smaller to the right)"},
                "exponentformat": "power",
            },
            "yaxis": {
                "type": "log",
                "range": [-17, 0],
                "title": {"text": "|error| of f'(1), f = exp"},
                "exponentformat": "power",
            },
            "xaxis2": {"domain": [0.68, 1], "anchor": "y2"},
            "yaxis2": {"anchor": "x2", "type": "log", "range": [-17, 0], "exponentformat": "power"},
        },
    }


def step_explorable() -> Explorable:
    return Explorable(
        params=[Param("eps", "step $\\epsilon$", STEPS, initial=1e-3, format=".0e")],
        build=_step_frame,
    )
