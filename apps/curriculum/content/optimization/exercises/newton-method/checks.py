import numpy as np

from apps.sandbox.grading import Call, FnSpec, Grader, Mistake, plots

QUAD_GRAD = "def grad(x):\n    return A @ x - b\n"
QUAD_HESS = "def hess(x):\n    return A\n"
LOGREG_GRAD = (
    "def grad(x):\n"
    "    s = 1 / (1 + np.exp(y * (X @ x)))\n"
    "    return -(X * (y * s)[:, None]).sum(axis=0) + mu * x\n"
)
LOGREG_HESS = (
    "def hess(x):\n"
    "    p = 1 / (1 + np.exp(-(X @ x)))\n"
    "    return (X * (p * (1 - p))[:, None]).T @ X + mu * np.eye(X.shape[1])\n"
)
ROSEN_GRAD = (
    "def grad(x):\n"
    "    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])\n"
)
ROSEN_HESS = (
    "def hess(x):\n"
    "    return np.array([[2 - 400 * x[1] + 1200 * x[0] ** 2, -400 * x[0]], [-400 * x[0], 200.0]])\n"
)


def cases(rng: np.random.Generator) -> list[Call]:
    m = rng.normal(size=(3, 3))
    a = m @ m.T + 0.5 * np.eye(3)
    b = rng.normal(size=3)
    d, n = int(rng.integers(3, 6)), 40
    features = rng.normal(size=(n, d))
    labels = np.sign(features @ rng.normal(size=d) + 0.5 * rng.normal(size=n))
    env = {"X": features, "y": labels, "mu": 0.1}
    r0 = np.array([-1.2, 1.0]) + rng.uniform(-0.1, 0.1, size=2)
    return [
        Call(
            "quad",
            "newton",
            (
                FnSpec(QUAD_GRAD, "grad", {"A": a, "b": b}),
                FnSpec(QUAD_HESS, "hess", {"A": a}),
                rng.normal(size=3) * 3,
                3,
            ),
            label="a quadratic bowl with a non-diagonal Hessian",
        ),
        Call(
            "logreg",
            "newton",
            (FnSpec(LOGREG_GRAD, "grad", env), FnSpec(LOGREG_HESS, "hess", env), np.zeros(d), 8),
            label=f"an L2-regularised logistic loss in {d} dimensions",
        ),
        Call(
            "rosen",
            "newton",
            (FnSpec(ROSEN_GRAD, "grad"), FnSpec(ROSEN_HESS, "hess"), np.array([-1.2, 1.0]), 7),
            label="the Rosenbrock function from (-1.2, 1)",
        ),
        Call(
            "rosen-near",
            "newton",
            (FnSpec(ROSEN_GRAD, "grad"), FnSpec(ROSEN_HESS, "hess"), r0, 7),
            label=f"the Rosenbrock function from ({r0[0]:.3f}, {r0[1]:.3f})",
        ),
        Call(
            "zero",
            "newton",
            (
                FnSpec(QUAD_GRAD, "grad", {"A": a, "b": b}),
                FnSpec(QUAD_HESS, "hess", {"A": a}),
                np.ones(3),
                0,
            ),
            label="steps = 0",
        ),
    ]


def grade(g: Grader) -> None:
    g.check_close("iterates on a quadratic bowl (one step reaches the minimiser)", "quad", points=3)
    g.check_close("iterates on a regularised logistic loss", "logreg", points=2)
    g.check_close("iterates on the Rosenbrock function from (-1.2, 1)", "rosen", points=2)
    g.check_close("iterates from a nearby start", "rosen-near")
    g.check_close("steps = 0 gives x0 alone", "zero")


# --- known mistakes ------------------------------------------------------------------------
def _iterate(step, *, frozen=False, updates=lambda steps: steps):
    """Newton's skeleton with its step (x, g, H) -> x_next done the wrong way."""

    def newton(grad, hess, x0, steps):
        x = np.array(x0, dtype=float)
        first = np.asarray(hess(x), dtype=float)
        xs = [x.copy()]
        for _ in range(updates(steps)):
            h = first if frozen else np.asarray(hess(x), dtype=float)
            x = step(x, np.asarray(grad(x), dtype=float), h)
            xs.append(x.copy())
        return np.array(xs)

    return newton


