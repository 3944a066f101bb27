import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots


def _rotation(rng, radius):
    theta = rng.uniform(0.4, 2.5)
    c, s = np.cos(theta), np.sin(theta)
    Q, _ = np.linalg.qr(rng.normal(size=(2, 2)))
    return radius * Q @ np.array([[c, -s], [s, c]]) @ Q.T


def _with_spectrum(rng, eigenvalues):
    n = len(eigenvalues)
    V = rng.normal(size=(n, n)) + 2 * np.eye(n)
    return V @ np.diag(eigenvalues) @ np.linalg.inv(V)


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(3, 6))
    A = rng.normal(size=(n, n))
    stable = A * rng.uniform(0.5, 0.9) / np.abs(np.linalg.eigvals(A)).max()
    unstable = A * rng.uniform(1.2, 1.6) / np.abs(np.linalg.eigvals(A)).max()
    negative = _with_spectrum(
        rng, [-rng.uniform(0.8, 0.95), rng.uniform(0.1, 0.4), rng.uniform(0.1, 0.4)]
    )
    off = rng.uniform(2.0, 3.0)
    non_normal = np.array([[0.5, off], [0.0, rng.uniform(0.6, 0.8)]])
    return [
        Call(
            "spiral",
            "linear_rnn_fixed_point",
            (_rotation(rng, rng.uniform(0.6, 0.9)), rng.normal(size=2)),
            label="a 2x2 rotation-like W with complex eigenvalues inside the unit circle",
        ),
        Call(
            "stable",
            "linear_rnn_fixed_point",
            (stable, rng.normal(size=n)),
            label=f"a random stable {n}x{n} W",
        ),
        Call(
            "unstable",
            "linear_rnn_fixed_point",
            (unstable, rng.normal(size=n)),
            label=f"a random unstable {n}x{n} W",
        ),
        Call(
            "negative",
            "linear_rnn_fixed_point",
            (negative, rng.normal(size=3)),
            label="a 3x3 W whose largest-modulus eigenvalue is negative",
        ),
        Call(
            "non_normal",
            "linear_rnn_fixed_point",
            (non_normal, rng.normal(size=2)),
            label=f"the non-symmetric W = [[0.5, {off:.2f}], [0, {non_normal[1, 1]:.2f}]]",
        ),
        Call(
            "scalar",
            "linear_rnn_fixed_point",
            (np.array([[-0.5]]), np.array([3.0])),
            label="the 1x1 system h_t = -0.5 h_(t-1) + 3",
        ),
    ]


KEYS = ("spiral", "stable", "unstable", "negative", "non_normal", "scalar")


def grade(g: Grader) -> None:
    def fixed_point() -> str | None:
        for key in KEYS:
            W, b = g.args(key)
            h = g.array(key, 0)
            residual = np.abs(W @ h + b - h).max()
            if not np.isfinite(residual) or residual > 1e-8 * (1 + np.abs(h).max()):
                want = g.expected(key, 0)
                return (
                    f"on {g.call(key).description}, h_star = {np.round(h, 4)} is not fixed: "
                    f"W h_star + b - h_star is off by {residual:.3g}; the fixed point is {np.round(want, 4)}"
                )
        return None

    g.custom(
        "h_star is a fixed point",
        fixed_point,
        points=3,
        hint="solve the linear system (I - W) h_star = b with np.linalg.solve",
    )

    def radius(keys, note):
        def run() -> str | None:
            for key in keys:
                got, want = g.scalar(key, 1), g.expected(key, 1)
                if not np.isclose(got, want, rtol=1e-7, atol=1e-10):
                    return f"on {g.call(key).description} the spectral radius is {want:.6g}, but you returned {got:.6g}. {note}"
            return None

        return run

    g.custom(
        "spectral radius of a random W",
        radius(("stable", "unstable"), ""),
        points=2,
        hint="the spectral radius is the largest absolute value of the eigenvalues of W",
    )
    g.custom(
        "spectral radius with complex and negative eigenvalues",
        radius(
            ("spiral", "negative", "scalar"),
            "Eigenvalues can be complex or negative: take the largest modulus |lambda|, not the largest real part",
        ),
        points=2,
    )
    g.custom(
        "spectral radius of a non-symmetric W",
        radius(
            ("non_normal",),
            "For a non-symmetric W the largest singular value (np.linalg.norm(W, 2)) is larger than the "
            "spectral radius; stability is decided by eigenvalues",
        ),
        points=1,
    )

    def classified() -> str | None:
        for key in KEYS:
            got = g.output(key, 2)
            want = g.expected(key, 2)
            if not isinstance(got, bool | np.bool_):
                return f"the third item should be a bool (True or False), but it is {type(got).__name__}"
            if bool(got) != bool(want):
                rho = g.expected(key, 1)
                return (
                    f"on {g.call(key).description} the spectral radius is {rho:.4g}, so the fixed point is "
                    f"{'stable' if want else 'unstable'}, but you returned stable={bool(got)}"
                )
        return None

    g.custom("stability is classified", classified, points=2)


def figures(g: Grader) -> None:
    for key in ("stable", "non_normal"):
        W = g.arg(key, 0)
        eig = np.linalg.eigvals(W)
        t = np.linspace(0, 2 * np.pi, 121)
        fig = go.Figure()
        fig.add_scatter(
            x=np.cos(t),
            y=np.sin(t),
            name="unit circle",
            line={"color": plots.NEUTRAL, "dash": "dot"},
        )
        rho = g.expected(key, 1)
        fig.add_scatter(
            x=rho * np.cos(t),
            y=rho * np.sin(t),
            name="reference spectral radius",
            line={"color": plots.REFERENCE, "width": 3},
        )
        try:
            mine = g.scalar(key, 1)
        except Exception:
            mine = None
        if mine is not None and np.isfinite(mine) and 0 < abs(mine) < 100:
            fig.add_scatter(
                x=mine * np.cos(t),
                y=mine * np.sin(t),
                name="your spectral radius",
                line={"color": plots.LEARNER, "dash": "dash"},
            )
        fig.add_scatter(
            x=eig.real,
            y=eig.imag,
            mode="markers",
            name="eigenvalues of W",
            marker={"color": "#10b981", "size": 10},
        )
        fig.update_yaxes(scaleanchor="x", scaleratio=1)
        fig.update_layout(
            title={"text": f"eigenvalues of W in the complex plane ({g.call(key).description})"},
            xaxis_title="Re λ",
            yaxis_title="Im λ",
            height=420,
        )
        g.figure(fig)
