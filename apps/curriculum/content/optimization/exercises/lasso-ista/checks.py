import numpy as np

from apps.sandbox.grading import Call, Grader, plots


def _soft(v, t):
    return np.sign(v) * np.maximum(np.abs(v) - t, 0.0)


def _ista(x, y, lam, steps, *, divide_threshold=True, lipschitz_over_n=True, gradient_over_n=True):
    """ISTA; the switches build the variants that name common mistakes."""
    n, d = x.shape
    lipschitz = np.linalg.eigvalsh(x.T @ x / (n if lipschitz_over_n else 1)).max()
    w, path = np.zeros(d), [np.zeros(d)]
    for _ in range(steps):
        gradient = x.T @ (x @ w - y) / (n if gradient_over_n else 1)
        w = _soft(w - gradient / lipschitz, lam / lipschitz if divide_threshold else lam)
        path.append(w.copy())
    return np.array(path)


def _lam_max(x, y):
    return float(np.abs(x.T @ y).max() / len(y))


def cases(rng: np.random.Generator) -> list[Call]:
    t = 0.5
    v = np.concatenate([rng.normal(size=8), [t, -t, 0.0, t + 1e-3, -t - 1e-3, t - 1e-3]])
    n, d = int(rng.integers(30, 51)), int(rng.integers(5, 9))
    x = rng.normal(size=(n, d))
    y = x @ (rng.normal(size=d) * (rng.uniform(size=d) < 0.6)) + 0.3 * rng.normal(size=n)
    lam = 0.1 * _lam_max(x, y)
    q, _ = np.linalg.qr(rng.normal(size=(20, 4)))
    x_orth = np.sqrt(20) * q
    y_orth = rng.normal(size=20) * 2
    x_wide = rng.normal(size=(8, 20))
    y_wide = x_wide[:, :3] @ np.array([2.0, -1.5, 1.0]) + 0.1 * rng.normal(size=8)
    x_dup = rng.normal(size=(30, 4))
    x_dup = np.column_stack([x_dup, x_dup[:, 0]])
    y_dup = x_dup[:, 0] * 1.5 - x_dup[:, 2] + 0.2 * rng.normal(size=30)
    return [
        Call(
            "soft",
            "soft_threshold",
            (v, t),
            label="a vector with entries at, just inside and just outside ±0.5, t = 0.5",
        ),
        Call("soft-zero", "soft_threshold", (rng.normal(size=6), 0.0), label="t = 0"),
        Call(
            "soft-matrix",
            "soft_threshold",
            (rng.normal(size=(3, 4)), 0.3),
            label="a (3, 4) matrix, t = 0.3",
        ),
        Call(
            "random",
            "ista",
            (x, y, lam, 60),
            label=f"a random problem, N = {n}, d = {d}, lam = lam_max / 10, 60 steps",
        ),
        Call("long", "ista", (x, y, lam, 400), label="the same problem, 400 steps"),
        Call(
            "orthonormal",
            "ista",
            (x_orth, y_orth, 0.4, 5),
            label="an orthonormal design (X^T X / N = I), lam = 0.4",
        ),
        Call(
            "wide",
            "ista",
            (x_wide, y_wide, 0.2 * _lam_max(x_wide, y_wide), 100),
            label="20 features and 8 samples",
        ),
        Call("duplicate", "ista", (x_dup, y_dup, 0.05, 80), label="two identical columns"),
        Call("no-penalty", "ista", (x, y, 0.0, 40), label="lam = 0"),
        Call(
            "above-max",
            "ista",
            (x, y, _lam_max(x, y) * (1 + 1e-5), 10),
            label="lam just above lam_max = |X^T y|_inf / N",
        ),
        Call("far-above", "ista", (x, y, 2 * _lam_max(x, y), 10), label="lam = 2 lam_max"),
    ]


