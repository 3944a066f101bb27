import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots


def _spd(rng: np.random.Generator, n: int) -> np.ndarray:
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    return (q * rng.uniform(0.3, 4.0, size=n)) @ q.T


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(3, 6))
    A = _spd(rng, n)
    return [
        Call(
            "half",
            "sym_matrix_power",
            (A, 0.5),
            label=f"a random {n}x{n} positive definite A with t = 0.5",
        ),
        Call("inverse", "sym_matrix_power", (A, -1.0), label="the same A with t = -1"),
        Call("square", "sym_matrix_power", (A, 2.0), label="the same A with t = 2"),
        Call(
            "whiten",
            "sym_matrix_power",
            (_spd(rng, 4), -0.5),
            label="a 4x4 covariance matrix with t = -0.5",
        ),
        Call("zero", "sym_matrix_power", (A, 0.0), label="the same A with t = 0"),
        Call(
            "scalar",
            "sym_matrix_power",
            (np.array([[9.0]]), 0.5),
            label="the 1x1 matrix [[9]] with t = 0.5",
        ),
        Call(
            "plane",
            "sym_matrix_power",
            (np.array([[3.0, 1.2], [1.2, 1.0]]), 0.5),
            label="the 2x2 matrix [[3, 1.2], [1.2, 1]] with t = 0.5",
        ),
    ]


def grade(g: Grader) -> None:
    def squares_back() -> str | None:
        A = np.asarray(g.args("half")[0])
        R = g.array("half")
        gap = float(np.abs(R @ R - A).max())
        if gap > 1e-8:
            return f"for {g.call('half').description}, your A^(1/2) times itself differs from A by up to {gap:.3g}"
        return None

    def inverts() -> str | None:
        A = np.asarray(g.args("inverse")[0])
        R = g.array("inverse")
        gap = float(np.abs(R @ A - np.eye(A.shape[0])).max())
        if gap > 1e-8:
            return f"for t = -1, your result times A differs from the identity by up to {gap:.3g}"
        return None

    g.custom(
        "the square root squares back to A",
        squares_back,
        points=2,
        hint="A ** t is elementwise; a matrix power acts on the eigenvalues: Q diag(lambda^t) Q^T",
    )
    g.custom(
        "t = -1 gives the inverse",
        inverts,
        points=2,
        hint="Rebuild with Q on the left and its transpose Q^T on the right",
    )
    g.check_close(
        "t = 2 gives A A",
        "square",
        rtol=1e-8,
        atol=1e-8,
        points=1,
        expected=np.asarray(g.args("square")[0]) @ np.asarray(g.args("square")[0]),
    )
    g.check_close("whitening matrix A^(-1/2)", "whiten", rtol=1e-7, atol=1e-8, points=1)
    g.check_close(
        "t = 0 gives the identity",
        "zero",
        rtol=1e-8,
        atol=1e-8,
        points=1,
        expected=np.eye(np.asarray(g.args("zero")[0]).shape[0]),
        hint="lambda^0 = 1 for every eigenvalue, so A^0 = Q Q^T = I; entrywise A ** 0 would be all ones",
    )
    g.check_symmetric("the result is symmetric", "half", atol=1e-8, points=1)
    g.check_close("works for a 1x1 matrix", "scalar", rtol=1e-8, points=1)


def figures(g: Grader) -> None:
    reference = np.asarray(g.expected("plane"))
    fig = plots.transformed_circle(
        reference, {}, title="The unit circle under A^(1/2) for A = [[3, 1.2], [1.2, 1]]"
    )
    fig.data[1].name = "reference A^(1/2) · circle"
    fig.data[1].line = {"color": plots.REFERENCE, "width": 4}
    yours = g.try_array("plane")
    if yours is not None and np.all(np.isfinite(yours)):
        t = np.linspace(0, 2 * np.pi, 121)
        image = yours @ np.stack([np.cos(t), np.sin(t)])
        fig.add_trace(
            go.Scatter(
                x=image[0],
                y=image[1],
                name="your A^(1/2) · circle",
                line={"color": plots.LEARNER, "dash": "dash"},
            )
        )
    lam, Q = np.linalg.eigh(np.asarray(g.args("plane")[0]))
    for i in range(2):
        v = np.sqrt(lam[i]) * Q[:, i]
        fig.add_trace(
            go.Scatter(
                x=[0, v[0]],
                y=[0, v[1]],
                mode="lines+markers",
                name=f"√λ{i + 1} v{i + 1}",
                line={"color": plots.NEUTRAL, "width": 2},
            )
        )
    g.figure(fig)
