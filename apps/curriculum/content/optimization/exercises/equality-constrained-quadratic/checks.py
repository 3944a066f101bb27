import numpy as np

from apps.sandbox.grading import Call, Grader, plots

KEYS = ("plane", "random", "pinned", "free")


def _spd(rng, n):
    m = rng.normal(size=(n, n))
    return m @ m.T + 0.5 * np.eye(n)


def cases(rng: np.random.Generator) -> list[Call]:
    n, m = int(rng.integers(4, 9)), int(rng.integers(2, 4))
    q2 = _spd(rng, 2)
    a2 = rng.normal(size=(1, 2))
    return [
        Call(
            "plane",
            "solve_equality_qp",
            (q2, rng.normal(size=2), a2, rng.normal(size=1)),
            label="a 2-D problem with one constraint",
        ),
        Call(
            "random",
            "solve_equality_qp",
            (_spd(rng, n), rng.normal(size=n), rng.normal(size=(m, n)), rng.normal(size=m)),
            label=f"a random problem with n = {n} and m = {m} constraints",
        ),
        Call(
            "pinned",
            "solve_equality_qp",
            (_spd(rng, 3), rng.normal(size=3), rng.normal(size=(3, 3)), rng.normal(size=3)),
            label="a problem with m = n = 3 constraints",
        ),
        Call(
            "free",
            "solve_equality_qp",
            (_spd(rng, 3), rng.normal(size=3), np.zeros((0, 3)), np.zeros(0)),
            label="an unconstrained problem (m = 0)",
        ),
    ]


def grade(g: Grader) -> None:
    def feasible():
        for key in KEYS:
            _, _, a, b = g.args(key)
            x = g.array(key, 0)
            gap = float(np.abs(a @ x - b).max()) if a.shape[0] else 0.0
            if gap > 1e-8 * (1 + np.abs(b).max(initial=0)):
                return f"on {g.call(key).description} the constraints are violated: |A x - b| is up to {gap:.3g}"
        return None

    g.custom("x satisfies A x = b", feasible, points=2)

    def stationary():
        for key in KEYS:
            q, c, a, _ = g.args(key)
            x, lam = g.array(key, 0), g.array(key, 1)
            residual = q @ x + c + a.T @ lam
            flipped = q @ x + c - a.T @ lam
            scale = 1 + np.abs(c).max()
            if np.abs(residual).max() > 1e-7 * scale:
                if np.abs(flipped).max() <= 1e-7 * scale:
                    return (
                        f"on {g.call(key).description} your multipliers have the opposite sign: the prompt's sign "
                        "convention is Q x + c + A^T lam = 0 (the Lagrangian adds + lam^T (A x - b))"
                    )
                return (
                    f"on {g.call(key).description} Q x + c + A^T lam should be 0, but is up to "
                    f"{np.abs(residual).max():.3g} in size"
                )
        return None

    g.custom("Q x + c + A^T lam = 0", stationary, points=2)

    def optimal():
        q, c, _, _ = g.args("random")
        x = g.array("random", 0)
        ref = np.asarray(g.expected("random", 0))

        def f(v):
            return 0.5 * v @ q @ v + c @ v

        if not np.allclose(x, ref, rtol=1e-7, atol=1e-9):
            return (
                f"on {g.call('random').description} your x gives objective {f(x):.6g} but the constrained minimum is "
                f"{f(ref):.6g}: x is not the constrained minimiser (solve the KKT system, do not project)"
            )
        return None

    g.custom("x is the constrained minimiser", optimal, points=2)
    g.check_close("multipliers of a random problem", "random", 1, rtol=1e-7, atol=1e-9)
    g.check_close("constraints that pin x down (m = n)", "pinned", 0, rtol=1e-7, atol=1e-9)
    g.check_close(
        "no constraints: x = -Q^-1 c",
        "free",
        0,
        rtol=1e-9,
        atol=1e-12,
        hint="With m = 0 the KKT matrix is just Q; np.block and np.zeros((0, 0)) handle that case",
    )
    g.check_close("no constraints: lam is empty", "free", 1)


def figures(g: Grader) -> None:
    q, c, a, b = (np.asarray(v) for v in g.args("plane"))
    ref = np.asarray(g.expected("plane", 0))
    centre = ref
    xs = np.linspace(centre[0] - 3, centre[0] + 3, 60)
    ys = np.linspace(centre[1] - 3, centre[1] + 3, 60)
    gx, gy = np.meshgrid(xs, ys)
    pts = np.stack([gx, gy], axis=-1)
    z = 0.5 * np.einsum("...i,ij,...j->...", pts, q, pts) + pts @ c
    fig = plots.contour_with_paths(
        xs, ys, z, {"reference": ref[None, :]}, title="minimising a quadratic on the line a^T x = b"
    )
    fig.data[-1].marker.size = 12
    a0 = a[0]
    if abs(a0[1]) > abs(a0[0]):
        line_x = xs
        line_y = (b[0] - a0[0] * xs) / a0[1]
    else:
        line_y = ys
        line_x = (b[0] - a0[1] * ys) / a0[0]
    fig.add_scatter(
        x=line_x, y=line_y, mode="lines", name="constraint", line={"color": "#10b981", "width": 2}
    )
    free = np.linalg.solve(q, -c)
    fig.add_scatter(
        x=[free[0]],
        y=[free[1]],
        mode="markers",
        name="unconstrained minimum",
        marker={"color": plots.NEUTRAL, "size": 9, "symbol": "x"},
    )
    yours = g.try_array("plane", 0)
    if yours is not None and np.all(np.isfinite(yours)):
        fig.add_scatter(
            x=[yours[0]],
            y=[yours[1]],
            mode="markers",
            name="yours",
            marker={"color": plots.LEARNER, "size": 9, "symbol": "diamond"},
        )
    fig.update_xaxes(range=[xs[0], xs[-1]])
    fig.update_yaxes(range=[ys[0], ys[-1]], scaleanchor="x", scaleratio=1)
    g.figure(fig)
