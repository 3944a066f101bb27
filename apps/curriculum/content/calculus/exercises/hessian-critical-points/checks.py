import numpy as np

from apps.sandbox.grading import Call, FnSpec, Grader, Mistake, plots, subplots

QUADRATIC = FnSpec(source="def grad(x):\n    return 0.5 * (A + A.T) @ x + b", name="grad")
ROSENBROCK = FnSpec(
    source=(
        "def grad(x):\n"
        "    u, v = x\n"
        "    return np.array([-2.0 * (1.0 - u) - 400.0 * u * (v - u**2), 200.0 * (v - u**2)])\n"
    ),
    name="grad",
)
LOGSUMEXP = FnSpec(
    source="def grad(x):\n    p = np.exp(x - x.max())\n    return p / p.sum()", name="grad"
)
COUPLED = FnSpec(
    source=(
        "def grad(x):\n"
        "    u, v = x\n"
        "    return np.array([2.0 * u + 3.0 * v + 0.4 * u**3 + 0.3 * v * np.cos(u * v),\n"
        "                     3.0 * u + 2.0 * v + 0.3 * u * np.cos(u * v)])\n"
    ),
    name="grad",
)
# A gradient that is itself only approximate (forward differences of f inside), as a gradient
# oracle often is in practice: its finite-difference Hessian is visibly unsymmetric.
APPROXIMATE = FnSpec(
    source=(
        "def f(x):\n"
        "    return np.exp(0.5 * x[0] * x[1]) + x[0] ** 2 + np.cos(x[1]) * x[2]\n"
        "def grad(x):\n"
        "    h = 1e-2\n"
        "    return np.array([(f(x + h * e) - f(x)) / h for e in np.eye(x.size)])\n"
    ),
    name="grad",
)


# A fixed point where that oracle's finite-difference Hessian is off symmetry by about 5e-3,
# far beyond the tolerance, so an unsymmetrised estimate fails the same way under every seed.
APPROXIMATE_X = np.array([0.7, -0.4, 1.1])
# f = sum(x^4) / 12 near 0: Hessian diag(x^2) of size 1e-4, while a forward difference is off
# by about x eps = 1e-7, a thousandth of it, under every seed.
QUARTIC = FnSpec(source="def grad(x):\n    return x**3 / 3.0", name="grad")
QUARTIC_X = np.array([0.01, -0.02, 0.015])


