import numpy as np

from apps.sandbox.grading import Call, FnSpec, Grader, plots

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
    ]


def grade(g: Grader) -> None:
    hint = (
        "The velocity is v_{t+1} = beta * v_t + grad(x_t), with no (1 - beta) factor, "
        "and x_{t+1} = x_t - lr * v_{t+1}; row 0 is x0"
    )
    g.check_close(
        "momentum on an ill-conditioned quadratic",
        "mom-quad",
        rtol=1e-7,
        atol=1e-9,
        points=2,
        hint=hint,
    )
    g.check_close("momentum with beta = 0 is gradient descent", "mom-zero", rtol=1e-7, atol=1e-9)
    g.check_close(
        "momentum on the Rosenbrock function", "mom-rosen", rtol=1e-6, atol=1e-8, hint=hint
    )

    def first_step():
        _, x0, lr, _ = g.args("adam-quad")
        got = g.array("adam-quad")
        if got.shape[0] < 2:
            return "adam() should return steps + 1 rows"
        moved = np.abs(got[1] - np.asarray(x0))
        if not np.allclose(moved, lr, rtol=1e-4):
            ratio = float(np.max(moved) / lr)
            return (
                f"the first Adam step should move each coordinate by about lr = {lr:g} (the averages are divided "
                f"by 1 - beta1^t and 1 - beta2^t), but moved by {np.round(moved, 5)}, {ratio:.3g} times lr; "
                "check the bias correction"
            )
        return None

    g.custom("the first Adam step has size lr in every coordinate", first_step, points=2)
    g.check_close(
        "Adam on an ill-conditioned quadratic",
        "adam-quad",
        rtol=1e-7,
        atol=1e-9,
        hint="Follow the update order in the prompt, with eps added to the square root",
    )
    g.check_close("Adam on the Rosenbrock function", "adam-rosen", rtol=1e-6, atol=1e-8)
    g.check_close(
        "Adam honours beta1 and beta2",
        "adam-betas",
        rtol=1e-7,
        atol=1e-9,
        hint="Use the beta1 and beta2 arguments, not fixed 0.9 and 0.999",
    )
    g.check_close("steps = 0 gives x0 alone", "adam-zero", rtol=1e-12)


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
