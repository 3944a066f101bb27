import numpy as np

from apps.sandbox.grading import Call, FnSpec, Grader, plots

QUAD_F = "def f(x):\n    return 0.5 * x @ A @ x - b @ x\n"
QUAD_G = "def grad(x):\n    return A @ x - b\n"
ROSEN_F = "def f(x):\n    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2\n"
ROSEN_G = (
    "def grad(x):\n"
    "    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])\n"
)
LOGREG_F = "def f(w):\n    return np.mean(np.logaddexp(0.0, -y * (X @ w))) + 0.5 * mu * w @ w\n"
LOGREG_G = (
    "def grad(w):\n"
    "    s = 0.5 * (1.0 - np.tanh(0.5 * y * (X @ w)))\n"
    "    return -(X.T @ (y * s)) / len(y) + mu * w\n"
)
WELL_F = "def f(x):\n    return 0.25 * x[0] ** 4 - 0.5 * x[0] ** 2 + 0.5 * x[1] ** 2\n"
WELL_G = "def grad(x):\n    return np.array([x[0] ** 3 - x[0], x[1]])\n"
EXP_F = "def f(x):\n    return np.exp(x[0]) - 2.0 * x[0]\n"
EXP_G = "def grad(x):\n    return np.array([np.exp(x[0]) - 2.0])\n"

# Armijo tests and skip tests closer than this (relative) to a tie may go either way with rounding.
TIE = 1e-7


def _rotated(rng, eigenvalues):
    q, _ = np.linalg.qr(rng.normal(size=(len(eigenvalues), len(eigenvalues))))
    a = q @ np.diag(eigenvalues) @ q.T
    return (a + a.T) / 2


def _trusted(f, grad, x0, steps, c1):
    """The method again, recording where each step's decisions were clear-cut; and plain
    gradient descent with the same line search, to recognise a learner who never updates M."""
    x, g, n = np.array(x0, dtype=float), np.asarray(grad(x0), dtype=float), len(x0)
    m = np.eye(n)
    path, clear = [x.copy()], []
    for _ in range(steps):
        p = -m @ g
        fx, slope = f(x), g @ p
        alpha, ok, sharp = 1.0, False, True
        for _ in range(41):
            lhs, rhs = f(x + alpha * p), fx + c1 * alpha * slope
            sharp &= abs(lhs - rhs) > TIE * (abs(fx) + abs(c1 * alpha * slope)) + 1e-300
            if lhs <= rhs:
                ok = True
                break
            alpha *= 0.5
        if not ok:
            clear.append(sharp)
            path.append(x.copy())
            continue
        x_new = x + alpha * p
        g_new = np.asarray(grad(x_new), dtype=float)
        s, y = x_new - x, g_new - g
        threshold = 1e-10 * np.linalg.norm(s) * np.linalg.norm(y)
        sharp &= abs(y @ s - threshold) > TIE * (abs(y @ s) + threshold) or threshold == 0.0
        if y @ s > threshold:
            rho = 1.0 / (y @ s)
            a = np.eye(n) - rho * np.outer(y, s)
            m = a.T @ m @ a + rho * np.outer(s, s)
        x, g = x_new, g_new
        clear.append(bool(sharp))
        path.append(x.copy())
    return np.array(path), clear


def _gd_backtracking(f, grad, x0, steps, c1):
    x, path = np.array(x0, dtype=float), [np.array(x0, dtype=float)]
    for _ in range(steps):
        g = np.asarray(grad(x), dtype=float)
        alpha = 1.0
        for _ in range(41):
            if f(x - alpha * g) <= f(x) - c1 * alpha * (g @ g):
                break
            alpha *= 0.5
        x = x - alpha * g
        path.append(x.copy())
    return np.array(path)


