import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, changes_argument, plots


def _spd(rng, n, low=0.5, high=3.0):
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    m = q @ np.diag(rng.uniform(low, high, size=n)) @ q.T
    return (m + m.T) / 2


def _wrong(*, hessian=False, swapped=False, rho_times=False, skip="relative"):
    """The reference with one mistake: a wrong update or a wrong curvature test."""

    def bfgs_update(M, s, y):
        M = np.array(M, dtype=float)
        s = np.asarray(s, dtype=float)
        y = np.asarray(y, dtype=float)
        ys = float(y @ s)
        if skip == "relative" and ys <= 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
            return M
        if skip == "absolute" and ys <= 1e-10:
            return M
        if hessian:
            ms = M @ s
            return M - np.outer(ms, ms) / (s @ ms) + np.outer(y, y) / ys
        rho = ys if rho_times else 1.0 / ys
        a = np.eye(s.size) - rho * np.outer(s, y)
        if swapped:
            return a.T @ M @ a + rho * np.outer(s, s)
        return a @ M @ a.T + rho * np.outer(s, s)

    return bfgs_update


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(3, 7))
    m, a = _spd(rng, n), _spd(rng, n)
    s = rng.normal(size=n)
    m2, a2 = _spd(rng, 2), _spd(rng, 2, 1.0, 6.0)
    s2 = rng.normal(size=2)
    s2 /= np.linalg.norm(s2)
    bad = np.diag([1.0, -2.0, 1.5])
    s_neg = np.array([0.1, 1.0, 0.2])  # along the negative-curvature direction
    s_small = 1e-6 * rng.normal(size=n)
    return [
        Call(
            "random", "bfgs_update", (m, s, a @ s), label=f"a random M in {n} dimensions, y = A s"
        ),
        Call("plane", "bfgs_update", (m2, s2, a2 @ s2), label="a random M in 2 dimensions"),
        Call(
            "identity",
            "bfgs_update",
            (np.eye(n), s, a @ s),
            label=f"M = I in {n} dimensions (the first BFGS step)",
        ),
        Call(
            "scalar",
            "bfgs_update",
            (np.array([[2.0]]), np.array([0.3]), np.array([1.2])),
            label="one dimension, M = 2, s = 0.3, y = 1.2",
        ),
        Call(
            "negative",
            "bfgs_update",
            (np.eye(3), s_neg, bad @ s_neg),
            label="a step along a direction of negative curvature",
        ),
        Call(
            "zero",
            "bfgs_update",
            (m, np.zeros(n), np.zeros(n)),
            label="a zero step (s = y = 0)",
        ),
        Call("small", "bfgs_update", (m, s_small, a @ s_small), label="a step of size 1e-6"),
        Call("large", "bfgs_update", (m, 1e6 * s, a @ (1e6 * s)), label="a step of size 1e6"),
    ]