def _solve(x, g, h):
    return x - np.linalg.solve(h, g)


def _lstsq_roles(x, g, h):
    return x - np.linalg.lstsq(g[:, None], h, rcond=None)[0][0]


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "diagonal-hessian",
            diagnosis=(
                "You divide the gradient by the Hessian's diagonal: that ignores its off-diagonal "
                "entries, so even on a quadratic the step misses the minimiser."
            ),
            fix="Solve with the full Hessian: x - np.linalg.solve(hess(x), grad(x)).",
            wrong=_iterate(lambda x, g, h: x - g / np.diag(h)),
        ),
        Mistake(
            "hessian-multiplied",
            diagnosis="You multiply the gradient by the Hessian, x - H g; the Newton step solves H d = g.",
            fix="d = np.linalg.solve(hess(x), grad(x)); x = x - d.",
            wrong=_iterate(lambda x, g, h: x - h @ g),
        ),
        Mistake(
            "step-sign",
            diagnosis="You add the Newton step, x + H^-1 g: that heads uphill, away from the minimiser.",
            fix="x = x - np.linalg.solve(hess(x), grad(x)).",
            wrong=_iterate(lambda x, g, h: x + np.linalg.solve(h, g)),
        ),
        Mistake(
            "frozen-hessian",
            diagnosis=(
                "You evaluate the Hessian once, at x0, and reuse it: exact for a quadratic, but "
                "elsewhere Newton's method needs the curvature at the current iterate."
            ),
            fix="Call hess(x) at every step.",
            wrong=_iterate(_solve, frozen=True),
        ),
        Mistake(
            "one-step-short",
            diagnosis="You take steps - 1 updates (range(1, steps)), so the result is one row short.",
            fix="Loop range(steps): steps updates give steps + 1 rows.",
            wrong=_iterate(_solve, updates=lambda steps: max(steps - 1, 0)),
        ),
        Mistake(
            "lstsq-roles-swapped",
            diagnosis=(
                "Your np.linalg.lstsq call has its arguments in the wrong roles: it fits the "
                "Hessian's rows by the gradient instead of solving H d = g."
            ),
            fix="d = np.linalg.solve(hess(x), grad(x)) (the matrix first, the right-hand side second).",
            wrong=_iterate(_lstsq_roles),
        ),
    ]


def figures(g: Grader) -> None:
    gspec = g.arg("logreg", 0)
    grad = gspec.build()
    ref = np.asarray(g.expected("logreg"))
    yours = g.try_array("logreg")

    def norms(path):
        return None if path is None else np.maximum([np.linalg.norm(grad(p)) for p in path], 1e-16)

    steps = np.arange(ref.shape[0])
    fig = plots.compare_lines(
        steps,
        norms(yours),
        norms(ref),
        title="gradient norm by step: Newton against gradient descent",
        x_label="step t",
        y_label="||grad f(x_t)||",
        log_y=True,
    )
    fig.data[0].name = "reference Newton"
    hess = g.arg("logreg", 1).build()
    lr = 1.0 / np.linalg.eigvalsh(hess(ref[0])).max()
    x, gd = ref[0].copy(), [ref[0].copy()]
    for _ in range(steps[-1]):
        x = x - lr * grad(x)
        gd.append(x)
    fig.add_scatter(
        x=steps,
        y=norms(np.array(gd)),
        name="gradient descent, lr = 1 / lambda_max",
        line={"color": plots.NEUTRAL},
    )
    g.figure(fig)

    ref = np.asarray(g.expected("rosen"))
    paths = {"reference": ref}
    yr = g.try_array("rosen")
    if yr is not None and np.all(np.isfinite(yr)):
        paths["yours"] = np.clip(yr, -3, 4)
    xs, ys = np.linspace(-2.0, 2.0, 60), np.linspace(-1.5, 3.0, 60)
    gx, gy = np.meshgrid(xs, ys)
    z = np.log1p((1 - gx) ** 2 + 100 * (gy - gx**2) ** 2)
    g.figure(
        plots.contour_with_paths(
            xs, ys, z, paths, title="Newton's method on the Rosenbrock function from (-1.2, 1)"
        )
    )
