import numpy as np

from apps.sandbox.grading import Call, CheckFailed, FnSpec, Grader, plots

QUADRATIC = "def grad(x):\n    return A @ x - b\n"
MATRIX = "def grad(X):\n    return A @ X - B\n"


def _spd(rng, condition):
    angle = rng.uniform(0, np.pi)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return rot @ np.diag([1.0, condition]) @ rot.T


def cases(rng: np.random.Generator) -> list[Call]:
    a_round, a_narrow = _spd(rng, rng.uniform(1.5, 3.0)), _spd(rng, rng.uniform(10.0, 25.0))
    b = rng.normal(size=2)
    x0 = rng.uniform(-3, 3, size=2)
    big = np.linalg.eigvalsh(a_narrow).max()
    m = rng.normal(size=(3, 3))
    a3 = m @ m.T + 3 * np.eye(3)
    return [
        Call(
            "round",
            "gradient_descent",
            (FnSpec(QUADRATIC, "grad", {"A": a_round, "b": b}), x0, 0.3, 40),
            label="a round quadratic bowl, lr = 0.3, 40 steps",
        ),
        Call(
            "narrow",
            "gradient_descent",
            (FnSpec(QUADRATIC, "grad", {"A": a_narrow, "b": b}), x0, 1.8 / big, 60),
            label="a narrow quadratic valley, lr = 1.8 / lambda_max, 60 steps",
        ),
        Call(
            "diverge",
            "gradient_descent",
            (FnSpec(QUADRATIC, "grad", {"A": a_narrow, "b": b}), x0, 2.2 / big, 25),
            label="a learning rate above 2 / lambda_max, 25 steps",
        ),
        Call(
            "matrix",
            "gradient_descent",
            (
                FnSpec(MATRIX, "grad", {"A": a3, "B": rng.normal(size=(3, 2))}),
                rng.normal(size=(3, 2)),
                0.05,
                10,
            ),
            label="a starting point of shape (3, 2), 10 steps",
        ),
        Call(
            "zero",
            "gradient_descent",
            (FnSpec(QUADRATIC, "grad", {"A": a_round, "b": b}), x0, 0.3, 0),
            label="steps = 0",
        ),
    ]


def grade(g: Grader) -> None:
    def includes_x0():
        _, x0, _, steps = g.args("round")
        value = np.asarray(g.output("round"), dtype=float)
        if value.ndim == 0 or value.shape[0] != steps + 1:
            rows = "a scalar" if value.ndim == 0 else f"{value.shape[0]} rows"
            raise CheckFailed(
                f"for {steps} steps you returned {rows}; the iterates must include x0 as row 0, "
                f"so there are steps + 1 = {steps + 1} rows"
            )
        if not np.allclose(value[0], x0):
            return f"row 0 must be x0 = {np.round(x0, 4)}, but is {np.round(value[0], 4)}"
        return None

    g.custom("returns steps + 1 iterates, starting at x0", includes_x0, points=2)

    def distinct():
        got = g.array("round")
        ref = np.asarray(g.expected("round"))
        if np.allclose(got, got[-1]) and not np.allclose(ref, ref[-1]):
            return (
                "every row of your result is the same point: the iterates were updated in-place after being "
                "stored, so write x = x - lr * grad(x) instead of x -= ..."
            )
        return None

    g.custom("stores each iterate, not one array updated in-place", distinct)
    g.check_close(
        "follows x_{t+1} = x_t - lr grad(x_t) in a round bowl",
        "round",
        rtol=1e-7,
        atol=1e-9,
        points=2,
    )
    g.check_close("follows the update in a narrow valley", "narrow", rtol=1e-7, atol=1e-9)
    g.check_close(
        "returns the diverging iterates exactly",
        "diverge",
        rtol=1e-7,
        atol=1e-9,
        hint="Do not stop early or clip: return every one of the steps + 1 iterates",
    )
    g.check_close(
        "keeps the shape of a matrix-valued x0",
        "matrix",
        rtol=1e-7,
        atol=1e-9,
        hint="The result has shape (steps + 1, *x0.shape)",
    )
    g.check_close("steps = 0 gives x0 alone, shape (1, d)", "zero", rtol=1e-12)


def _loss(spec, path):
    a, b = spec.env["A"], spec.env["b"]
    return np.array([0.5 * p @ a @ p - b @ p for p in path])


def figures(g: Grader) -> None:
    spec = g.arg("narrow", 0)
    a, b = spec.env["A"], spec.env["b"]
    ref = np.asarray(g.expected("narrow"))
    yours = g.try_array("narrow")
    paths = {"reference": ref}
    if yours is not None and np.all(np.isfinite(yours)):
        paths["yours"] = np.clip(yours, -50, 50)
    lo, hi = ref.min(axis=0) - 1.0, ref.max(axis=0) + 1.0
    xs, ys = np.linspace(lo[0], hi[0], 60), np.linspace(lo[1], hi[1], 60)
    gx, gy = np.meshgrid(xs, ys)
    pts = np.stack([gx, gy], axis=-1)
    z = 0.5 * np.einsum("...i,ij,...j->...", pts, a, pts) - pts @ b
    g.figure(
        plots.contour_with_paths(xs, ys, z, paths, title="gradient descent in a narrow valley")
    )
    x_star = np.linalg.solve(a, b)
    f_star = 0.5 * x_star @ a @ x_star - b @ x_star
    steps = np.arange(ref.shape[0])
    gap_ref = np.maximum(_loss(spec, ref) - f_star, 1e-16)
    gap_yours = None if yours is None else np.maximum(_loss(spec, yours) - f_star, 1e-16)
    g.figure(
        plots.compare_lines(
            steps,
            gap_yours,
            gap_ref,
            title="loss above the minimum, by step",
            x_label="step t",
            y_label="f(x_t) - f(x*)",
            log_y=True,
        )
    )
