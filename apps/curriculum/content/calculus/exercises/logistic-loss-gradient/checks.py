import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

GRID = np.linspace(-3.0, 3.0, 7)


def _loss(w, X, y):
    z = X @ w
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _data(rng: np.random.Generator, n: int, d: int, separation: float = 1.0):
    X = rng.normal(size=(n, d))
    w_true = rng.normal(size=d)
    y = (X @ w_true + 0.7 * rng.normal(size=n) > 0).astype(float)
    return X * separation, y


# Scores on both sides of the float64 overflow at z = 709.78, samples on both sides of the
# boundary: every naive log(1 + e^z) overflows here, under every seed.
EXTREME_Z = np.array([-1500.0, -800.0, -710.0, -30.0, 0.0, 30.0, 710.0, 800.0, 1500.0])
EXTREME_Y = np.array([0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0])
# Scores where sigma(z) rounds to exactly 0 or 1 (|z| > 37) but e^z does not overflow.
MODERATE_Z = np.array([-300.0, -45.0, -40.0, 40.0, 45.0, 300.0])
MODERATE_Y = np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0])


def _scored(z):
    """Rows x_i with x_i . (1, 2) = z_i exactly (small integers, exact in float64)."""
    return np.stack([z - 2.0 * np.round(z / 4), np.round(z / 4)], axis=1)


def cases(rng: np.random.Generator) -> list[Call]:
    d = int(rng.integers(3, 6))
    X, y = _data(rng, 30, d)
    Xs, ys = _data(rng, 25, d, separation=300.0)
    X2, y2 = _data(rng, 40, 2)
    calls = [
        Call(
            "random",
            "logistic_loss_and_gradient",
            (rng.normal(size=d), X, y),
            label=f"random data, N = 30, d = {d}",
        ),
        Call(
            "other",
            "logistic_loss_and_gradient",
            (2.0 * rng.normal(size=d), X, y),
            label="the same data at another w",
        ),
        Call(
            "zero",
            "logistic_loss_and_gradient",
            (np.zeros(d), X, y),
            label="w = 0 (every sigma(z) = 1/2)",
        ),
        Call(
            "separated",
            "logistic_loss_and_gradient",
            (rng.normal(size=d), Xs, ys),
            label="well-separated data with scores |z| in the hundreds",
        ),
        Call(
            "extreme",
            "logistic_loss_and_gradient",
            (np.array([1.0, 2.0]), _scored(EXTREME_Z), EXTREME_Y),
            label="scores z = -1500, -800, -710, -30, 0, 30, 710, 800, 1500",
        ),
        Call(
            "moderate",
            "logistic_loss_and_gradient",
            (np.array([1.0, 2.0]), _scored(MODERATE_Z), MODERATE_Y),
            label="scores z = -300, -45, -40, 40, 45, 300",
        ),
    ]
    for i, a in enumerate(GRID):
        for j, b in enumerate(GRID):
            calls.append(
                Call(
                    f"grid{i}_{j}",
                    "logistic_loss_and_gradient",
                    (np.array([a, b]), X2, y2),
                    label=f"2-d data at w = ({a:g}, {b:g})",
                )
            )
    return calls


def _gradient_check(g: Grader, key: str, name: str, points: float) -> None:
    w, X, y = (np.asarray(a, dtype=float) for a in g.args(key))
    g.check_gradient(
        name,
        key,
        lambda v: _loss(v, X, y),
        w,
        part=1,
        eps=1e-6,
        rtol=1e-5,
        atol=1e-7,
        points=points,
    )


def _loss_atol(g: Grader, key: str) -> float:
    # Each score z = x.w carries a rounding error of about |z| x 6e-8 in float32; the loss
    # inherits it absolutely, so the tolerance grows with the largest score.
    w, X, _ = (np.asarray(a, dtype=float) for a in g.args(key))
    return max(1e-8, 8 * 2.0**-24 * float(np.abs(X @ w).max()))


def grade(g: Grader) -> None:
    g.check_close("the loss value", "random", 0, points=1)
    _gradient_check(g, "random", "gradient agrees with finite differences", 2)
    _gradient_check(g, "other", "gradient agrees at a second point", 1)
    g.check_close("gradient at w = 0", "zero", 1, points=1)
    stress = (
        ("separated", "large scores"),
        ("moderate", "scores where sigma(z) rounds to 0 or 1"),
        ("extreme", "scores beyond ±709"),
    )
    for key, what in stress:
        g.check_close(f"the loss is stable for {what}", key, 0, atol=_loss_atol(g, key), points=1.5)
        g.check_close(f"the gradient is stable for {what}", key, 1, points=1.5)


