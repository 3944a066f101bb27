import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from apps.sandbox.grading import Call, Grader, plots
from apps.sandbox.grading.grader import CheckFailed

PARTS = ("losses", "W1", "b1", "W2", "b2")


def _moons(rng, n):
    half = n // 2
    t0 = rng.uniform(0, np.pi, half)
    t1 = rng.uniform(0, np.pi, n - half)
    upper = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    lower = np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)
    X = np.concatenate([upper, lower]) + rng.normal(scale=0.1, size=(n, 2)) - np.array([0.5, 0.25])
    y = np.concatenate([np.zeros(half), np.ones(n - half)])
    order = rng.permutation(n)
    return X[order], y[order]


def _xor(rng, n):
    X = rng.uniform(-1, 1, size=(n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float)
    return X + rng.normal(scale=0.05, size=X.shape), y


def _init(rng, width):
    return (
        rng.normal(scale=1.0, size=(width, 2)),
        rng.normal(scale=0.5, size=width),
        rng.normal(scale=1.0 / np.sqrt(width), size=(1, width)),
        np.zeros(1),
    )


def _logits(X, W1, b1, W2, b2):
    H = np.tanh(X @ W1.T + b1)
    return H, (H @ W2.T + b2)[:, 0]


def _train(X, y, W1, b1, W2, b2, lr, steps):
    """Same algorithm as the reference, used to recognise a mistake (learning rate times N)."""
    W1, b1, W2, b2 = (np.array(p, dtype=float) for p in (W1, b1, W2, b2))
    losses = []
    for t in range(steps + 1):
        H, z = _logits(X, W1, b1, W2, b2)
        losses.append(float(np.mean(np.logaddexp(0.0, z) - y * z)))
        if t == steps:
            break
        g = ((np.exp(-np.logaddexp(0.0, -z)) - y) / len(y))[:, None]
        G1 = (g @ W2) * (1.0 - H * H)
        W2, b2 = W2 - lr * g.T @ H, b2 - lr * g.sum(axis=0)
        W1, b1 = W1 - lr * G1.T @ X, b1 - lr * G1.sum(axis=0)
    return np.array(losses)


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(80, 121))
    Xm, ym = _moons(rng, n)
    Xx, yx = _xor(rng, 80)
    steps = int(rng.integers(250, 351))
    return [
        Call(
            "moons",
            "train_mlp",
            (Xm, ym, *_init(rng, 16), 1.0, steps),
            label=f"two moons, {n} points, 16 hidden units, lr = 1, {steps} steps",
        ),
        Call(
            "xor",
            "train_mlp",
            (Xx, yx, *_init(rng, 8), 0.5, 200),
            label="a noisy XOR pattern, 80 points, 8 hidden units, lr = 0.5, 200 steps",
        ),
        Call(
            "zero",
            "train_mlp",
            (Xx[:10], yx[:10], *_init(rng, 4), 0.5, 0),
            label="steps = 0 on 10 points",
        ),
    ]


def _curve_length(g: Grader, key: str):
    def run():
        steps = g.args(key)[7]
        got = np.asarray(g.output(key, 0), dtype=float)
        if got.ndim != 1 or got.shape[0] != steps + 1:
            raise CheckFailed(
                f"losses on {g.call(key).description} should have steps + 1 = {steps + 1} entries "
                f"(the loss before the first update and after each of the {steps} updates), "
                f"but has shape {tuple(got.shape)}"
            )
        return None

    return run


