import itertools

import numpy as np
import plotly.graph_objects as go

DATA = np.array(
    [[1, 1, 1, 0, 0, 0]] * 3 + [[0, 0, 0, 1, 1, 1]] * 3 + [[1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1]],
    dtype=float,
)
ALL_V = np.array(list(itertools.product([0, 1], repeat=6)), dtype=float)
EPOCHS, LR, HIDDEN = 1500, 0.1, 3


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _free_energy(V, W, b, c):
    return -V @ b - np.logaddexp(0.0, V @ W + c).sum(axis=-1)


def _model_probabilities(W, b, c):
    neg = -_free_energy(ALL_V, W, b, c)
    return np.exp(neg - np.logaddexp.reduce(neg))


def _log_likelihood(W, b, c):
    neg = -_free_energy(ALL_V, W, b, c)
    return float(np.mean(-_free_energy(DATA, W, b, c)) - np.logaddexp.reduce(neg))


def _cd1(W, b, c, rng):
    p0 = _sigmoid(DATA @ W + c)
    h0 = (rng.random(p0.shape) < p0).astype(float)
    v1 = (rng.random(DATA.shape) < _sigmoid(h0 @ W.T + b)).astype(float)
    p1 = _sigmoid(v1 @ W + c)
    n = len(DATA)
    return (
        W + LR * (DATA.T @ p0 - v1.T @ p1) / n,
        b + LR * (DATA - v1).mean(axis=0),
        c + LR * (p0 - p1).mean(axis=0),
    )


def _exact(W, b, c):
    p = _model_probabilities(W, b, c)
    ph_model, ph_data = _sigmoid(ALL_V @ W + c), _sigmoid(DATA @ W + c)
    n = len(DATA)
    return (
        W + LR * (DATA.T @ ph_data / n - (ALL_V * p[:, None]).T @ ph_model),
        b + LR * (DATA.mean(axis=0) - p @ ALL_V),
        c + LR * (ph_data.mean(axis=0) - p @ ph_model),
    )


def _train():
    rng = np.random.default_rng(0)
    start = (0.01 * rng.normal(size=(6, HIDDEN)), np.zeros(6), np.zeros(HIDDEN))
    cd, exact = start, start
    epochs, cd_ll, exact_ll = [], [], []
    for epoch in range(EPOCHS + 1):
        if epoch % 10 == 0:
            epochs.append(epoch)
            cd_ll.append(_log_likelihood(*cd))
            exact_ll.append(_log_likelihood(*exact))
        cd = _cd1(*cd, rng)
        exact = _exact(*exact)
    return np.array(epochs), np.array(cd_ll), np.array(exact_ll), cd


def figures() -> dict[str, go.Figure]:
    epochs, cd_ll, exact_ll, params = _train()
    _, counts = np.unique(DATA, axis=0, return_counts=True)
    empirical = counts / counts.sum()
    best = float(np.sum(empirical * np.log(empirical)))
    training = go.Figure()
    training.add_scatter(
        x=epochs, y=exact_ll, name="exact gradient", line={"color": "#f97316", "width": 3}
    )
    training.add_scatter(x=epochs, y=cd_ll, name="CD-1", line={"color": "#2563eb"})
    training.add_hline(y=best, line={"color": "#6b7280", "dash": "dot"})
    training.update_layout(
        title={
            "text": f"average log-likelihood of the data while training (best possible {best:.3f})"
        },
        xaxis_title="epoch",
        yaxis_title="log-likelihood (nats)",
        height=400,
    )
    probs = _model_probabilities(*params)
    labels = ["".join(str(int(x)) for x in row) for row in ALL_V]
    data_p = np.zeros(len(ALL_V))
    for row in DATA:
        data_p[int(np.argmax((row == ALL_V).all(axis=1)))] += 1 / len(DATA)
    order = np.argsort(-(probs + data_p))[:14]
    dist = go.Figure()
    dist.add_bar(x=[labels[i] for i in order], y=data_p[order], name="data", marker_color="#f97316")
    dist.add_bar(
        x=[labels[i] for i in order], y=probs[order], name="RBM after CD-1", marker_color="#2563eb"
    )
    dist.update_layout(
        barmode="group",
        title={"text": "p(v) of the trained RBM on its 14 most likely patterns, against the data"},
        xaxis_title="visible pattern",
        yaxis_title="probability",
        height=400,
    )
    return {"training": training, "model-distribution": dist}
