import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, Mistake, plots


def _ridge(x, y, lam):
    if lam == 0:
        return np.linalg.lstsq(x, y, rcond=None)[0]
    return np.linalg.solve(x.T @ x + lam * np.eye(x.shape[1]), x.T @ y)


def _radius(x, y, lam):
    return float(np.linalg.norm(_ridge(x, y, lam)))


N_ZERO = 12
N_NEAR = 30
SMALL_LAM = 1e-3


def cases(rng: np.random.Generator) -> list[Call]:
    n, d = int(rng.integers(20, 41)), int(rng.integers(3, 7))
    x = rng.normal(size=(n, d))
    y = x @ rng.normal(size=d) + 0.5 * rng.normal(size=n)
    r0 = _radius(x, y, 0.0)
    lam = float(rng.uniform(0.5, 20.0))
    lesson_x, lesson_y = np.diag([2.0, 1.0]), np.array([4.0, 1.0])
    wide_x = rng.normal(size=(5, 9))
    wide_y = rng.normal(size=5)
    dup = rng.normal(size=(25, 3))
    dup_x = np.column_stack([dup, dup[:, 1]])
    dup_y = dup @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=25)
    # A feature that is zero on every sample: X^T X has an exactly zero row and column.
    zero_x = rng.normal(size=(N_ZERO, 4))
    zero_x[:, 2] = 0.0
    zero_y = rng.normal(size=N_ZERO)
    # Two columns that differ by 1e-4: X has condition number about 10^4, X^T X about 10^8,
    # beyond float32 (the prompt asks for float64).
    near = rng.normal(size=(N_NEAR, 3))
    near_x = np.column_stack([near, near[:, 0] + 1e-4 * rng.normal(size=N_NEAR)])
    near_y = near @ np.array([1.0, 0.5, -1.0]) + 0.1 * rng.normal(size=N_NEAR)
    fraction = float(rng.uniform(0.2, 0.8))
    return [
        Call(
            "ridge",
            "ridge",
            (x, y, lam),
            label=f"a random problem, N = {n}, d = {d}, lam = {lam:.4g}",
        ),
        Call(
            "ridge-lesson",
            "ridge",
            (lesson_x, lesson_y, 1.0),
            label="the lesson's X = diag(2, 1), y = (4, 1), lam = 1",
        ),
        Call("ridge-zero", "ridge", (x, y, 0.0), label="lam = 0 on a full-rank problem"),
        Call(
            "ridge-wide",
            "ridge",
            (wide_x, wide_y, 0.0),
            label="lam = 0 with 9 features and 5 samples",
        ),
        Call("ridge-dup", "ridge", (dup_x, dup_y, 0.0), label="lam = 0 with two identical columns"),
        Call(
            "ridge-near",
            "ridge",
            (near_x, near_y, 0.0),
            label="lam = 0 with two columns that differ by about 1e-4",
        ),
        Call(
            "ridge-zero-feature",
            "ridge",
            (zero_x, zero_y, 0.0),
            label=f"lam = 0 with a feature that is 0 on all {N_ZERO} samples",
        ),
        Call(
            "ridge-wide-lam",
            "ridge",
            (wide_x, wide_y, 0.3),
            label="lam = 0.3 with 9 features and 5 samples",
        ),
        Call("radius", "ridge_radius", (x, y, lam), label=f"the random problem at lam = {lam:.4g}"),
        Call(
            "radius-near",
            "ridge_radius",
            (near_x, near_y, SMALL_LAM),
            label=f"two columns that differ by about 1e-4, lam = {SMALL_LAM:g}",
        ),
        Call(
            "radius-lesson",
            "ridge_radius",
            (lesson_x, lesson_y, 1.0),
            label="the lesson's example at lam = 1",
        ),
        Call(
            "lam-random",
            "lambda_for_radius",
            (x, y, fraction * r0),
            label=f"the random problem, t = {fraction:.3f} r(0)",
        ),
        Call(
            "lam-lesson",
            "lambda_for_radius",
            (lesson_x, lesson_y, 1.0),
            label="the lesson's example, t = 1",
        ),
        Call(
            "lam-small",
            "lambda_for_radius",
            (x, y, _radius(x, y, SMALL_LAM)),
            label=f"the random problem, t = r({SMALL_LAM:g}) just below r(0)",
        ),
        Call(
            "lam-near",
            "lambda_for_radius",
            (near_x, near_y, 0.5 * _radius(near_x, near_y, 0.0)),
            label="two columns that differ by about 1e-4, t = r(0) / 2",
        ),
        Call(
            "lam-inactive",
            "lambda_for_radius",
            (x, y, 1.5 * r0),
            label="t = 1.5 r(0), an inactive constraint",
        ),
        Call(
            "lam-boundary",
            "lambda_for_radius",
            (lesson_x, lesson_y, np.sqrt(5.0)),
            label="t = r(0) exactly",
        ),
        Call("lam-tiny", "lambda_for_radius", (x, y, 1e-3 * r0), label="t = r(0) / 1000"),
        Call(
            "lam-wide",
            "lambda_for_radius",
            (wide_x, wide_y, 0.5 * _radius(wide_x, wide_y, 0.0)),
            label="9 features and 5 samples, t = r(0) / 2",
        ),
        Call(
            "lam-dup",
            "lambda_for_radius",
            (dup_x, dup_y, 0.7 * _radius(dup_x, dup_y, 0.0)),
            label="two identical columns, t = 0.7 r(0)",
        ),
    ]