def _curve(g: Grader, key: str):
    def run():
        ref = np.asarray(g.expected(key, 0))
        got = g.array(key, 0)
        if np.allclose(got, ref, rtol=1e-5, atol=1e-9):
            return None
        if not np.isclose(got[0], ref[0], rtol=1e-6):
            raise CheckFailed(
                f"losses[0] on {g.call(key).description} should be the loss of the initial parameters, "
                f"{ref[0]:.6f}, but is {got[0]:.6f}; compute the loss as the mean of log(1 + e^z) - y z"
            )
        X, y, W1, b1, W2, b2, lr, steps = g.args(key)
        scaled = _train(np.asarray(X), np.asarray(y), W1, b1, W2, b2, lr * len(y), steps)
        # The first steps only: N times the learning rate makes training chaotic, and rounding
        # differences then grow past any tolerance (a verdict by luck otherwise).
        if np.allclose(got[:5], scaled[:5], rtol=1e-5, atol=1e-9, equal_nan=True):
            raise CheckFailed(
                "your loss curve is the one a learning rate N times larger gives: the loss is a mean, "
                "so the output error dL/dz is (sigmoid(z) - y) / N"
            )
        t = int(np.argmax(~np.isclose(got, ref, rtol=1e-5, atol=1e-9)))
        raise CheckFailed(
            f"the loss curve on {g.call(key).description} first departs from the reference at step {t}: "
            f"expected {ref[t]:.6f}, got {got[t]:.6f}. Check the gradients (and that all four parameters are updated)"
        )

    return run


def grade(g: Grader) -> None:
    g.custom("the loss curve has steps + 1 entries", _curve_length(g, "moons"), points=1)
    g.custom("the loss curve on two moons", _curve(g, "moons"), points=3)
    for part in range(1, 5):
        g.check_close(
            f"final {PARTS[part]} on two moons",
            "moons",
            part,
            rtol=1e-5,
            atol=1e-8,
            points=0.5,
            hint="Update every parameter with the same learning rate, once per step",
        )
    g.custom("the loss curve on XOR", _curve(g, "xor"), points=2)
    g.custom("steps = 0 gives one loss", _curve_length(g, "zero"), points=0.5)
    for part in range(1, 5):
        g.check_close(
            f"steps = 0 returns the initial {PARTS[part]}",
            "zero",
            part,
            rtol=1e-12,
            atol=1e-12,
            points=0.25,
            hint="With steps = 0 nothing is updated",
        )


def figures(g: Grader) -> None:
    ref = np.asarray(g.expected("moons", 0))
    yours = g.try_array("moons", 0)
    t = np.arange(ref.shape[0])
    g.figure(
        plots.compare_lines(
            t,
            yours,
            ref,
            title="training loss on two moons",
            x_label="step t",
            y_label="mean logistic loss (nats)",
            log_y=True,
        )
    )
    X, y = np.asarray(g.arg("moons", 0)), np.asarray(g.arg("moons", 1))
    xs = np.linspace(X[:, 0].min() - 0.3, X[:, 0].max() + 0.3, 40)
    ys = np.linspace(X[:, 1].min() - 0.3, X[:, 1].max() + 0.3, 40)
    grid = np.array([[a, b] for b in ys for a in xs])
    fig = make_subplots(rows=1, cols=2, subplot_titles=("yours", "reference"))
    for col, key_source in ((1, "yours"), (2, "reference")):
        if key_source == "yours":
            params = [g.try_array("moons", p) for p in range(1, 5)]
            if any(p is None for p in params) or not all(np.all(np.isfinite(p)) for p in params):
                continue
        else:
            params = [np.asarray(g.expected("moons", p)) for p in range(1, 5)]
        _, z = _logits(grid, *params)
        prob = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        fig.add_trace(
            go.Contour(
                x=xs,
                y=ys,
                z=prob.reshape(40, 40),
                colorscale="RdBu",
                zmin=0,
                zmax=1,
                showscale=False,
                contours={"start": 0, "end": 1, "size": 0.1},
                opacity=0.8,
                name="P(class 1)",
            ),
            row=1,
            col=col,
        )
        for label, colour in ((0, "#111827"), (1, "#f9fafb")):
            pts = X[y == label]
            fig.add_trace(
                go.Scatter(
                    x=pts[:, 0],
                    y=pts[:, 1],
                    mode="markers",
                    name=f"class {label}",
                    showlegend=col == 2,
                    marker={"size": 5, "color": colour, "line": {"width": 1, "color": "#374151"}},
                ),
                row=1,
                col=col,
            )
    fig.update_layout(
        title={"text": "decision boundary after training: P(class 1) over the plane"}, height=400
    )
    g.figure(fig)
