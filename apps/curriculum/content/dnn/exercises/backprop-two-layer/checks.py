import numpy as np

from apps.sandbox.grading import Call, Grader, plots
from apps.sandbox.grading.grader import CheckFailed

NAMES = ("dW1", "db1", "dW2", "db2")


def _params(rng, d0, d1, d2):
    return (
        rng.normal(scale=1.0 / np.sqrt(d0), size=(d1, d0)),
        rng.normal(scale=0.3, size=d1),
        rng.normal(scale=1.0 / np.sqrt(d1), size=(d2, d1)),
        rng.normal(scale=0.3, size=d2),
    )


def _loss(X, Y, W1, b1, W2, b2):
    H = np.tanh(X @ W1.T + b1)
    R = H @ W2.T + b2 - Y
    return 0.5 * float(np.sum(R * R)) / X.shape[0]


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(6, 13))
    d0, d1, d2 = 4, int(rng.integers(5, 8)), 3
    X = rng.normal(size=(n, d0))
    Y = rng.normal(size=(n, d2))
    single_X = rng.normal(size=(1, 3))
    single_Y = rng.normal(size=(1, 2))
    return [
        Call(
            "batch",
            "two_layer_gradients",
            (X, Y, *_params(rng, d0, d1, d2)),
            label=f"a batch of {n} samples, widths {d0}-{d1}-{d2}",
        ),
        Call(
            "single",
            "two_layer_gradients",
            (single_X, single_Y, *_params(rng, 3, 5, 2)),
            label="a single sample, widths 3-5-2",
        ),
        Call(
            "large",
            "two_layer_gradients",
            (rng.normal(size=(40, 5)), rng.normal(size=(40, 1)), *_params(rng, 5, 32, 1)),
            label="a batch of 40 samples, widths 5-32-1",
        ),
    ]


def _fd_check(g: Grader, key: str, part: int, hint: str, points: float = 1) -> None:
    args = [np.asarray(a, dtype=float) for a in g.args(key)]

    def f(theta):
        trial = list(args)
        trial[2 + part] = theta
        return _loss(*trial)

    g.check_gradient(
        f"{NAMES[part]} matches finite differences ({g.call(key).description})",
        key,
        f,
        args[2 + part],
        part,
        eps=1e-6,
        rtol=1e-4,
        atol=1e-7,
        points=points,
        hint=hint,
    )


def _factor_n(g: Grader):
    def run():
        n = g.args("batch")[0].shape[0]
        for part in range(4):
            got = g.array("batch", part)
            ref = np.asarray(g.expected("batch", part))
            if np.allclose(got, ref, rtol=1e-6, atol=1e-9):
                continue
            if np.allclose(got, n * ref, rtol=1e-6, atol=1e-9):
                raise CheckFailed(
                    f"{NAMES[part]} is exactly N = {n} times too large: you summed over the batch, "
                    "but the loss is a mean, so the output error is (Yhat - Y) / N"
                )
            raise CheckFailed(
                f"{NAMES[part]} on {g.call('batch').description} does not match the reference"
            )
        return None

    return run


def grade(g: Grader) -> None:
    _fd_check(
        g,
        "batch",
        2,
        "dL/dW2 = G2.T @ H with G2 = (Yhat - Y) / N; it must have the shape (d2, d1) of W2",
        points=1,
    )
    _fd_check(g, "batch", 3, "dL/db2 is G2 summed over the batch axis (axis=0)", points=1)
    _fd_check(
        g,
        "batch",
        0,
        "If dW2 and db2 are right but this is not, check the derivative of tanh: multiply G2 @ W2 "
        "elementwise by 1 - H**2 before forming G1.T @ X",
        points=2,
    )
    _fd_check(
        g,
        "batch",
        1,
        "dL/db1 is G1 summed over the batch axis; check the derivative of tanh",
        points=1,
    )
    g.custom("the loss is a mean over the batch", _factor_n(g), points=1)
    for part in range(4):
        g.check_close(
            f"{NAMES[part]} for a single sample",
            "single",
            part,
            rtol=1e-6,
            atol=1e-10,
            points=0.5,
            hint="Keep the batch axis: with N = 1, X has shape (1, d0) and the gradients keep their parameter shapes",
        )
    g.check_close("dW1 for a wide hidden layer", "large", 0, rtol=1e-6, atol=1e-10, points=1)


def figures(g: Grader) -> None:
    ref = [np.asarray(g.expected("batch", p)) for p in range(4)]
    got = [g.try_array("batch", p) for p in range(4)]
    yours = None if any(x is None for x in got) else np.array([np.linalg.norm(x) for x in got])
    g.figure(
        plots.compare_bars(
            [f"‖{name}‖" for name in NAMES],
            yours,
            np.array([np.linalg.norm(x) for x in ref]),
            title="size of each gradient (Frobenius norm), batch case",
            y_label="norm",
        )
    )
    g.figure(
        plots.heatmap_pair(
            got[0], ref[0], title="∂L/∂W⁽¹⁾: one row per hidden unit, one column per input"
        )
    )
