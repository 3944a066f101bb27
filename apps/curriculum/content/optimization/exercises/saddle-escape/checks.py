import numpy as np

from apps.sandbox.grading import Call, CheckFailed, FnSpec, Grader, plots

GRAD2 = "def grad(x):\n    return np.array([x[0], x[1] ** 3 - x[1]])\n"
HESS2 = "def hess(x):\n    return np.diag([1.0, 3.0 * x[1] ** 2 - 1.0])\n"
GRAD5 = "def grad(x):\n    u = R.T @ x\n    return R @ (D * u + q * u ** 3)\n"
HESS5 = "def hess(x):\n    u = R.T @ x\n    return R @ np.diag(D + 3.0 * q * u ** 2) @ R.T\n"
CURVATURES = np.array([1.0, 2.0, -1.0, 0.5, -0.5])  # two directions of escape
QUARTIC = (CURVATURES < 0).astype(float)


def _f2(p):
    return 0.5 * p[0] ** 2 - 0.5 * p[1] ** 2 + 0.25 * p[1] ** 4


def _gd(grad, x0, lr, noise, *, order="after", noise_scale=1.0):
    x, path = np.array(x0, dtype=float), [np.array(x0, dtype=float)]
    for xi in noise:
        if order == "before":
            x = x + xi
            x = x - lr * grad(x)
        else:
            x = x - lr * grad(x) + noise_scale * xi
        path.append(x.copy())
    return np.array(path)


def _newton(grad, hess, x0, steps, mode):
    x, path = np.array(x0, dtype=float), [np.array(x0, dtype=float)]
    for _ in range(steps):
        h = hess(x)
        if mode == "entrywise":
            step = np.linalg.solve(np.abs(h), grad(x))
        else:
            values, vectors = np.linalg.eigh(h)
            values = np.abs(values) if mode == "absolute" else values
            step = vectors @ ((vectors.T @ grad(x)) / values)
        x = x - step
        path.append(x.copy())
    return np.array(path)


def cases(rng: np.random.Generator) -> list[Call]:
    rotation, _ = np.linalg.qr(rng.normal(size=(5, 5)))
    env = {"R": rotation, "D": CURVATURES, "q": QUARTIC}
    grad2, hess2 = FnSpec(GRAD2, "grad"), FnSpec(HESS2, "hess")
    grad5, hess5 = FnSpec(GRAD5, "grad", env), FnSpec(HESS5, "hess", env)
    manifold5 = rotation @ np.array([1.0, -0.5, 0.0, 0.8, 0.0])
    near5 = rotation @ np.array([0.3, -0.2, 0.15, 0.25, -0.1])
    # Near the saddle y grows by 1 + lr = 1.1 a step, so y_t ~ S 1.1^t with S the discounted
    # sum of the noise's y parts. A draw with S near 0 leaves y near 0 after 120 steps (the
    # reference failed about 1 grading in 200): nudge the first step so |S| >= 2e-3, and y
    # reaches its minimum by step 65 under every seed.
    noise2 = 1e-3 * rng.normal(size=(120, 2))
    discounted = float(noise2[:, 1] @ 1.1 ** -np.arange(1.0, 121.0))
    noise2[0, 1] += np.copysign(max(0.0, 2e-3 - abs(discounted)) * 1.1, discounted)
    return [
        Call(
            "gd-manifold",
            "noisy_gradient_descent",
            (grad2, np.array([1.0, 0.0]), 0.1, np.zeros((120, 2))),
            label="f(x, y) = x^2/2 - y^2/2 + y^4/4 from (1, 0), no noise",
        ),
        Call(
            "gd-noise",
            "noisy_gradient_descent",
            (grad2, np.array([1.0, 0.0]), 0.1, noise2),
            label="the same start with noise of size 1e-3",
        ),
        Call(
            "gd-saddle",
            "noisy_gradient_descent",
            (grad2, np.array([0.0, 0.0]), 0.1, np.zeros((10, 2))),
            label="a start exactly at the saddle, no noise",
        ),
        Call(
            "gd-5d",
            "noisy_gradient_descent",
            (grad5, manifold5, 0.1, 1e-3 * rng.normal(size=(250, 5))),
            label="a rotated 5-dimensional saddle, from its stable manifold with noise",
        ),
        Call(
            "newton-2d",
            "newton_paths",
            (grad2, hess2, np.array([1.0, 0.3]), 8),
            label="f(x, y) = x^2/2 - y^2/2 + y^4/4 from (1, 0.3)",
        ),
        Call(
            "newton-5d",
            "newton_paths",
            (grad5, hess5, near5, 10),
            label="a rotated 5-dimensional saddle, from a point near it",
        ),
        Call(
            "newton-saddle",
            "newton_paths",
            (grad2, hess2, np.array([0.0, 0.0]), 3),
            label="a start exactly at the saddle",
        ),
    ]


def _show(x: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:.9g}" for v in x) + ")"


def _safely(*args):
    """A variant Newton path, or None when that wrong method itself breaks down (a singular matrix)."""
    try:
        with np.errstate(all="ignore"):
            return _newton(*args)
    except (np.linalg.LinAlgError, ValueError, FloatingPointError):
        return None


def _built(g: Grader, key: str):
    args = g.args(key)
    return [a.build() if isinstance(a, FnSpec) else a for a in args]