def grade(g: Grader) -> None:
    # Default tolerances (NOTATION.md): the problems are well conditioned in float64 (the prompt
    # asks for it: X^T X squares X's condition number).
    g.check_close_all(
        "(X^T X + lam I) w = X^T y", ("ridge", "ridge-lesson", "ridge-wide-lam"), points=2
    )
    g.check_close_all(
        "lam = 0 gives the minimum-norm least-squares solution",
        ("ridge-zero", "ridge-wide", "ridge-dup", "ridge-near", "ridge-zero-feature"),
        points=2,
    )
    g.check_close_all(
        "the radius is the norm of the ridge solution", ("radius", "radius-near", "radius-lesson")
    )

    def root(keys):
        def run():
            for key in keys:
                x, y, t = g.args(key)
                expected = float(g.expected(key))
                got = g.scalar(key)
                where = g.call(key).description
                if not np.isfinite(got) or got < 0:
                    raise CheckFailed(f"on {where} lam should be a number >= 0, but is {got}")
                if expected == 0.0:
                    if abs(got) > 1e-8:
                        return (
                            f"on {where} r(0) = {_radius(x, y, 0.0):.10g} <= t = {t:.10g}, so "
                            f"lam = 0; you returned {got:.10g}"
                        )
                    continue
                reached = _radius(x, y, got)
                if np.isclose(reached, t, rtol=1e-7, atol=0) and np.isclose(
                    got, expected, rtol=1e-5, atol=0
                ):
                    continue
                return (
                    f"on {where} (t = {t:.10g}) the reference's lam = {expected:.10g} gives the "
                    f"radius {_radius(x, y, expected):.10g}; your lam = {got:.10g} gives {reached:.10g}"
                )
            return None

        return run

    g.custom(
        "inverts the radius on a random problem (two radii) and on the lesson's example",
        root(("lam-random", "lam-small", "lam-lesson")),
        points=2,
    )
    g.custom(
        "lam = 0 when the constraint is inactive", root(("lam-inactive", "lam-boundary")), points=1
    )
    g.custom("a tiny radius needs a large lam", root(("lam-tiny",)), points=1)
    g.custom(
        "singular and nearly singular problems", root(("lam-wide", "lam-dup", "lam-near")), points=1
    )


def _functions(ridge):
    """ridge_radius and lambda_for_radius built on ``ridge`` as a learner writes them, with
    the bracket and the bisection of _bisect."""

    def ridge_radius(X, y, lam):
        return float(np.linalg.norm(ridge(X, y, lam)))

    def lambda_for_radius(X, y, t):
        return _bisect(ridge_radius, X, y, t)

    return {"ridge": ridge, "ridge_radius": ridge_radius, "lambda_for_radius": lambda_for_radius}


def _bisect(radius, X, y, t, *, inactive=True, bracket=True, reversed_=False):
    r0 = radius(X, y, 0.0)
    if t >= r0:
        if inactive:
            return 0.0
        return None
    lo, hi = 0.0, 1.0
    if bracket:
        while radius(X, y, hi) > t:
            lo, hi = hi, 2.0 * hi
    else:
        hi = 1e3
    for _ in range(300):
        mid = 0.5 * (lo + hi)
        if (radius(X, y, mid) > t) != reversed_:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-13 * hi:
            break
    return 0.5 * (lo + hi)


def _ridge_with(*, zero="lstsq", every_entry=False, normalised=False):
    """ridge with one mistake, as a learner writes it (mistakes())."""

    def ridge(X, y, lam):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        if lam == 0 and zero == "lstsq":
            return np.linalg.lstsq(X, y, rcond=None)[0]
        n, d = X.shape
        if every_entry:
            return np.linalg.solve(X.T @ X + lam, X.T @ y)
        if normalised:
            return np.linalg.solve(X.T @ X / n + lam * np.eye(d), X.T @ y / n)
        return np.linalg.solve(X.T @ X + lam * np.eye(d), X.T @ y)

    return ridge


def _lambda_with(**flaws):
    radius = _functions(_ridge_with())["ridge_radius"]

    def lambda_for_radius(X, y, t):
        return _bisect(radius, X, y, t, **flaws)

    return {"lambda_for_radius": lambda_for_radius}


