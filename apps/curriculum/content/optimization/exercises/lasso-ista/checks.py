import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots


def _soft(v, t):
    return np.sign(v) * np.maximum(np.abs(v) - t, 0.0)


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
    g.check_close("soft-thresholding, including the boundary |v| = t", "soft", points=1.5)
    g.check_close("soft-thresholding keeps the shape of a matrix", "soft-matrix", points=0.5)
    g.check_close("t = 0 is the identity", "soft-zero")
    g.check_close("ISTA iterates on a random problem", "random", points=2)
    g.check_close("an orthonormal design is solved in one step", "orthonormal")
    g.check_close("more features than samples", "wide")
    g.check_close("duplicate columns", "duplicate")
    g.check_close("lam = 0 is gradient descent with step 1/L", "no-penalty")

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


# --- known mistakes ------------------------------------------------------------------------
def _soft_variant(*, hard=False):
    def soft_threshold(v, t):
        v = np.asarray(v, dtype=float)
        return np.where(np.abs(v) > t, v, 0.0) if hard else _soft(v, t)

    return soft_threshold


def _ista_variant(
    *,
    frobenius=False,
    lipschitz_over_n=True,
    gradient_over_n=True,
    divide_threshold=True,
    threshold_first=False,
    first_row=True,
    soft=_soft,
):
    def ista(X, y, lam, steps):
        x, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        n, d = x.shape
        gram = x.T @ x / (n if lipschitz_over_n else 1)
        lipschitz = np.trace(gram) if frobenius else np.linalg.eigvalsh(gram).max()
        w = np.zeros(d)
        path = [w.copy()] if first_row else []
        for _ in range(steps):
            gradient = x.T @ (x @ w - y) / (n if gradient_over_n else 1)
            threshold = lam / lipschitz if divide_threshold else lam
            if threshold_first:
                w = soft(w, threshold) - gradient / lipschitz
            else:
                w = soft(w - gradient / lipschitz, threshold)
            path.append(w.copy())
        return np.array(path) if path else np.zeros((0, d))

    return ista


def _hard(v, t):
    return np.where(np.abs(v) > t, v, 0.0)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "hard-threshold",
            diagnosis=(
                "Your soft_threshold zeroes the small entries but leaves the others unchanged "
                "(hard thresholding): soft thresholding also moves them towards zero by t."
            ),
            fix="np.sign(v) * np.maximum(np.abs(v) - t, 0).",
            wrong={"soft_threshold": _soft_variant(hard=True), "ista": _ista_variant(soft=_hard)},
        ),
        Mistake(
            "lipschitz-frobenius",
            diagnosis=(
                "Your L is the trace of X^T X / N (the squared Frobenius norm over N, the sum of "
                "all eigenvalues), not the largest eigenvalue: the steps are too short."
            ),
            fix="L = np.linalg.eigvalsh(X.T @ X / N).max().",
            wrong={"ista": _ista_variant(frobenius=True)},
        ),
        Mistake(
            "lipschitz-without-n",
            diagnosis="Your L is the largest eigenvalue of X^T X, not of X^T X / N: the steps are N times too short.",
            fix="L = np.linalg.eigvalsh(X.T @ X / N).max().",
            wrong={"ista": _ista_variant(lipschitz_over_n=False)},
        ),
        Mistake(
            "gradient-without-n",
            diagnosis="Your gradient is X^T (Xw - y): the gradient of (1/2N)|Xw - y|^2 has a factor 1/N.",
            fix="gradient = X.T @ (X @ w - y) / N.",
            wrong={"ista": _ista_variant(gradient_over_n=False)},
        ),
        Mistake(
            "threshold-not-scaled",
            diagnosis="You soft-threshold at lam: the step 1/L scales the penalty too, so the threshold is lam / L.",
            fix="w = soft_threshold(w - gradient / L, lam / L).",
            wrong={"ista": _ista_variant(divide_threshold=False)},
        ),
        Mistake(
            "threshold-then-gradient",
            diagnosis=(
                "Each of your steps soft-thresholds first and then takes the gradient step; ISTA "
                "thresholds the result of the gradient step."
            ),
            fix="w = soft_threshold(w - gradient / L, lam / L).",
            wrong={"ista": _ista_variant(threshold_first=True)},
        ),
        Mistake(
            "first-row-missing",
            diagnosis="Your iterates start after the first step: row 0 must be the starting point w_0 = 0.",
            fix="Start the list with np.zeros(d): steps updates give steps + 1 rows.",
            wrong={"ista": _ista_variant(first_row=False)},
        ),
    ]


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
