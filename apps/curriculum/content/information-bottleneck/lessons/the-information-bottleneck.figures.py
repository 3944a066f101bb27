import numpy as np
import plotly.graph_objects as go


def _mi(joint: np.ndarray) -> float:
    outer = joint.sum(1, keepdims=True) * joint.sum(0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / outer[nz])))


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


def figures() -> dict[str, go.Figure]:
    rng = np.random.default_rng(3)
    pxy = np.exp(rng.normal(scale=1.5, size=(8, 3)))
    pxy /= pxy.sum()
    q0 = rng.dirichlet(np.ones(4) * 2, size=8)
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
    return {"plane": fig}