def grade(g: Grader) -> None:
    def gd_path(keys):
        def run():
            for key in keys:
                grad, x0, lr, noise = _built(g, key)
                expected = np.asarray(g.expected(key))
                got = g.array(key)
                if np.allclose(got, expected, rtol=1e-6, atol=1e-9):
                    continue
                where = g.call(key).description
                if not np.allclose(got[0], x0):
                    return f"on {where} row 0 must be x0"
                if np.any(noise):
                    variants = {
                        "you subtracted the noise; add it: x - lr grad(x) + noise[t]": _gd(
                            grad, x0, lr, noise, noise_scale=-1.0
                        ),
                        "you multiplied the noise by the learning rate; it is added as given": _gd(
                            grad, x0, lr, noise, noise_scale=lr
                        ),
                        "you perturbed before the gradient step; take the step at x_t, then add noise[t]": _gd(
                            grad, x0, lr, noise, order="before"
                        ),
                        "these are noiseless iterates: add noise[t] after every step": _gd(
                            grad, x0, lr, np.zeros_like(noise)
                        ),
                    }
                    for why, value in variants.items():
                        if np.allclose(got, value, rtol=1e-6, atol=1e-9):
                            return f"on {where}: {why}"
                wrong = ~np.isclose(got, expected, rtol=1e-6, atol=1e-9)
                first = int(np.argmax(wrong.any(axis=1)))
                return (
                    f"on {where} the iterates first differ at step {first}: the reference has "
                    f"{_show(expected[first])}, you have {_show(got[first])}"
                )
            return None

        return run

    g.custom(
        "perturbed gradient descent, step then noise", gd_path(("gd-noise", "gd-5d")), points=2
    )
    g.custom(
        "without noise, from the stable manifold or the saddle itself",
        gd_path(("gd-manifold", "gd-saddle")),
    )

    def outcome():
        stuck = g.array("gd-manifold")[-1]
        if abs(stuck[1]) > 1e-12 or abs(stuck[0]) > 1e-4:
            return f"from (1, 0) without noise gradient descent should stay on y = 0 and approach the saddle, but ends at {np.round(stuck, 6)}"
        escaped = g.array("gd-noise")[-1]
        if _f2(escaped) > -0.24:
            return (
                f"with noise gradient descent should leave the saddle for a minimum (0, ±1) where f = -1/4, "
                f"but ends at {np.round(escaped, 4)} with f = {_f2(escaped):.4g}"
            )
        return None

    g.custom("noise is what lets gradient descent leave the saddle", outcome, points=2)

    def newton(part, keys):
        def run():
            for key in keys:
                grad, hess, x0, steps = _built(g, key)
                expected = np.asarray(g.expected(key, part))
                got = g.array(key, part)
                if np.allclose(got, expected, rtol=1e-6, atol=1e-9):
                    continue
                where = g.call(key).description
                if not np.all(np.isfinite(got)):
                    return f"on {where} your path has NaN or infinite entries"
                if part == 1:
                    variants = {
                        "that is plain Newton: take the absolute value of each eigenvalue of H": _safely(
                            grad, hess, x0, steps, "plain"
                        ),
                        "np.abs(H) takes absolute values entry by entry; |H| means Q diag(|lambda|) Q^T": _safely(
                            grad, hess, x0, steps, "entrywise"
                        ),
                    }
                else:
                    variants = {
                        "that is saddle-free Newton; plain Newton divides by the signed eigenvalues, H^{-1} g": _safely(
                            grad, hess, x0, steps, "absolute"
                        ),
                    }
                for why, value in variants.items():
                    if value is not None and np.allclose(got, value, rtol=1e-6, atol=1e-9):
                        return f"on {where}: {why}"
                wrong = ~np.isclose(got, expected, rtol=1e-6, atol=1e-9)
                first = int(np.argmax(wrong.any(axis=1)))
                return (
                    f"on {where} the iterates first differ at step {first}: the reference has "
                    f"{_show(expected[first])}, you have {_show(got[first])}"
                )
            return None

        return run

    g.custom(
        "Newton's method converges to the saddle", newton(0, ("newton-2d", "newton-5d")), points=2
    )
    g.custom(
        "saddle-free Newton escapes to a minimum", newton(1, ("newton-2d", "newton-5d")), points=2
    )

    def at_saddle():
        for part, name in ((0, "Newton"), (1, "saddle-free Newton")):
            got = g.array("newton-saddle", part)
            if not np.all(np.isfinite(got)) or np.abs(got).max() > 0:
                raise CheckFailed(
                    f"at the saddle the gradient is exactly zero, so {name} must not move, but your path "
                    f"reaches {np.round(got[-1], 6)}"
                )
        return None

    g.custom("at the saddle itself, neither Newton method moves", at_saddle)


def figures(g: Grader) -> None:
    xs, ys = np.linspace(-1.2, 1.2, 60), np.linspace(-1.5, 1.5, 60)
    gx, gy = np.meshgrid(xs, ys)
    z = 0.5 * gx**2 - 0.5 * gy**2 + 0.25 * gy**4
    paths: dict[str, np.ndarray] = {}
    for key, part, name in (
        ("gd-noise", None, "gradient descent + noise"),
        ("newton-2d", 0, "Newton"),
        ("newton-2d", 1, "saddle-free Newton"),
    ):
        paths[f"reference {name}"] = np.asarray(g.expected(key, part))
        yours = g.try_array(key, part)
        if yours is not None and np.all(np.isfinite(yours)):
            paths[f"your {name}"] = np.clip(yours, -2, 2)
    fig = plots.contour_with_paths(
        xs, ys, z, paths, title="three methods near the saddle of x²/2 − y²/2 + y⁴/4"
    )
    palette = {"gradient": plots.LEARNER, "Newton": plots.REFERENCE, "saddle-free": "#10b981"}
    for trace in fig.data[1:]:
        for word, colour in palette.items():
            if word in trace.name.split(" ", 1)[1]:
                trace.line.color = colour
        if trace.name.startswith("your"):
            trace.line.dash = "dash"
    g.figure(fig)
