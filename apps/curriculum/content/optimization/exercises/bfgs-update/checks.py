import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots


def _spd(rng, n, low=0.5, high=3.0):
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    m = q @ np.diag(rng.uniform(low, high, size=n)) @ q.T
    return (m + m.T) / 2


def _hessian_update(m, s, y):
    """The BFGS update of the Hessian approximation B, applied by mistake to the inverse M."""
    ms = m @ s
    return m - np.outer(ms, ms) / (s @ ms) + np.outer(y, y) / (y @ s)


def _swapped(m, s, y):
    rho = 1.0 / (y @ s)
    a = np.eye(s.size) - rho * np.outer(s, y)
    return a.T @ m @ a + rho * np.outer(s, s)


def _plain(m, s, y):
    rho = 1.0 / (y @ s)
    a = np.eye(s.size) - rho * np.outer(y, s)
    return a.T @ m @ a + rho * np.outer(s, s)


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


def _close(got, expected):
    scale = max(1.0, float(np.abs(expected).max())) if expected.size else 1.0
    return np.allclose(got, expected, rtol=1e-5, atol=1e-5 * scale)


def grade(g: Grader) -> None:
    def formula(keys):
        def run():
            for key in keys:
                m, s, y = g.args(key)
                expected = np.asarray(g.expected(key))
                got = g.array(key)
                if _close(got, expected):
                    continue
                where = g.call(key).description
                if y @ s > 0:
                    named = {
                        "that is the update of the Hessian approximation B (it satisfies new @ s = y); "
                        "the inverse M must satisfy new @ y = s": _hessian_update(m, s, y),
                        "the outer products are swapped: the factor on the left of M is I - rho s y^T, "
                        "its transpose on the right is I - rho y s^T": _swapped(m, s, y),
                    }
                    for why, value in named.items():
                        if _close(got, value):
                            return f"on {where}: {why}"
                    if np.allclose(got, m):
                        scale = (
                            "; the skip test compares y.s with 1e-10 |s| |y|, a threshold that scales "
                            "with the step, not with a fixed small number"
                            if abs(y @ s) < 1e-6
                            else ""
                        )
                        return f"on {where} you returned M unchanged, but y.s = {y @ s:.4g} > 0: apply the update{scale}"
                worst = np.unravel_index(int(np.argmax(np.abs(got - expected))), got.shape)
                return (
                    f"on {where} entry {tuple(int(i) for i in worst)} should be {expected[worst]:.6g}, "
                    f"got {got[worst]:.6g}"
                )
            return None

        return run

    g.custom("the BFGS formula", formula(("random", "plane", "identity")), points=3)
    g.custom("one dimension gives s / y", formula(("scalar",)))

    def properties():
        _, s, y = g.args("random")
        got = g.array("random")
        if not np.all(np.isfinite(got)):
            return "your matrix has NaN or infinite entries"
        gap = np.abs(got @ y - s).max()
        if gap > 1e-6 * (1 + np.abs(s).max()):
            if np.abs(got @ s - y).max() <= 1e-6 * (1 + np.abs(y).max()):
                return "your matrix maps s to y, the secant condition of the Hessian; the inverse must map y to s"
            return f"the secant condition new @ y = s fails by {gap:.3g}"
        if np.abs(got - got.T).max() > 1e-8 * (1 + np.abs(got).max()):
            return "your matrix is not symmetric"
        smallest = float(np.linalg.eigvalsh((got + got.T) / 2).min())
        if smallest <= 0:
            return (
                f"your matrix is not positive definite: its smallest eigenvalue is {smallest:.4g}"
            )
        return None

    g.custom("secant condition, symmetry and positive definiteness", properties, points=2)

    def skipped(keys):
        def run():
            for key in keys:
                m, s, y = g.args(key)
                got = g.array(key)
                where = g.call(key).description
                if not np.all(np.isfinite(got)):
                    return f"on {where} your matrix has NaN or infinite entries: y.s = 0, so skip the update"
                if not np.allclose(got, m, rtol=1e-6, atol=1e-9):
                    smallest = float(np.linalg.eigvalsh((got + got.T) / 2).min())
                    extra = (
                        f"; the update you applied has eigenvalue {smallest:.4g}, no longer positive definite"
                        if smallest <= 0
                        else ""
                    )
                    return f"on {where}, y.s = {y @ s:.4g} is not positive, so M must come back unchanged{extra}"
            return None

        return run

    g.custom(
        "skips the update when the curvature condition fails",
        skipped(("negative", "zero")),
        points=2,
    )
    g.custom("steps of size 1e-6 and 1e6", formula(("small", "large")), points=2)


def figures(g: Grader) -> None:
    m, s, y = g.args("plane")
    reference = np.asarray(g.expected("plane"))
    yours = g.try_array("plane")
    t = np.linspace(0, 2 * np.pi, 121)
    circle = np.stack([np.cos(t), np.sin(t)])
    fig = go.Figure()
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