def cases(rng: np.random.Generator) -> list[Call]:
    d = int(rng.integers(3, 7))
    a = _rotated(rng, np.logspace(0.0, 2.0, d))
    b = rng.normal(size=d)
    k, n = int(rng.integers(3, 6)), 40
    features = rng.normal(size=(n, k))
    labels = np.sign(features @ rng.normal(size=k) + 0.5 * rng.normal(size=n))
    logreg = {"X": features, "y": labels, "mu": 0.1}
    steep = 1e6 * _rotated(rng, np.array([1.0, 10.0]))
    b_steep = steep @ rng.normal(size=2)
    centre = np.array([1.0, -2.0, 0.5])
    diag = np.diag([1.0, 4.0, 9.0])
    near = np.array([-1.2, 1.0]) + rng.uniform(-0.2, 0.2, size=2)

    def call(key, f, grad, env, x0, steps, label):
        return Call(
            key, "bfgs", (FnSpec(f, "f", env), FnSpec(grad, "grad", env), x0, steps), label=label
        )

    return [
        call(
            "quad",
            QUAD_F,
            QUAD_G,
            {"A": a, "b": b},
            3 * rng.normal(size=d),
            25,
            f"a quadratic bowl in {d} dimensions, condition number 100",
        ),
        call(
            "rosen",
            ROSEN_F,
            ROSEN_G,
            {},
            np.array([-1.2, 1.0]),
            60,
            "the Rosenbrock function from (-1.2, 1)",
        ),
        call(
            "rosen-near",
            ROSEN_F,
            ROSEN_G,
            {},
            near,
            60,
            f"the Rosenbrock function from ({near[0]:.3f}, {near[1]:.3f})",
        ),
        call(
            "logistic",
            LOGREG_F,
            LOGREG_G,
            logreg,
            np.zeros(k),
            30,
            f"an L2-regularised logistic loss in {k} dimensions",
        ),
        call(
            "well",
            WELL_F,
            WELL_G,
            {},
            np.array([0.1, 1.0]),
            20,
            "the double well x^4/4 - x^2/2 + y^2/2 from (0.1, 1), where y.s < 0 at first",
        ),
        call("exp", EXP_F, EXP_G, {}, np.array([0.0]), 8, "f(x) = exp(x) - 2x from x = 0"),
        call(
            "steep",
            QUAD_F,
            QUAD_G,
            {"A": steep, "b": b_steep},
            rng.normal(size=2),
            15,
            "a quadratic scaled by 10^6",
        ),
        call(
            "at-min",
            QUAD_F,
            QUAD_G,
            {"A": diag, "b": diag @ centre},
            centre.copy(),
            5,
            "a start exactly at the minimiser",
        ),
        call("zero", QUAD_F, QUAD_G, {"A": a, "b": b}, np.ones(d), 0, "steps = 0"),
    ]


def _show(x: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:.9g}" for v in x) + ")"


def _functions(g: Grader, key: str):
    f_spec, grad_spec, x0, steps = g.args(key)
    return f_spec.build(), grad_spec.build(), np.asarray(x0, dtype=float), int(steps)


