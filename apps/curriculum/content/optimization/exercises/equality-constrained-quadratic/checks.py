import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, conditioned, plots


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


def _rtol(g: Grader, key: str) -> float:
    # A correct float32 solve is off by about cond(KKT) x 6e-8.
    q, _, a, _ = (np.asarray(v, dtype=float) for v in g.args(key))
    m = a.shape[0]
    kkt = np.block([[q, a.T], [a, np.zeros((m, m))]])
    return conditioned(float(np.linalg.cond(kkt)))


def grade(g: Grader) -> None:
    for key, name, points in (
        ("plane", "a 2-D problem with one constraint", 1),
        ("random", "a random problem", 2),
        ("pinned", "constraints that pin x down (m = n)", 1),
        ("free", "no constraints: x = -Q^-1 c and no multipliers", 1),
    ):
        g.check_close(f"x: {name}", key, 0, rtol=_rtol(g, key), points=points)
        g.check_close(f"lam: {name}", key, 1, rtol=_rtol(g, key), points=points)


# --- known mistakes ------------------------------------------------------------------------
def _kkt(*, q_factor=1.0, a_sign=1.0, c_sign=-1.0, b_sign=1.0, split_at_m=False):
    """The KKT solve with one sign, factor or split done the wrong way."""

    def solve_equality_qp(Q, c, A, b):
        Q, c, A, b = (np.asarray(v, dtype=float) for v in (Q, c, A, b))
        n, m = Q.shape[0], A.shape[0]
        kkt = np.block([[q_factor * Q, a_sign * A.T], [A, np.zeros((m, m))]])
        solution = np.linalg.solve(kkt, np.concatenate([c_sign * c, b_sign * b]))
        cut = m if split_at_m else n
        return solution[:cut], solution[cut:]

    return solve_equality_qp


def _projected(Q, c, A, b):
    Q, c, A, b = (np.asarray(v, dtype=float) for v in (Q, c, A, b))
    x = np.linalg.solve(Q, -c)
    if A.shape[0]:
        x = x - A.T @ np.linalg.solve(A @ A.T, A @ x - b)
    lam = np.linalg.lstsq(A.T, -(Q @ x + c), rcond=None)[0] if A.shape[0] else np.zeros(0)
    return x, lam


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "multiplier-sign",
            diagnosis=(
                "Your multipliers have the opposite sign: the prompt's convention is "
                "Q x + c + A^T lam = 0, from the Lagrangian 1/2 x^T Q x + c^T x + lam^T (A x - b)."
            ),
            fix="Use +A^T in the top-right block of the KKT matrix.",
            wrong=_kkt(a_sign=-1.0),
        ),
        Mistake(
            "projected-unconstrained",
            diagnosis=(
                "You minimise without the constraints and then project onto A x = b: the result "
                "is feasible but not the constrained minimiser (unless Q is a multiple of I)."
            ),
            fix="Solve the KKT system [[Q, A^T], [A, 0]] [x; lam] = [-c; b] for x and lam together.",
            wrong=_projected,
        ),
        Mistake(
            "gradient-doubled",
            diagnosis="You put 2Q in the KKT matrix: the gradient of 1/2 x^T Q x is Q x for a symmetric Q.",
            fix="The top-left block is Q itself.",
            wrong=_kkt(q_factor=2.0),
        ),
        Mistake(
            "rhs-minus-b",
            diagnosis="Your right-hand side is (-c, -b): the solution then satisfies A x = -b.",
            fix="The feasibility rows read A x = b: the right-hand side is (-c, b).",
            wrong=_kkt(b_sign=-1.0),
        ),
        Mistake(
            "rhs-plus-c",
            diagnosis="Your right-hand side has +c: stationarity Q x + c + A^T lam = 0 puts -c on the right.",
            fix="The right-hand side is np.concatenate([-c, b]).",
            wrong=_kkt(c_sign=1.0),
        ),
        Mistake(
            "split-at-m",
            diagnosis="You split the KKT solution at m: its first n entries are x, the last m are lam.",
            fix="x, lam = solution[:n], solution[n:].",
            wrong=_kkt(split_at_m=True),
        ),
    ]


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
