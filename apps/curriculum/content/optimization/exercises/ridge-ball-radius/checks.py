import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, CheckFailed, Grader, plots


def _ridge(x, y, lam):
    if lam == 0:
        return np.linalg.lstsq(x, y, rcond=None)[0]
    return np.linalg.solve(x.T @ x + lam * np.eye(x.shape[1]), x.T @ y)


def _radius(x, y, lam):
    return float(np.linalg.norm(_ridge(x, y, lam)))


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
            "ridge-wide-lam",
            "ridge",
            (wide_x, wide_y, 0.3),
            label="lam = 0.3 with 9 features and 5 samples",
        ),
        Call("radius", "ridge_radius", (x, y, lam), label=f"the random problem at lam = {lam:.4g}"),
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
    def solution(keys):
        def run():
            for key in keys:
                x, y, lam = g.args(key)
                expected = np.asarray(g.expected(key))
                got = g.array(key)
                if np.allclose(got, expected, rtol=1e-6, atol=1e-9 * (1 + np.abs(expected).max())):
                    continue
                where = g.call(key).description
                if lam > 0:
                    scalar_added = np.linalg.lstsq(x.T @ x + lam, x.T @ y, rcond=None)[0]
                    if np.allclose(got, scalar_added, rtol=1e-6):
                        return f"on {where} you added lam to every entry of X^T X; add it to the diagonal only, lam * np.eye(d)"
                    for factor, words in ((2.0, "2 lam"), (0.5, "lam / 2")):
                        if np.allclose(got, _ridge(x, y, factor * lam), rtol=1e-6):
                            return (
                                f"on {where} you solved with {words} on the diagonal; the objective "
                                "|Xw - y|^2 + lam |w|^2 has gradient 2 X^T (Xw - y) + 2 lam w, so the system is "
                                "(X^T X + lam I) w = X^T y"
                            )
                    if np.allclose(got, _ridge(x, y, 0.0), rtol=1e-6):
                        return f"on {where} you returned the unregularised solution: lam = {lam:g} is missing"
                else:
                    if not np.all(np.isfinite(got)):
                        return f"on {where} X^T X is singular; use np.linalg.lstsq (or the pseudo-inverse) at lam = 0"
                    if np.allclose(x @ got, x @ expected, rtol=1e-6, atol=1e-9):
                        return (
                            f"on {where} your w fits the data as well as the reference but has norm "
                            f"{np.linalg.norm(got):.6g} instead of {np.linalg.norm(expected):.6g}: at lam = 0 take the "
                            "minimum-norm solution, the limit of ridge as lam -> 0"
                        )
                worst = int(np.argmax(np.abs(got - expected)))
                return (
                    f"on {where}, w_{worst} = {expected[worst]:.6g}, you returned {got[worst]:.6g}"
                )
            return None

        return run

    g.custom(
        "(X^T X + lam I) w = X^T y", solution(("ridge", "ridge-lesson", "ridge-wide-lam")), points=2
    )
    g.custom(
        "lam = 0 gives the minimum-norm least-squares solution",
        solution(("ridge-zero", "ridge-wide", "ridge-dup")),
        points=2,
    )

    def radius():
        for key in ("radius", "radius-lesson"):
            got = g.scalar(key)
            expected = float(g.expected(key))
            if not np.isclose(got, expected, rtol=1e-6):
                where = g.call(key).description
                if np.isclose(got, expected**2, rtol=1e-6):
                    return f"on {where} you returned |w|^2 = {got:.6g}; the radius is |w| = {expected:.6g}"
                return f"on {where} the radius is {expected:.6g}, got {got:.6g}"
        return None

    g.custom("the radius is the norm of the ridge solution", radius)

    def root(keys):
        def run():
            for key in keys:
                x, y, t = g.args(key)
                expected = float(g.expected(key))
                got = g.scalar(key)
                where = g.call(key).description
                if not np.isfinite(got) or got < 0:
                    raise CheckFailed(
                        f"on {where} lam must be a number >= 0, but you returned {got}"
                    )
                if expected == 0.0:
                    if got != 0.0:
                        return (
                            f"on {where} the unregularised solution already has norm {_radius(x, y, 0.0):.6g} <= t, "
                            f"so the constraint is inactive and lam = 0 (complementary slackness); you returned {got:.6g}"
                        )
                    continue
                reached = _radius(x, y, got)
                if np.isclose(reached, t, rtol=1e-7) and np.isclose(got, expected, rtol=1e-5):
                    continue
                if np.isclose(_radius(x, y, expected), t, rtol=1e-7) and got > 0:
                    direction = "too small" if reached > t else "too large"
                    extra = ""
                    if abs(got - expected) <= 1e-3 * expected:
                        extra = "; you are close: keep bisecting until the bracket is about 1e-12 of lam wide"
                    elif key == "lam-tiny" and got < expected:
                        extra = (
                            "; the root lies far beyond a fixed bracket: double the upper end until its radius "
                            "drops below t"
                        )
                    return (
                        f"on {where} your lam = {got:.8g} gives the radius {reached:.8g}, not t = {t:.8g}: lam is "
                        f"{direction} (the reference finds {expected:.8g}){extra}"
                    )
                return f"on {where} lam = {expected:.8g}, you returned {got:.8g}"
            return None

        return run

    g.custom(
        "inverts the radius on a random problem and on the lesson's example",
        root(("lam-random", "lam-lesson")),
        points=2,
    )
    g.custom(
        "lam = 0 when the constraint is inactive", root(("lam-inactive", "lam-boundary")), points=1
    )
    g.custom("a tiny radius needs a large, unbracketed lam", root(("lam-tiny",)), points=1)
    g.custom("singular problems", root(("lam-wide", "lam-dup")), points=1)


def figures(g: Grader) -> None:
    x, y, t = g.args("lam-random")
    expected = float(g.expected("lam-random"))
    lams = np.logspace(np.log10(expected) - 3, np.log10(expected) + 3, 121)
    fig = go.Figure()
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
