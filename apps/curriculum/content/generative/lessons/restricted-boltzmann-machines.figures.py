import itertools
from functools import cache

import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param

DATA = np.array(
    [[1, 1, 1, 0, 0, 0]] * 3 + [[0, 0, 0, 1, 1, 1]] * 3 + [[1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1]],
    dtype=float,
)
ALL_V = np.array(list(itertools.product([0, 1], repeat=6)), dtype=float)
EPOCHS, LR, HIDDEN = 1500, 0.1, 3
LEARNING_RATES = [0.02, 0.05, 0.1, 0.2, 0.5]
GIBBS_STEPS = [1, 2, 5, 10, 20]


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


def _cdk(W, b, c, rng, lr, k):
    """One CD-k step: a Gibbs chain started at the data, k hidden-visible round trips."""
    p0 = _sigmoid(DATA @ W + c)
    pk = p0
    for _ in range(k):
        h = (rng.random(pk.shape) < pk).astype(float)
        vk = (rng.random(DATA.shape) < _sigmoid(h @ W.T + b)).astype(float)
        pk = _sigmoid(vk @ W + c)
    n = len(DATA)
    return (
        W + lr * (DATA.T @ p0 - vk.T @ pk) / n,
        b + lr * (DATA - vk).mean(axis=0),
        c + lr * (p0 - pk).mean(axis=0),
    )


def _exact(W, b, c, lr):
    p = _model_probabilities(W, b, c)
    ph_model, ph_data = _sigmoid(ALL_V @ W + c), _sigmoid(DATA @ W + c)
    n = len(DATA)
    return (
        W + lr * (DATA.T @ ph_data / n - (ALL_V * p[:, None]).T @ ph_model),
        b + lr * (DATA.mean(axis=0) - p @ ALL_V),
        c + lr * (ph_data.mean(axis=0) - p @ ph_model),
    )


def _start():
    rng = np.random.default_rng(0)
    return rng, (0.01 * rng.normal(size=(6, HIDDEN)), np.zeros(6), np.zeros(HIDDEN))


@cache
def _train_cd(lr: float, k: int):
    """Epochs, exact log-likelihood every 10 epochs, and final parameters of CD-k training."""
    rng, params = _start()
    epochs, ll = [], []
    for epoch in range(EPOCHS + 1):
        if epoch % 10 == 0:
            epochs.append(epoch)
            ll.append(_log_likelihood(*params))
        params = _cdk(*params, rng, lr, k)
    return np.array(epochs), np.array(ll), params


@cache
def _train_exact(lr: float):
    _, params = _start()
    ll = []
    for epoch in range(EPOCHS + 1):
        if epoch % 10 == 0:
            ll.append(_log_likelihood(*params))
        params = _exact(*params, lr)
    return np.array(ll)


def _best_log_likelihood() -> float:
    _, counts = np.unique(DATA, axis=0, return_counts=True)
    empirical = counts / counts.sum()
    return float(np.sum(empirical * np.log(empirical)))


def _training_frame(lr: float, k: int) -> dict:
    epochs, cd_ll, _ = _train_cd(lr, k)
    exact_ll = _train_exact(lr)
    best = _best_log_likelihood()
    return {
        "data": [
            {
                "type": "scatter",
                "x": [0, EPOCHS],
                "y": [best, best],
                "mode": "lines",
                "name": f"best possible, {best:.3f}",
                "line": {"color": "#6b7280", "dash": "dot"},
            },
            {
                "type": "scatter",
                "x": epochs,
                "y": exact_ll,
                "mode": "lines",
                "name": "exact gradient",
                "line": {"color": "#f97316", "width": 3},
            },
            {
                "type": "scatter",
                "x": epochs,
                "y": cd_ll,
                "mode": "lines",
                "name": f"CD-{k}",
                "line": {"color": "#2563eb"},
            },
        ],
        "layout": {
            "title": {
                "text": (
                    f"η = {lr:g}, CD-{k}: after {EPOCHS} epochs CD {cd_ll[-1]:.3f},"
                    f" exact {exact_ll[-1]:.3f} nats"
                )
            },
            "xaxis": {"title": {"text": "epoch"}, "range": [0, EPOCHS]},
            "yaxis": {"title": {"text": "average log-likelihood (nats)"}, "range": [-4.3, -1.1]},
            "legend": {
                "orientation": "v",
                "x": 0.98,
                "xanchor": "right",
                "y": 0.05,
                "yanchor": "bottom",
            },
            "height": 420,
        },
    }


def training_explorable() -> Explorable:
    return Explorable(
        params=[
            Param("lr", "learning rate $\\eta$", LEARNING_RATES, initial=LR),
            Param("k", "Gibbs steps $k$ in CD-$k$", GIBBS_STEPS, initial=1),
        ],
        build=_training_frame,
    )


def figures() -> dict[str, go.Figure | Explorable]:
    params = _train_cd(LR, 1)[2]
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
    return {"training": training_explorable(), "model-distribution": dist}