def _radius_squared():
    ridge = _ridge_with()

    def ridge_radius(X, y, lam):
        return float(np.linalg.norm(ridge(X, y, lam)) ** 2)

    def lambda_for_radius(X, y, t):
        return _bisect(ridge_radius, X, y, t)

    return {"ridge_radius": ridge_radius, "lambda_for_radius": lambda_for_radius}


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "radius-squared",
            diagnosis=(
                "Your ridge_radius returns the squared norm |w|^2; the radius of the ball is the "
                "norm |w|, so lambda_for_radius then solves |w(lam)|^2 = t as well."
            ),
            fix="Return np.linalg.norm(ridge(X, y, lam)) itself, not its square.",
            wrong=_radius_squared(),
        ),
        Mistake(
            "lam-on-every-entry",
            diagnosis=(
                "In ridge you add lam to every entry of X^T X (X.T @ X + lam); the penalty "
                "lam |w|^2 adds lam to the diagonal only."
            ),
            fix="Solve (X.T @ X + lam * np.eye(d)) w = X.T @ y.",
            wrong=_functions(_ridge_with(every_entry=True)),
        ),
        Mistake(
            "normalised-objective",
            diagnosis=(
                "Your ridge solves (X^T X / N + lam I) w = X^T y / N, the minimiser of "
                "|Xw - y|^2 / N + lam |w|^2: your lam acts N times as strongly as the prompt's."
            ),
            fix=(
                "The objective here is |Xw - y|^2 + lam |w|^2 with no 1/N: solve "
                "(X.T @ X + lam * np.eye(d)) w = X.T @ y."
            ),
            wrong=_functions(_ridge_with(normalised=True)),
        ),
        Mistake(
            "lam0-plain-solve",
            diagnosis=(
                "At lam = 0 your ridge solves the normal equations X^T X w = X^T y with "
                "np.linalg.solve: when X^T X is singular (a feature that is 0 on every sample, "
                "two identical columns, more features than samples) it raises LinAlgError or "
                "returns a solution that is not the minimum-norm one."
            ),
            fix=(
                "At lam = 0 return the minimum-norm least-squares solution, "
                "np.linalg.lstsq(X, y, rcond=None)[0] (or np.linalg.pinv(X) @ y)."
            ),
            wrong=_functions(_ridge_with(zero="solve")),
        ),
        Mistake(
            "inactive-not-zero",
            diagnosis=(
                "When t >= r(0) (the constraint is inactive) your lambda_for_radius returns "
                "None instead of 0.0."
            ),
            fix="Start with: if t >= ridge_radius(X, y, 0.0): return 0.0.",
            wrong=_lambda_with(inactive=False),
        ),
        Mistake(
            "fixed-bracket",
            diagnosis=(
                "Your bisection runs on the fixed bracket [0, 1e3]: for a radius whose lam "
                "lies beyond 1e3 (t = r(0) / 1000) it ends at the bracket's upper end."
            ),
            fix=(
                "Grow the bracket first: start with hi = 1.0 and double it while "
                "ridge_radius(X, y, hi) > t."
            ),
            wrong=_lambda_with(bracket=False),
        ),
        Mistake(
            "bisection-reversed",
            diagnosis=(
                "Your bisection moves the wrong end: when r(mid) > t you set hi = mid, but r "
                "decreases as lam grows, so the root lies above mid."
            ),
            fix="When ridge_radius(X, y, mid) > t set lo = mid, else hi = mid.",
            wrong=_lambda_with(reversed_=True),
        ),
    ]


def figures(g: Grader) -> None:
    x, y, t = g.args("lam-random")
    expected = float(g.expected("lam-random"))
    lams = np.logspace(np.log10(expected) - 3, np.log10(expected) + 3, 121)
    fig = plots.PlainFigure()
    fig.add_scatter(
        x=lams,
        y=[_radius(x, y, lam) for lam in lams],
        name="r(λ) = |w(λ)|",
        line={"color": plots.NEUTRAL, "width": 3},
    )
    fig.add_hline(
        y=t, line={"color": plots.NEUTRAL, "dash": "dot"}, annotation_text="target radius t"
    )
    fig.add_scatter(
        x=[expected],
        y=[t],
        mode="markers",
        name="reference λ",
        marker={"size": 14, "color": plots.REFERENCE},
    )
    try:
        got = g.scalar("lam-random")
    except CheckFailed:
        got = None
    if got is not None and np.isfinite(got) and got > 0:
        fig.add_scatter(
            x=[got],
            y=[_radius(x, y, got)],
            mode="markers",
            name="your λ, at the radius it gives",
            marker={"size": 10, "color": plots.LEARNER, "symbol": "x"},
        )
    fig.update_xaxes(type="log", title="ridge coefficient λ (log scale)")
    fig.update_layout(
        title={"text": "the radius falls strictly as λ grows: one λ for each radius"},
        yaxis_title="radius t",
        height=380,
    )
    g.figure(fig)
