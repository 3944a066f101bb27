import numpy as np

from apps.sandbox.grading import Call, Grader, plots

GRID = np.linspace(-3.0, 3.0, 7)


def _loss(w, X, y):
    z = X @ w
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _data(rng: np.random.Generator, n: int, d: int, separation: float = 1.0):
    X = rng.normal(size=(n, d))
    w_true = rng.normal(size=d)
    y = (X @ w_true + 0.7 * rng.normal(size=n) > 0).astype(float)
    return X * separation, y


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
        hint="The gradient of the mean loss is X^T (sigma(X w) - y) / N: check the sign (prediction minus label) and the 1/N",
    )


def grade(g: Grader) -> None:
    g.check_close(
        "the loss value",
        "random",
        0,
        rtol=1e-8,
        atol=1e-10,
        points=1,
        hint="L = mean(log(1 + e^z) - y z) with z = X w",
    )
    _gradient_check(g, "random", "gradient agrees with finite differences", 3)
    _gradient_check(g, "other", "gradient agrees at a second point", 1)
    g.check_close(
        "gradient at w = 0",
        "zero",
        1,
        rtol=1e-8,
        atol=1e-10,
        points=1,
        hint="At w = 0 every sigma(z_i) = 1/2, so the gradient is X^T (1/2 - y) / N: check the sign and the 1/N",
    )
    g.check_close(
        "the loss is stable for large scores",
        "separated",
        0,
        rtol=1e-8,
        atol=1e-10,
        points=2,
        hint="log(1 + e^z) overflows for z > 709; np.logaddexp(0, z) computes it stably",
    )
    g.check_close(
        "the gradient is stable for large scores",
        "separated",
        1,
        rtol=1e-7,
        atol=1e-9,
        points=2,
        hint="Compute the sigmoid without overflow, e.g. 0.5 * (1 + tanh(z / 2)); and the loss with np.logaddexp",
    )


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