def grade(g: Grader) -> None:
    def soft(keys):
        def run():
            for key in keys:
                v, t = g.args(key)
                expected = np.asarray(g.expected(key))
                got = g.array(key)
                if np.allclose(got, expected, rtol=1e-5, atol=1e-7):
                    continue
                where = g.call(key).description
                if np.allclose(got, np.where(np.abs(v) > t, v, 0.0)):
                    return f"on {where} you zeroed the small entries but left the others unchanged (hard thresholding); soft thresholding also moves them towards zero by t"
                if np.allclose(got, np.maximum(v - t, 0.0)):
                    return f"on {where} the negative entries vanished: apply the threshold to |v| and restore the sign, sign(v) * max(|v| - t, 0)"
                worst = np.unravel_index(int(np.argmax(np.abs(got - expected))), got.shape)
                return (
                    f"on {where}, S_t({v[worst]:.6g}) = {expected[worst]:.6g}, got {got[worst]:.6g}"
                )
            return None

        return run

    g.custom(
        "soft-thresholding, including the boundary |v| = t", soft(("soft", "soft-matrix")), points=2
    )
    g.custom("t = 0 is the identity", soft(("soft-zero",)))

    def path(keys):
        def run():
            for key in keys:
                x, y, lam, steps = g.args(key)
                expected = np.asarray(g.expected(key))
                got = g.array(key)
                if np.allclose(got, expected, rtol=1e-5, atol=1e-6):
                    continue
                where = g.call(key).description
                if not np.allclose(got[0], 0.0):
                    return f"on {where} row 0 must be the starting point w_0 = 0"
                variants = {
                    "the threshold is lam / L, not lam: the whole majorised step is scaled by 1/L": _ista(
                        x, y, lam, steps, divide_threshold=False
                    ),
                    "L is the largest eigenvalue of X^T X / N, the Hessian of the smooth part, not of X^T X": _ista(
                        x, y, lam, steps, lipschitz_over_n=False
                    ),
                    "the gradient of (1/2N)|Xw - y|^2 is X^T (Xw - y) / N: the 1/N is missing": _ista(
                        x, y, lam, steps, gradient_over_n=False
                    ),
                    "these are gradient-descent iterates: soft-threshold after every gradient step": _ista(
                        x, y, 0.0, steps
                    ),
                }
                for why, value in variants.items():
                    relevant = lam > 0 or "soft-threshold after" not in why
                    if (
                        relevant
                        and value.shape == got.shape
                        and np.allclose(got, value, rtol=1e-5, atol=1e-6)
                    ):
                        return f"on {where}: {why}"
                wrong = ~np.isclose(got, expected, rtol=1e-5, atol=1e-6)
                first = int(np.argmax(wrong.any(axis=1)))
                j = int(np.argmax(wrong[first]))
                return (
                    f"on {where} the iterates first differ at step {first}, coordinate {j}: the reference "
                    f"has w_{j} = {expected[first, j]:.6g}, you have {got[first, j]:.6g}"
                )
            return None

        return run

    g.custom("ISTA iterates on a random problem", path(("random",)), points=2)
    g.custom("an orthonormal design is solved in one step", path(("orthonormal",)))
    g.custom(
        "more features than samples, and duplicate columns",
        path(("wide", "duplicate")),
        points=2,
    )
    g.custom("lam = 0 is gradient descent with step 1/L", path(("no-penalty",)))

    def zero():
        for key in ("above-max", "far-above"):
            got = g.array(key)
            if np.any(got != 0.0):
                return (
                    f"on {g.call(key).description} the lasso solution is exactly 0 and every iterate must be "
                    f"exactly 0, but you have entries as large as {np.abs(got).max():.3g}"
                )
        return None

    g.custom("above lam_max every iterate is exactly zero", zero, points=2)

    def optimal():
        x, y, lam, _ = g.args("long")
        w = g.array("long")[-1]
        gradient = x.T @ (x @ w - y) / len(y)
        active = np.abs(w) > 1e-10
        tol = 1e-4 * max(lam, 1e-12)
        bad_active = np.abs(gradient[active] + lam * np.sign(w[active])) > tol
        bad_zero = np.abs(gradient[~active]) > lam + tol
        if bad_active.any() or bad_zero.any():
            j = (
                int(np.flatnonzero(active)[np.argmax(bad_active)])
                if bad_active.any()
                else int(np.flatnonzero(~active)[np.argmax(bad_zero)])
            )
            return (
                f"after 400 steps your w is not a lasso solution: at coordinate {j}, w = {w[j]:.4g} and the "
                f"gradient of the smooth part is {gradient[j]:.4g}, but the optimality conditions need "
                + ("-lam sign(w) there" if abs(w[j]) > 1e-10 else "|gradient| <= lam there")
                + f" (lam = {lam:.4g})"
            )
        return None

    g.custom("after 400 steps, the optimality conditions of the lasso hold", optimal, points=2)


def figures(g: Grader) -> None:
    x, y, lam, steps = g.args("long")
    reference = np.asarray(g.expected("long"))
    yours = g.try_array("long")

    def objective(path):
        if path is None or not np.all(np.isfinite(path)):
            return None
        residual = path @ x.T - y
        return 0.5 * np.mean(residual**2, axis=1) + lam * np.abs(path).sum(axis=1)

    best = objective(reference).min()
    ref_gap = np.maximum(objective(reference) - best, 1e-16)
    yours_gap = objective(yours)
    g.figure(
        plots.compare_lines(
            np.arange(steps + 1),
            None if yours_gap is None else np.maximum(yours_gap - best, 1e-16),
            ref_gap,
            title="F(w_t) − F* by step: ISTA never increases the objective",
            x_label="step t",
            y_label="F(w_t) − F*",
            log_y=True,
        )
    )
    g.figure(
        plots.compare_bars(
            [f"w{j + 1}" for j in range(reference.shape[1])],
            None if yours is None else yours[-1],
            reference[-1],
            title="the lasso coefficients after 400 steps: some exactly zero",
            y_label="coefficient",
        )
    )