def _exact(key: str, spec: FnSpec, x: np.ndarray) -> np.ndarray:
    if key == "quadratic":
        A = spec.env["A"]
        return 0.5 * (A + A.T)
    if key == "rosenbrock":
        u, v = x
        return np.array([[2.0 - 400.0 * v + 1200.0 * u**2, -400.0 * u], [-400.0 * u, 200.0]])
    if key == "logsumexp":
        p = np.exp(x - x.max())
        p /= p.sum()
        return np.diag(p) - np.outer(p, p)
    if key == "quartic":
        return np.diag(x**2)
    raise KeyError(key)


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(3, 6))
    A = rng.normal(size=(n, n))
    Q, _ = np.linalg.qr(rng.normal(size=(4, 4)))

    def rotated(eigenvalues):
        q = Q[: len(eigenvalues), : len(eigenvalues)]
        q, _ = np.linalg.qr(q)
        return (q * np.asarray(eigenvalues, dtype=float)) @ q.T

    return [
        Call(
            "quadratic",
            "numerical_hessian",
            (
                FnSpec(QUADRATIC.source, "grad", {"A": A, "b": rng.normal(size=n)}),
                rng.normal(size=n),
            ),
            label=f"the gradient of x^T A x / 2 + b^T x, n = {n}",
        ),
        Call(
            "rosenbrock",
            "numerical_hessian",
            (ROSENBROCK, rng.uniform(-1.5, 1.5, size=2)),
            label="the gradient of the Rosenbrock function",
        ),
        Call(
            "logsumexp",
            "numerical_hessian",
            (LOGSUMEXP, rng.normal(size=5)),
            label="the gradient of log-sum-exp (the softmax) at a random x of length 5",
        ),
        Call(
            "quartic",
            "numerical_hessian",
            (QUARTIC, QUARTIC_X),
            label="the gradient x^3 / 3 of sum(x^4) / 12 at x = (0.01, -0.02, 0.015)",
        ),
        Call(
            "approximate",
            "numerical_hessian",
            (APPROXIMATE, APPROXIMATE_X),
            label="an approximate gradient oracle (itself a finite difference)",
        ),
        Call(
            "coupled",
            "numerical_hessian",
            (COUPLED, np.zeros(2)),
            label="a 2-d function at its critical point 0",
        ),
        Call(
            "minimum",
            "classify_critical_point",
            (rotated(rng.uniform(0.5, 3, size=4)),),
            label="a random positive definite Hessian",
        ),
        Call(
            "maximum",
            "classify_critical_point",
            (rotated(-rng.uniform(0.5, 3, size=3)),),
            label="a random negative definite Hessian",
        ),
        Call(
            "diagonal",
            "classify_critical_point",
            (np.array([[1.0, 3.0], [3.0, 1.0]]),),
            label="the Hessian [[1, 3], [3, 1]]",
        ),
        Call(
            "saddle_zero",
            "classify_critical_point",
            (rotated([2.0, 0.0, -1.0]),),
            label="a Hessian with eigenvalues 2, 0 and -1",
        ),
        Call(
            "flat",
            "classify_critical_point",
            (np.diag([0.0, 2.0]),),
            label="the Hessian diag(0, 2) of x^4 + y^2 at 0",
        ),
        Call(
            "tiny",
            "classify_critical_point",
            (rotated([1.0, 1e-9, 3.0]),),
            label="a Hessian with eigenvalues 1, 1e-9 and 3",
        ),
        # Eigenvalues exactly at the threshold count as zero (|lambda| <= tol).
        *(
            Call(
                f"at_tol_{i}",
                "classify_critical_point",
                (np.diag(values),),
                {"tol": 0.5},
                label=f"the Hessian diag({values[0]:g}, {values[1]:g}) with tol=0.5",
            )
            for i, values in enumerate(((0.5, 2.0), (0.5, -2.0), (-0.5, -2.0), (-0.5, 2.0)))
        ),
        Call(
            "flat_max",
            "classify_critical_point",
            (np.diag([-1.0, 0.0]),),
            label="the Hessian diag(-1, 0)",
        ),
    ]


def _label(g: Grader, *keys: str):
    def run() -> str | None:
        for key in keys:
            call = g.call(key)
            got = g.output(key)
            want = g.expected(key)
            if not isinstance(got, str):
                return f"classify_critical_point() on {call.description} should return a string, e.g. '{want}'"
            if got != want:
                eigenvalues = np.round(np.linalg.eigvalsh(np.asarray(g.args(key)[0])), 6)
                return f"{call.description} has eigenvalues {eigenvalues}, so the point is a {want}; you said '{got[:30]}'"
        return None

    return run


