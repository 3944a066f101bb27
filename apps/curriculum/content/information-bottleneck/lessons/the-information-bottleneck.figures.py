import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param


def _mi(joint: np.ndarray) -> float:
    outer = joint.sum(1, keepdims=True) * joint.sum(0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / outer[nz])))


def _ib_encoder(pxy: np.ndarray, beta: float, q: np.ndarray, n_iter: int = 80) -> np.ndarray:
    px = pxy.sum(1)
    pyx = pxy / px[:, None]
    for _ in range(n_iter):
        qt = px @ q
        qyt = (q * px[:, None]).T @ pyx / qt[:, None]
        kl = np.sum(pyx[:, None, :] * (np.log(pyx)[:, None, :] - np.log(qyt)[None]), axis=-1)
        logits = np.log(qt)[None] - beta * kl
        q = np.exp(logits - logits.max(1, keepdims=True))
        q /= q.sum(1, keepdims=True)
    return q


def _ib(pxy: np.ndarray, beta: float, q: np.ndarray, n_iter: int = 80) -> tuple[float, float]:
    px = pxy.sum(1)
    pyx = pxy / px[:, None]
    for _ in range(n_iter):
        qt = px @ q
        qyt = (q * px[:, None]).T @ pyx / qt[:, None]
        kl = np.sum(pyx[:, None, :] * (np.log(pyx)[:, None, :] - np.log(qyt)[None]), axis=-1)
        logits = np.log(qt)[None] - beta * kl
        q = np.exp(logits - logits.max(1, keepdims=True))
        q /= q.sum(1, keepdims=True)
    qt = px @ q
    qyt = (q * px[:, None]).T @ pyx / qt[:, None]
    return _mi(q * px[:, None]), _mi(qyt * qt[:, None])


def _problem() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    pxy = np.exp(rng.normal(scale=1.5, size=(8, 3)))
    pxy /= pxy.sum()
    return pxy, rng.dirichlet(np.ones(4) * 2, size=8)


# ----- explorable: beta, the point it reaches on the information curve and its encoder -----
BETAS = [round(float(b), 3) for b in np.geomspace(0.3, 40, 25)]


def _beta_explorable() -> Explorable:
    pxy, q0 = _problem()
    px = pxy.sum(1)
    curve = np.array([_ib(pxy, b, q0) for b in BETAS])
    relevant = _mi(pxy)

    def frame(beta: float) -> dict:
        q = _ib_encoder(pxy, beta, q0)
        # Clamped: rounding leaves -1e-17 where the encoder ignores x.
        i_xt, i_ty = max(_mi(q * px[:, None]), 0.0), max(_ib(pxy, beta, q0)[1], 0.0)
        return {
            "data": [
                {
                    "type": "scatter",
                    "x": curve[:, 0],
                    "y": curve[:, 1],
                    "mode": "lines+markers",
                    "marker": {"size": 4},
                    "line": {"color": "#93c5fd"},
                    "name": "the curve over all β",
                },
                {
                    "type": "scatter",
                    "x": [0.0, 0.8],
                    "y": [relevant, relevant],
                    "mode": "lines",
                    "line": {"color": "#6b7280", "dash": "dash"},
                    "name": "I(X;Y)",
                },
                {
                    "type": "scatter",
                    "x": [i_xt],
                    "y": [i_ty],
                    "mode": "markers",
                    "marker": {"color": "#1d4ed8", "size": 14},
                    "name": "this β",
                },
                {
                    "type": "heatmap",
                    "z": q,
                    "x": [f"t={t + 1}" for t in range(q.shape[1])],
                    "y": [f"x={x + 1}" for x in range(q.shape[0])],
                    "zmin": 0.0,
                    "zmax": 1.0,
                    "colorscale": "Blues",
                    "showscale": False,
                    "name": "q(t|x)",
                    "xaxis": "x2",
                    "yaxis": "y2",
                },
            ],
            "layout": {
                "title": {
                    "text": (
                        f"β = {beta:g}: I(X;T) = {i_xt:.3f}, I(T;Y) = {i_ty:.3f} nats, "
                        f"{100 * i_ty / relevant:.0f}% of I(X;Y) kept"
                    )
                },
                "xaxis": {
                    "title": {"text": "I(X;T) (nats)"},
                    "range": [0, 0.8],
                    "domain": [0, 0.6],
                },
                "yaxis": {"title": {"text": "I(T;Y) (nats)"}, "range": [0, 0.12]},
                "xaxis2": {"title": {"text": "encoder q(t|x)"}, "domain": [0.7, 1], "anchor": "y2"},
                "yaxis2": {"autorange": "reversed", "anchor": "x2"},
                "legend": {"orientation": "h", "y": -0.2},
                "height": 440,
            },
        }

    return Explorable(
        params=[Param("beta", "trade-off $\\beta$", BETAS, initial=BETAS[12])], build=frame
    )


def figures() -> dict[str, go.Figure | Explorable]:
    pxy, q0 = _problem()
    betas = np.geomspace(0.3, 40, 25)
    pts = np.array([_ib(pxy, b, q0) for b in betas])
    fig = go.Figure()
    fig.add_scatter(
        x=pts[:, 0],
        y=pts[:, 1],
        mode="lines+markers",
        name="iterative IB, |T| = 4",
        line={"color": "#2563eb"},
        text=[f"β = {b:.2f}" for b in betas],
    )
    fig.add_hline(y=_mi(pxy), line={"color": "#6b7280", "dash": "dash"}, annotation_text="I(X;Y)")
    fig.update_layout(
        title={"text": "An information curve: relevance against compression as β grows"},
        xaxis_title="I(X;T) (nats)",
        yaxis_title="I(T;Y) (nats)",
        height=400,
    )
    return {"plane": fig, "beta": _beta_explorable()}
