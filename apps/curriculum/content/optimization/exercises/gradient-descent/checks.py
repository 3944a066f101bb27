import numpy as np

from apps.sandbox.grading import Call, CheckFailed, FnSpec, Grader, Mistake, changes_argument, plots

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
                f"for {steps} steps you returned {rows}; the iterates x_0, ..., x_steps "
                f"are steps + 1 = {steps + 1} rows"
            )
        if not np.allclose(value[0], x0):
            return f"row 0 should be x0 = {np.round(x0, 6)}, but is {np.round(value[0], 6)}"
        return None

    g.custom("returns steps + 1 iterates, starting at x0", includes_x0, points=2)

    def distinct():
        got = g.array("round")
        ref = np.asarray(g.expected("round"))
        if np.allclose(got, got[-1]) and not np.allclose(ref, ref[-1]):
            return (
                f"every row of your result is the same point, {np.round(got[-1], 6)}; "
                "the iterates should move from x0 towards the minimum"
            )
        return None

    g.custom("stores each iterate as it was", distinct)
    # Default tolerances (NOTATION.md): at most 60 contracting steps, so a float32 run passes;
    # the diverging case grows by 1.2 per step, and its rounding grows with it (relative).
    g.check_close("follows x_{t+1} = x_t - lr grad(x_t) in a round bowl", "round", points=2)
    g.check_close("follows the update in a narrow valley", "narrow")
    g.check_close("returns the diverging iterates exactly", "diverge")
    g.check_close("keeps the shape of a matrix-valued x0", "matrix")
    g.check_close("steps = 0 gives x0 alone, shape (1, *x0.shape)", "zero")
    g.check_inputs_unchanged("leaves the caller's x0 unchanged")


def _wrong(*, drop_x0=False, alias=False, ascent=False, flatten=False):
    def gradient_descent(grad, x0, lr, steps):
        x = np.array(x0, dtype=float)
        iterates = [] if drop_x0 else [x]
        sign = 1.0 if ascent else -1.0
        for _ in range(steps):
            if alias:
                x += sign * lr * np.asarray(grad(x), dtype=float)
            else:
                x = x + sign * lr * np.asarray(grad(x), dtype=float)
            iterates.append(x)
        out = np.array(iterates)
        if flatten:
            out = out.reshape(len(iterates), -1)
        return out

    return gradient_descent


def _misses_last(grad, x0, lr, steps):
    x = np.array(x0, dtype=float)
    iterates = []
    for _ in range(steps):
        iterates.append(x)
        x = x - lr * np.asarray(grad(x), dtype=float)
    return np.array(iterates)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "drops-x0",
            diagnosis=(
                "Your iterates start after the first step: x0 itself is missing, so you return "
                "steps rows, x_1, ..., x_steps, instead of steps + 1."
            ),
            fix="Start the list with x0 (a float copy of it), then append each new point.",
            wrong=_wrong(drop_x0=True),
        ),
        Mistake(
            "misses-last",
            diagnosis=(
                "You store the current point before each update, so the list holds x_0, ..., "
                "x_{steps-1}: the last iterate is computed but never stored."
            ),
            fix="Append the new point after each update (the list starts with x0).",
            wrong=_misses_last,
        ),
        Mistake(
            "stored-alias",
            diagnosis=(
                "You update x in place (x -= lr * grad(x)) after storing it, so every stored "
                "row is the same array and shows the last iterate."
            ),
            fix="Write x = x - lr * grad(x), which makes a new array for each step.",
            wrong=_wrong(alias=True),
        ),
        Mistake(
            "ascent",
            diagnosis=(
                "You step along the gradient, x + lr grad(x): that is gradient ascent, and the "
                "iterates climb away from the minimum."
            ),
            fix="Subtract: x = x - lr * grad(x).",
            wrong=_wrong(ascent=True),
        ),
        Mistake(
            "flattened-rows",
            diagnosis=(
                "You store flattened iterates, so a matrix x0 of shape (3, 2) comes back as "
                "rows of length 6 instead of shape (steps + 1, 3, 2)."
            ),
            fix="Keep each iterate's shape: np.array(iterates) of arrays shaped like x0.",
            wrong=_wrong(flatten=True),
        ),
        Mistake(
            "mutates-x0",
            diagnosis=(
                "Your iterates are right, but you work on x0 itself (x = x0, then x -= ...), so "
                "the caller's x0 is overwritten with the last iterate."
            ),
            fix="Start from a copy: x = np.array(x0, dtype=float) or x0.astype(float).",
            predicate=changes_argument("x0"),
        ),
    ]


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