def grade(g: Grader) -> None:
    # Against the exact Hessian: a float64 central difference of the gradient with eps = 1e-5
    # is off by about 1e-10 times the third derivatives plus 1e-11 |grad| / eps.
    for key, name, points in (
        ("quadratic", "the Hessian of a quadratic is A's symmetric part", 2),
        ("rosenbrock", "the Rosenbrock Hessian", 1),
        ("logsumexp", "log-sum-exp: diag(p) - p p^T", 1),
        ("quartic", "a small Hessian, diag(x^2) near 0", 1),
    ):
        spec, x = g.args(key)
        g.check_close(
            name,
            key,
            rtol=1e-5,
            atol=1e-9 if key == "quartic" else 1e-6,
            points=points,
            expected=_exact(key, spec, np.asarray(x)),
        )

    def symmetric() -> str | None:
        H = g.array("approximate")
        gap = float(np.abs(H - H.T).max())
        if gap > 1e-12:
            return f"on {g.call('approximate').description} your Hessian differs from its transpose by up to {gap:.3g}"
        return None

    g.custom("the estimate is exactly symmetric", symmetric, points=1)
    g.custom("classifies definite Hessians", _label(g, "minimum", "maximum"), points=1)
    g.custom("a positive diagonal is not enough", _label(g, "diagonal"), points=2)
    g.custom("a saddle may have zero eigenvalues too", _label(g, "saddle_zero"), points=1)
    g.custom(
        "an eigenvalue exactly at tol counts as zero",
        _label(g, "at_tol_0", "at_tol_1", "at_tol_2", "at_tol_3"),
        points=0.5,
    )
    g.custom(
        "zero curvature makes the test inconclusive",
        _label(g, "flat", "tiny", "flat_max"),
        points=1,
    )


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _columns(grad, x, eps, divide=2.0, forward=False):
    x = np.array(x, dtype=float)
    g0 = np.asarray(grad(x), dtype=float) if forward else None
    cols = []
    for e in np.eye(x.size):
        plus = np.asarray(grad(x + eps * e), dtype=float)
        if forward:
            cols.append((plus - g0) / eps)
        else:
            cols.append((plus - np.asarray(grad(x - eps * e), dtype=float)) / (divide * eps))
    return np.stack(cols, axis=1)


def _sym(H):
    return 0.5 * (H + H.T)


def _not_symmetrised(grad, x, eps=1e-5):
    return _columns(grad, x, eps)


def _forward(grad, x, eps=1e-5):
    return _sym(_columns(grad, x, eps, forward=True))


def _missing_two(grad, x, eps=1e-5):
    return _sym(_columns(grad, x, eps, divide=1.0))


def _alias(grad, x, eps=1e-5):
    x = np.array(x, dtype=float)
    n = x.size
    H = np.zeros((n, n))
    for j in range(n):
        xp = x
        xp[j] += eps
        gp = np.array(grad(xp))
        xm = x
        xm[j] -= eps
        gm = np.array(grad(xm))
        H[:, j] = (gp - gm) / (2 * eps)
    return _sym(H)


def _diagonal_test(H, tol=1e-6):
    d = np.diag(np.asarray(H, dtype=float))
    if np.all(d > tol):
        return "minimum"
    if np.all(d < -tol):
        return "maximum"
    if np.any(d > tol) and np.any(d < -tol):
        return "saddle"
    return "degenerate"


def _zero_means_extremum(H, tol=1e-6):
    lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    if np.all(lam >= 0):
        return "minimum"
    if np.all(lam <= 0):
        return "maximum"
    return "saddle"