def grade(g: Grader) -> None:
    # Default tolerances (NOTATION.md): M, A are well conditioned (eigenvalues in [0.5, 3]) and
    # the update is a few products, so a float32 computation passes.
    g.check_close_all("the BFGS formula", ("random", "plane", "identity"), points=3)
    g.check_close("one dimension gives s / y", "scalar")

    def properties():
        _, s, y = g.args("random")
        got = g.array("random")
        if got.shape != (s.size, s.size):
            return f"your matrix has shape {got.shape}; M has shape {(s.size, s.size)}"
        if not np.all(np.isfinite(got)):
            return "your matrix has NaN or infinite entries"
        gap = np.abs(got @ y - s).max()
        if gap > 1e-5 * (1 + np.abs(s).max()):
            return f"the secant condition new @ y = s fails by {gap:.3g}"
        if np.abs(got - got.T).max() > 1e-5 * (1 + np.abs(got).max()):
            return "your matrix is not symmetric"
        smallest = float(np.linalg.eigvalsh((got + got.T) / 2).min())
        if smallest <= 0:
            return (
                f"your matrix is not positive definite: its smallest eigenvalue is {smallest:.4g}"
            )
        return None

    g.custom("secant condition, symmetry and positive definiteness", properties, points=2)
    g.check_close_all(
        "returns M unchanged when y.s is not positive (negative curvature, a zero step)",
        ("negative", "zero"),
        points=2,
    )
    g.check_close_all("steps of size 1e-6 and 1e6", ("small", "large"), points=2)
    g.check_inputs_unchanged("leaves the caller's M unchanged")


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "hessian-update",
            diagnosis=(
                "You apply the BFGS update of the Hessian approximation B (B - B s s^T B / s^T B s "
                "+ y y^T / y^T s) to the inverse M: your matrix maps s to y, where the inverse "
                "must map y to s."
            ),
            fix="M_new = (I - rho s y^T) M (I - rho y s^T) + rho s s^T with rho = 1 / (y.s).",
            wrong=_wrong(hessian=True),
        ),
        Mistake(
            "factors-swapped",
            diagnosis=(
                "The two factors around M are swapped: you compute (I - rho y s^T) M "
                "(I - rho s y^T), so new @ y is not s."
            ),
            fix="The factor on the left of M is I - rho s y^T; its transpose stands on the right.",
            wrong=_wrong(swapped=True),
        ),
        Mistake(
            "rho-not-inverted",
            diagnosis="Your rho is y.s itself; the update uses its reciprocal.",
            fix="rho = 1 / (y @ s).",
            wrong=_wrong(rho_times=True),
        ),
        Mistake(
            "no-curvature-skip",
            diagnosis=(
                "You apply the update even when y.s is not positive: along a direction of "
                "negative curvature the result is no longer positive definite, and a zero step "
                "divides by zero."
            ),
            fix="Return a copy of M when y.s <= 1e-10 |s| |y|.",
            wrong=_wrong(skip="never"),
        ),
        Mistake(
            "absolute-threshold",
            diagnosis=(
                "Your curvature test compares y.s with a fixed 1e-10, so a small but good step "
                "(|s| = 1e-6, y.s about 1e-12) is skipped."
            ),
            fix="Scale the threshold with the step: skip only when y.s <= 1e-10 |s| |y|.",
            wrong=_wrong(skip="absolute"),
        ),
        Mistake(
            "modifies-m",
            diagnosis=(
                "Your matrix is right, but you write it into the argument M in place "
                "(M[...] = ...), so the caller's M is overwritten."
            ),
            fix="Build and return a new array; leave M as it was.",
            predicate=changes_argument("M"),
        ),
    ]


def figures(g: Grader) -> None:
    m, s, y = g.args("plane")
    reference = np.asarray(g.expected("plane"))
    yours = g.try_array("plane")
    t = np.linspace(0, 2 * np.pi, 121)
    circle = np.stack([np.cos(t), np.sin(t)])
    fig = PlainFigure()
    fig.add_scatter(
        x=(m @ circle)[0],
        y=(m @ circle)[1],
        name="old M · circle",
        line={"color": plots.NEUTRAL, "dash": "dot"},
    )
    fig.add_scatter(
        x=(reference @ circle)[0],
        y=(reference @ circle)[1],
        name="reference M_new · circle",
        line={"color": plots.REFERENCE, "width": 3},
    )
    if yours is not None and np.all(np.isfinite(yours)):
        fig.add_scatter(
            x=(yours @ circle)[0],
            y=(yours @ circle)[1],
            name="your M_new · circle",
            line={"color": plots.LEARNER, "dash": "dash"},
        )
        image = yours @ y
        fig.add_scatter(
            x=[0, image[0]],
            y=[0, image[1]],
            mode="lines+markers",
            name="your M_new y",
            line={"color": plots.LEARNER, "width": 2, "dash": "dash"},
        )
    fig.add_scatter(
        x=[0, s[0]],
        y=[0, s[1]],
        mode="lines+markers",
        name="s",
        line={"color": "#10b981", "width": 4},
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    fig.update_layout(
        title={"text": "the secant condition: M_new maps y onto s"},
        xaxis_title="x₁",
        yaxis_title="x₂",
        height=420,
    )
    g.figure(fig)
