import numpy as np

from apps.sandbox.grading import Call, FnSpec, Grader, Mistake, plots

QUADRATIC = "def grad(x):\n    return A @ x\n"
ROSENBROCK = (
    "def grad(x):\n"
    "    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])\n"
)


def _rosenbrock(p):
    p = np.asarray(p)
    return (1 - p[..., 0]) ** 2 + 100 * (p[..., 1] - p[..., 0] ** 2) ** 2


def cases(rng: np.random.Generator) -> list[Call]:
    angle = rng.uniform(0, np.pi)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    a = rot @ np.diag([1.0, rng.uniform(30.0, 60.0)]) @ rot.T
    quad = FnSpec(QUADRATIC, "grad", {"A": a})
    rosen = FnSpec(ROSENBROCK, "grad")
    x0 = rng.uniform(-3, 3, size=2)
    r0 = np.array([rng.uniform(-1.6, -1.0), rng.uniform(1.5, 2.5)])
    lam = np.linalg.eigvalsh(a).max()
    return [
        Call(
            "mom-quad",
            "momentum",
            (quad, x0, 1.0 / lam, 0.8, 60),
            label="an ill-conditioned quadratic, beta = 0.8",
        ),
        Call(
            "mom-zero",
            "momentum",
            (quad, x0, 1.0 / lam, 0.0, 30),
            label="beta = 0 (plain gradient descent)",
        ),
        Call(
            "mom-rosen",
            "momentum",
            (rosen, r0, 2e-4, 0.9, 300),
            label="the Rosenbrock function, beta = 0.9",
        ),
        Call(
            "adam-quad", "adam", (quad, x0, 0.1, 60), label="an ill-conditioned quadratic, lr = 0.1"
        ),
        Call(
            "adam-rosen", "adam", (rosen, r0, 0.05, 300), label="the Rosenbrock function, lr = 0.05"
        ),
        Call(
            "adam-betas",
            "adam",
            (quad, x0, 0.05, 20),
            {"beta1": 0.5, "beta2": 0.9},
            label="beta1 = 0.5, beta2 = 0.9",
        ),
        Call("adam-zero", "adam", (quad, x0, 0.1, 0), label="steps = 0"),
        # Gradients of about 1e-5: sqrt(s) is within a few hundred eps, where the place of eps shows.
        Call(
            "adam-flat",
            "adam",
            (FnSpec(QUADRATIC, "grad", {"A": 1e-6 * a}), x0, 0.1, 20),
            label="a very flat quadratic (gradients of about 1e-5)",
        ),
    ]


def grade(g: Grader) -> None:
    g.check_close("momentum on an ill-conditioned quadratic", "mom-quad", points=2)
    g.check_close("momentum with beta = 0 is gradient descent", "mom-zero")
    g.check_close("momentum on the Rosenbrock function", "mom-rosen")

    def first_step():
        _, x0, lr, _ = g.args("adam-quad")
        got = g.array("adam-quad")
        moved = np.abs(got[1] - np.asarray(x0))
        if not np.allclose(moved, lr, rtol=1e-4):
            return (
                f"the first Adam step should move each coordinate by about lr = {lr:g}, but "
                f"moved by {np.round(moved, 5)}"
            )
        return None

    g.custom("the first Adam step has size lr in every coordinate", first_step, points=2)
    g.check_close("Adam on an ill-conditioned quadratic", "adam-quad")
    g.check_close("Adam on the Rosenbrock function", "adam-rosen")
    g.check_close("Adam honours beta1 and beta2", "adam-betas")
    g.check_close("Adam on a very flat quadratic", "adam-flat")
    g.check_close("steps = 0 gives x0 alone", "adam-zero")


# --- known mistakes ------------------------------------------------------------------------
def _momentum(*, damped=False, stale=False):
    def momentum(grad, x0, lr, beta, steps):
        x = np.array(x0, dtype=float)
        v = np.zeros_like(x)
        xs = [x.copy()]
        for _ in range(steps):
            if stale:
                x = x - lr * v
            g = np.asarray(grad(x), dtype=float)
            v = beta * v + ((1 - beta) * g if damped else g)
            if not stale:
                x = x - lr * v
            xs.append(x.copy())
        return np.array(xs)

    return momentum