# --- known mistakes ------------------------------------------------------------------------
def _parts(w, X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    z = X @ np.asarray(w, dtype=float)
    return X, y, z, 0.5 * (1.0 + np.tanh(0.5 * z))


def _right_loss(z, y):
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _naive_softplus(w, X, y):
    X, y, z, s = _parts(w, X, y)
    return float(np.mean(np.log(1.0 + np.exp(z)) - y * z)), X.T @ (s - y) / len(y)


def _log_sigmoid(w, X, y, clip=0.0):
    X, y, _, s = _parts(w, X, y)
    sc = np.clip(s, clip, 1 - clip) if clip else s
    loss = -np.mean(y * np.log(sc) + (1 - y) * np.log(1 - sc))
    return float(loss), X.T @ (s - y) / len(y)


def _gradient(residual, divide_by):
    def wrong(w, X, y):
        X, y, z, s = _parts(w, X, y)
        n = {"N": len(y), "d": X.shape[1], "1": 1}[divide_by]
        return _right_loss(z, y), X.T @ residual(s, y, z) / n

    return wrong


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "naive-softplus",
            diagnosis=(
                "Your loss computes log(1 + e^z) as written: e^z overflows to inf once a score "
                "z passes 709, and the loss becomes inf."
            ),
            fix="Compute log(1 + e^z) with np.logaddexp(0, z), which never overflows.",
            hints=("Try np.log(1 + np.exp(800.0)) and np.logaddexp(0, 800.0).",),
            wrong=_naive_softplus,
        ),
        Mistake(
            "log-of-sigmoid",
            diagnosis=(
                "Your loss takes log(sigma(z)) and log(1 - sigma(z)): sigma(z) rounds to exactly "
                "1 or 0 once |z| passes about 37, and log(0) is -inf."
            ),
            fix=(
                "Use the form the prompt derives, mean(log(1 + e^z) - y z), with "
                "np.logaddexp(0, z) for log(1 + e^z)."
            ),
            wrong=_log_sigmoid,
        ),
        Mistake(
            "clipped-log-sigmoid",
            diagnosis=(
                "You clip sigma(z) to [1e-15, 1 - 1e-15] before the logarithm, which caps each "
                "sample's loss near 34.5 nats: for scores in the hundreds the loss is far too small."
            ),
            fix="Use mean(log(1 + e^z) - y z) with np.logaddexp(0, z); no clipping is needed.",
            wrong=lambda w, X, y: _log_sigmoid(w, X, y, clip=1e-15),
        ),
        Mistake(
            "gradient-sign",
            diagnosis=(
                "Your gradient has the opposite sign: you use y - sigma(z) where the derivative "
                "of log(1 + e^z) - y z is sigma(z) - y."
            ),
            fix="grad = X.T @ (sigma(z) - y) / N: prediction minus label.",
            wrong=_gradient(lambda s, y, z: y - s, "N"),
        ),
        Mistake(
            "gradient-not-averaged",
            diagnosis=(
                "Your gradient is the gradient of the summed loss, N times too large: the loss is "
                "a mean over the N samples, and so is its gradient."
            ),
            fix="Divide X.T @ (sigma(z) - y) by N = len(y).",
            wrong=_gradient(lambda s, y, z: s - y, "1"),
        ),
        Mistake(
            "gradient-over-d",
            diagnosis=(
                "Your gradient divides by the number of features d instead of the number of "
                "samples N."
            ),
            fix="The mean runs over the N rows of X: divide by N = len(y) = X.shape[0].",
            wrong=_gradient(lambda s, y, z: s - y, "d"),
        ),
        Mistake(
            "scores-not-sigmoid",
            diagnosis=(
                "Your gradient uses the raw scores z where it needs sigma(z): the derivative of "
                "log(1 + e^z) is sigma(z), not z."
            ),
            fix="grad = X.T @ (sigma(z) - y) / N with sigma(z) = 0.5 * (1 + tanh(z / 2)).",
            wrong=_gradient(lambda s, y, z: z - y, "N"),
        ),
    ]


def figures(g: Grader) -> None:
    _, X, y = (np.asarray(a, dtype=float) for a in g.args("grid0_0"))
    fine = np.linspace(-3.3, 3.3, 41)
    z = np.array([[_loss(np.array([a, b]), X, y) for a in fine] for b in fine])
    title = "Logistic loss over w = (w₁, w₂) with its negative gradient field"
    fig = plots.contour_with_paths(fine, fine, z, {}, title=title)
    reference = np.array(
        [
            [np.asarray(g.expected(f"grid{i}_{j}", 1)) for i in range(GRID.size)]
            for j in range(GRID.size)
        ]
    )
    fig = plots.vector_field(
        GRID,
        GRID,
        -reference[..., 0],
        -reference[..., 1],
        title=title,
        scale=0.5,
        name="reference −∇L",
        color=plots.REFERENCE,
        fig=fig,
    )
    yours = np.full_like(reference, np.nan)
    for i in range(GRID.size):
        for j in range(GRID.size):
            got = g.try_array(f"grid{i}_{j}", 1, shape=(2,))
            if got is not None:
                yours[j, i] = got
    if np.all(np.isfinite(yours)):
        ratio = np.hypot(yours[..., 0], yours[..., 1]).max() / max(
            np.hypot(reference[..., 0], reference[..., 1]).max(), 1e-300
        )
        fig = plots.vector_field(
            GRID,
            GRID,
            -yours[..., 0],
            -yours[..., 1],
            title=title,
            scale=0.5 * min(ratio, 3.0),
            name="your −∇L",
            color=plots.LEARNER,
            fig=fig,
        )
    g.figure(fig)