def grade(g: Grader) -> None:
    def shape():
        _, _, x0, _ = _functions(g, "quad")
        got = g.array("quad")
        if not np.allclose(got[0], x0):
            return f"row 0 must be x0 = {np.round(x0, 4)}, but is {np.round(got[0], 4)}"
        return None

    g.custom("returns steps + 1 iterates, starting at x0", shape)

    def follows(keys):
        def run():
            for key in keys:
                f, grad, x0, steps = _functions(g, key)
                expected = np.asarray(g.expected(key))
                got = g.array(key)
                if not np.all(np.isfinite(got)):
                    bad = int(np.argwhere(~np.isfinite(got))[0][0])
                    return f"on {g.call(key).description} your iterate {bad} is not finite"
                _, clear = _trusted(f, grad, x0, steps, 1e-4)
                last = next(
                    (t for t, ok in enumerate(clear) if not ok), steps
                )  # rows 0..last compared
                rows = slice(0, last + 1)
                if np.allclose(got[rows], expected[rows], rtol=1e-4, atol=1e-6):
                    continue
                first = int(
                    np.argmax(~np.all(np.isclose(got, expected, rtol=1e-4, atol=1e-6), axis=1))
                )
                where = g.call(key).description
                g0 = np.asarray(grad(x0), dtype=float)
                if first == 1 and np.allclose(got[1], x0 - g0):
                    return (
                        f"on {where} your first step is the full step x0 - grad(x0); the reference halved "
                        "it until the Armijo condition held: f must drop by at least c1 alpha |g.p|"
                    )
                gd = _gd_backtracking(f, grad, x0, min(steps, first + 2), 1e-4)
                if first >= 2 and np.allclose(got[: gd.shape[0]], gd, rtol=1e-6, atol=1e-8):
                    return (
                        f"on {where} your iterates are plain gradient descent with backtracking: "
                        "M never changes; update it with s and y after every accepted step"
                    )
                hint = (
                    "the line search or the direction differs"
                    if first == 1
                    else "the first step agrees, so check the update of M (it must satisfy M y = s, "
                    "and be skipped when y.s <= 1e-10 |s| |y|) and that y uses the gradient at the new point"
                )
                return (
                    f"on {where} your iterates agree up to step {first - 1}; at step {first} the reference is at "
                    f"{_show(expected[first])}, you are at {_show(got[first])}: {hint}"
                )
            return None

        return run

    g.custom(
        "follows BFGS on a quadratic, a logistic loss and exp(x) - 2x",
        follows(("quad", "logistic", "exp")),
        points=3,
    )
    g.custom(
        "skips the update where the curvature condition fails",
        follows(("well",)),
        points=3,
    )
    g.custom(
        "follows BFGS on the Rosenbrock function",
        follows(("rosen", "rosen-near")),
        points=2,
    )
    g.custom("backtracks far enough on a steep quadratic", follows(("steep",)))

    def descent():
        for key in ("quad", "rosen", "rosen-near", "logistic", "well", "exp", "steep"):
            f, _, _, _ = _functions(g, key)
            got = g.array(key)
            values = np.array([f(x) for x in got])
            rise = np.diff(values)
            allowed = 1e-12 * np.abs(values[:-1]) + 1e-300
            if np.any(rise > allowed):
                t = int(np.argmax(rise > allowed)) + 1
                return (
                    f"on {g.call(key).description} f rose at step {t}, from {values[t - 1]:.6g} to "
                    f"{values[t]:.6g}; the Armijo condition never accepts a step that increases f"
                )
        return None

    g.custom("never increases f", descent, points=2)

    def converges():
        for key in ("quad", "rosen", "rosen-near", "logistic", "well"):
            expected = np.asarray(g.expected(key))[-1]
            got = g.array(key)[-1]
            if np.linalg.norm(got - expected) > 1e-6 * (1 + np.linalg.norm(expected)):
                return (
                    f"on {g.call(key).description} the reference ends at {np.round(expected, 6)}, "
                    f"you end at {np.round(got, 6)}"
                )
        return None

    g.custom("reaches the minimiser", converges, points=2)

    def stays():
        _, _, x0, _ = _functions(g, "at-min")
        got = g.array("at-min")
        if not np.all(np.isfinite(got)):
            return (
                "from a minimiser the gradient is zero, so s = y = 0 and y.s = 0: skip the update "
                "instead of dividing by zero"
            )
        if not np.allclose(got, x0, rtol=0, atol=1e-12):
            return f"from a minimiser every iterate should stay at {x0}, but you moved to {np.round(got[-1], 6)}"
        return None

    g.custom("a start at the minimiser stays there", stays)
    g.check_close("steps = 0 gives x0 alone", "zero", rtol=1e-12)


def figures(g: Grader) -> None:
    reference = np.asarray(g.expected("rosen"))
    yours = g.try_array("rosen")
    paths = {"reference": reference}
    if yours is not None and np.all(np.isfinite(yours)):
        paths["yours"] = np.clip(yours, -3, 4)
    xs, ys = np.linspace(-1.6, 1.4, 60), np.linspace(-0.6, 1.6, 60)
    gx, gy = np.meshgrid(xs, ys)
    z = np.log1p((1 - gx) ** 2 + 100 * (gy - gx**2) ** 2)
    g.figure(
        plots.contour_with_paths(
            xs, ys, z, paths, title="BFGS on the Rosenbrock function from (-1.2, 1)"
        )
    )
    _, grad, _, _ = _functions(g, "rosen")

    def norms(path):
        if path is None or not np.all(np.isfinite(path)):
            return None
        return np.maximum([np.linalg.norm(grad(p)) for p in path], 1e-16)

    g.figure(
        plots.compare_lines(
            np.arange(reference.shape[0]),
            norms(yours),
            norms(reference),
            title="gradient norm by step: slow while M learns the valley, then superlinear",
            x_label="step t",
            y_label="|grad f(x_t)|",
            log_y=True,
        )
    )