def _zero_first(H, tol=1e-6):
    lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    if np.any(np.abs(lam) <= tol):
        return "degenerate"
    if np.all(lam > 0):
        return "minimum"
    if np.all(lam < 0):
        return "maximum"
    return "saddle"


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "not-symmetrised",
            diagnosis=(
                "You return the finite-difference matrix as it comes: rounding and an "
                "approximate gradient make it slightly unsymmetric, while a Hessian is symmetric."
            ),
            fix="Return its symmetric part, (H + H.T) / 2.",
            wrong={"numerical_hessian": _not_symmetrised},
        ),
        Mistake(
            "forward-difference",
            diagnosis=(
                "You use the forward difference (grad(x + eps e_j) - grad(x)) / eps: its error is "
                "proportional to eps, not to eps^2."
            ),
            fix="Use (grad(x + eps e_j) - grad(x - eps e_j)) / (2 eps).",
            wrong={"numerical_hessian": _forward},
        ),
        Mistake(
            "divides-by-eps",
            diagnosis="You divide the central difference by eps instead of 2 eps: the Hessian is twice too large.",
            fix="Divide by 2 * eps.",
            wrong={"numerical_hessian": _missing_two},
        ),
        Mistake(
            "aliased-steps",
            diagnosis=(
                "xp = x and xm = x are the same array, not copies: the second step moves x back "
                "to where it was, so each column is half a forward difference, and x drifts."
            ),
            fix="Build new arrays: x + eps * e and x - eps * e.",
            wrong={"numerical_hessian": _alias},
        ),
        Mistake(
            "diagonal-test",
            diagnosis=(
                "You classify by the diagonal entries of H; the eigenvalues decide (the diagonal "
                "of [[1, 3], [3, 1]] is positive, its eigenvalues are 4 and -2: a saddle)."
            ),
            fix="Use np.linalg.eigvalsh(H).",
            wrong={"classify_critical_point": _diagonal_test},
        ),
        Mistake(
            "zero-means-extremum",
            diagnosis=(
                "You call a point with eigenvalues >= 0 a minimum (and <= 0 a maximum): a zero "
                "eigenvalue makes the second-derivative test inconclusive."
            ),
            fix="A minimum needs every eigenvalue > tol; an eigenvalue within tol of 0 and no sign change is 'degenerate'.",
            wrong={"classify_critical_point": _zero_means_extremum},
        ),
        Mistake(
            "zero-before-saddle",
            diagnosis=(
                "You call every Hessian with a zero eigenvalue degenerate before checking for "
                "mixed signs: a positive and a negative eigenvalue make a saddle whatever else is 0."
            ),
            fix="Test for a saddle first.",
            wrong={"classify_critical_point": _zero_first},
        ),
    ]


LABELS = ("minimum", "maximum", "saddle", "degenerate")


def failure_figures(g: Grader, key: str) -> None:
    """A failing classification drawn as the four answers, yours against the right one (the
    generic figure draws arrays, and a label is a string)."""
    if g.call(key).func != "classify_critical_point":
        return
    got = g.output(key)
    yours = np.array([1.0 if got == label else 0.0 for label in LABELS])
    reference = np.array([1.0 if g.expected(key) == label else 0.0 for label in LABELS])
    eigenvalues = np.round(np.linalg.eigvalsh(np.asarray(g.arg(key))), 6)
    g.figure(
        plots.compare_bars(
            list(LABELS),
            yours,
            reference,
            title=f"{g.call(key).description}: eigenvalues {eigenvalues}",
            y_label="chosen",
        )
    )


def figures(g: Grader) -> None:
    reference = np.asarray(g.expected("coupled"))
    yours = g.try_array("coupled")
    grid = np.linspace(-1.0, 1.0, 41)
    d1, d2 = np.meshgrid(grid, grid)
    fig = subplots(2, titles=("your quadratic model", "reference quadratic model"))
    for col, H in ((1, yours), (2, reference)):
        if H is None or not np.all(np.isfinite(H)):
            continue
        q = 0.5 * (H[0, 0] * d1**2 + (H[0, 1] + H[1, 0]) * d1 * d2 + H[1, 1] * d2**2)
        fig.add_contour(
            x=grid,
            y=grid,
            z=q,
            colorscale="RdBu",
            reversescale=True,
            showscale=False,
            ncontours=18,
            contours={"coloring": "heatmap"},
            row=1,
            col=col,
        )
        _, V = np.linalg.eigh(0.5 * (H + H.T))
        for i in range(2):
            v = 0.9 * V[:, i]
            fig.add_scatter(
                x=[-v[0], v[0]],
                y=[-v[1], v[1]],
                mode="lines",
                showlegend=False,
                line={"color": "#2563eb" if col == 1 else "#f97316", "width": 3},
                row=1,
                col=col,
            )
    fig.update_layout(
        title={
            "text": "f(x + d) − f(x) ≈ ½ dᵀ H d at the critical point, with H's eigenvector axes"
        },
        height=400,
    )
    g.figure(fig)