def _adam(*, correct=True, into_state=False, eps_inside=False, fixed_betas=False, first_t=1):
    def adam(grad, x0, lr, steps, beta1=0.9, beta2=0.999, eps=1e-8):
        if fixed_betas:
            beta1, beta2 = 0.9, 0.999
        x = np.array(x0, dtype=float)
        m, s = np.zeros_like(x), np.zeros_like(x)
        xs = [x.copy()]
        for t in range(first_t, steps + first_t):
            g = np.asarray(grad(x), dtype=float)
            m = beta1 * m + (1 - beta1) * g
            s = beta2 * s + (1 - beta2) * g * g
            m_hat, s_hat = m, s
            if correct:
                with np.errstate(divide="ignore", invalid="ignore"):
                    m_hat, s_hat = m / (1 - beta1**t), s / (1 - beta2**t)
            if into_state:
                m, s = m_hat, s_hat
            denominator = np.sqrt(s_hat + eps) if eps_inside else np.sqrt(s_hat) + eps
            x = x - lr * m_hat / denominator
            xs.append(x.copy())
        return np.array(xs)

    return adam


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "damped-momentum",
            diagnosis=(
                "Your velocity is beta v + (1 - beta) grad, an exponential average: the "
                "heavy-ball method of the prompt adds the whole gradient, v = beta v + grad."
            ),
            fix="v = beta * v + grad(x); x = x - lr * v.",
            wrong={"momentum": _momentum(damped=True)},
        ),
        Mistake(
            "stale-velocity",
            diagnosis=(
                "You move with the old velocity before updating it: the first step does not move, "
                "and every later step lags one gradient behind."
            ),
            fix="Update v first, v = beta * v + grad(x), then x = x - lr * v.",
            wrong={"momentum": _momentum(stale=True)},
        ),
        Mistake(
            "no-bias-correction",
            diagnosis=(
                "Your Adam step uses m and s without the bias correction: both start at 0, so the "
                "early steps are far too small (the first one is lr (1 - beta1) / sqrt(1 - beta2) "
                "times the sign of the gradient, not lr)."
            ),
            fix="m_hat = m / (1 - beta1**t), s_hat = s / (1 - beta2**t) with t = 1, 2, ...",
            wrong={"adam": _adam(correct=False)},
        ),
        Mistake(
            "correction-into-state",
            diagnosis=(
                "You overwrite m and s with their bias-corrected values, so the correction "
                "compounds from one step to the next."
            ),
            fix="Keep m and s as they are; correct into separate m_hat and s_hat.",
            wrong={"adam": _adam(into_state=True)},
        ),
        Mistake(
            "eps-inside-sqrt",
            diagnosis="You add eps inside the square root, sqrt(s_hat + eps); the prompt adds it outside, sqrt(s_hat) + eps.",
            fix="x = x - lr * m_hat / (np.sqrt(s_hat) + eps).",
            wrong={"adam": _adam(eps_inside=True)},
        ),
        Mistake(
            "fixed-betas",
            diagnosis="You use 0.9 and 0.999 instead of the beta1 and beta2 arguments.",
            fix="Use the arguments beta1 and beta2 everywhere they appear.",
            wrong={"adam": _adam(fixed_betas=True)},
        ),
        Mistake(
            "step-count-from-zero",
            diagnosis=(
                "Your bias correction counts steps from t = 0: the first step divides by "
                "1 - beta**0 = 0 (NaN), and every later correction is one step behind."
            ),
            fix="Count t = 1, 2, ..., steps: for t in range(1, steps + 1).",
            wrong={"adam": _adam(first_t=0)},
        ),
    ]


def figures(g: Grader) -> None:
    paths = {"reference": np.asarray(g.expected("adam-rosen"))}
    yours = g.try_array("adam-rosen")
    if yours is not None and np.all(np.isfinite(yours)):
        paths["yours"] = np.clip(yours, -3, 4)
    mom = np.asarray(g.expected("mom-rosen"))
    xs, ys = np.linspace(-2.0, 2.0, 70), np.linspace(-1.0, 3.0, 70)
    gx, gy = np.meshgrid(xs, ys)
    z = np.log1p(_rosenbrock(np.stack([gx, gy], axis=-1)))
    fig = plots.contour_with_paths(
        xs, ys, z, paths, title="Adam on the Rosenbrock function (contours of log(1 + f))"
    )
    fig.add_scatter(
        x=mom[:, 0], y=mom[:, 1], mode="lines", name="reference momentum", line={"color": "#10b981"}
    )
    fig.add_scatter(
        x=[1.0],
        y=[1.0],
        mode="markers",
        name="minimum (1, 1)",
        marker={"color": "black", "symbol": "x", "size": 10},
    )
    g.figure(fig)

    spec = g.arg("mom-quad", 0)
    a = spec.env["A"]

    def loss(path):
        return (
            None
            if path is None
            else np.maximum(0.5 * np.einsum("ti,ij,tj->t", path, a, path), 1e-18)
        )

    steps = np.arange(np.asarray(g.expected("mom-quad")).shape[0])
    fig = plots.compare_lines(
        steps,
        loss(g.try_array("mom-quad")),
        loss(np.asarray(g.expected("mom-quad"))),
        title="loss by step on the ill-conditioned quadratic",
        x_label="step t",
        y_label="f(x_t)",
        log_y=True,
    )
    fig.data[0].name = "reference momentum"
    if len(fig.data) > 1:
        fig.data[1].name = "your momentum"
    fig.add_scatter(
        x=steps,
        y=loss(np.asarray(g.expected("adam-quad"))),
        name="reference Adam",
        line={"color": "#c2410c", "width": 2},
    )
    ya = g.try_array("adam-quad")
    if ya is not None:
        fig.add_scatter(
            x=steps, y=loss(ya), name="your Adam", line={"color": "#1e3a8a", "dash": "dot"}
        )
    g.figure(fig)
