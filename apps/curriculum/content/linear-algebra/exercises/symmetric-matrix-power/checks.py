import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, conditioned, plots


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


def _tol(A: np.ndarray) -> float:
    # Products and inverses of A amplify float32 rounding by about its condition number.
    return conditioned(np.linalg.cond(A)) * max(1.0, float(np.abs(A).max()))


def grade(g: Grader) -> None:
    def squares_back() -> str | None:
        A = np.asarray(g.args("half")[0])
        R = g.array("half")
        gap = float(np.abs(R @ R - A).max())
        if not gap <= _tol(A):
            return f"for {g.call('half').description}, your A^(1/2) times itself differs from A by up to {gap:.3g}"
        return None

    def inverts() -> str | None:
        A = np.asarray(g.args("inverse")[0])
        R = g.array("inverse")
        gap = float(np.abs(R @ A - np.eye(A.shape[0])).max())
        if not gap <= conditioned(np.linalg.cond(A)):
            return f"for t = -1, your result times A differs from the identity by up to {gap:.3g}"
        return None

    g.custom("the square root squares back to A", squares_back, points=2)
    g.custom("t = -1 gives the inverse", inverts, points=2)
    g.check_close(
        "t = 2 gives A A",
        "square",
        points=1,
        expected=np.asarray(g.args("square")[0]) @ np.asarray(g.args("square")[0]),
    )
    g.check_close("whitening matrix A^(-1/2)", "whiten", points=1)
    g.check_close(
        "t = 0 gives the identity",
        "zero",
        atol=1e-6,  # the identity's zeros come out of sums of order-1 terms
        points=1,
        expected=np.eye(np.asarray(g.args("zero")[0]).shape[0]),
    )
    g.check_symmetric("the result is symmetric", "half", atol=1e-6, points=1)
    g.check_close("works for a 1x1 matrix", "scalar", points=1)
    g.check_close("the 2x2 square root", "plane", points=0.5)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _eig(A):
    return np.linalg.eigh(np.asarray(A, dtype=float))


def _elementwise(A, t):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(A, dtype=float) ** t


def _elementwise_abs(A, t):
    with np.errstate(divide="ignore"):
        return np.abs(np.asarray(A, dtype=float)) ** t


def _missing_transpose(A, t):
    lam, Q = _eig(A)
    return (Q * lam**t) @ Q


def _diag_then_power(A, t):
    lam, Q = _eig(A)
    with np.errstate(divide="ignore", invalid="ignore"):
        return Q @ np.diag(lam) ** t @ Q.T


def _scales_rows(A, t):
    lam, Q = _eig(A)
    return (Q.T * lam**t) @ Q


def _sorted_values_only(A, t):
    lam, Q = _eig(A)
    return Q @ np.diag(np.sort(lam)[::-1] ** t) @ Q.T


_ENTRYWISE = (
    "You raise each entry of A to the power t (A ** t): that is not a matrix power. A^2 "
    "must equal A @ A, and A^(1/2) times itself must give A back."
)
_ENTRYWISE_FIX = "Diagonalise: lam, Q = np.linalg.eigh(A), then (Q * lam**t) @ Q.T."


def mistakes() -> list[Mistake]:
    return [
        Mistake("entrywise-power", diagnosis=_ENTRYWISE, fix=_ENTRYWISE_FIX, wrong=_elementwise),
        Mistake(
            "entrywise-power-abs", diagnosis=_ENTRYWISE, fix=_ENTRYWISE_FIX, wrong=_elementwise_abs
        ),
        Mistake(
            "diag-then-power",
            diagnosis=(
                "You raise the whole diagonal matrix np.diag(lam) to the power t entry by entry, "
                "so its zeros are raised too: 0 ** -1 is inf and 0 ** 0 is 1."
            ),
            fix="Raise the eigenvalues first and build the diagonal after: np.diag(lam ** t).",
            wrong=_diag_then_power,
        ),
        Mistake(
            "missing-transpose",
            diagnosis=(
                "You rebuild the matrix as Q diag(lam^t) Q, without the transpose on the right: "
                "the result is not symmetric and is not A^t."
            ),
            fix="A^t = Q diag(lam^t) Q^T: end with @ Q.T.",
            wrong=_missing_transpose,
        ),
        Mistake(
            "scales-rows",
            diagnosis=(
                "You scale the rows of Q^T instead of the columns of Q, (Q.T * lam**t) @ Q: each "
                "eigenvalue multiplies a coordinate instead of its own eigenvector."
            ),
            fix="Scale the columns of Q: (Q * lam**t) @ Q.T.",
            wrong=_scales_rows,
        ),
        Mistake(
            "unpaired-sort",
            diagnosis=(
                "You re-sort the eigenvalues without reordering the eigenvectors with them, so "
                "each lambda_i^t multiplies the wrong column of Q."
            ),
            fix="Keep eigh's pairs as they come, or sort both with one argsort.",
            wrong=_sorted_values_only,
        ),
    ]


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
        fig.add_scatter(
            x=image[0],
            y=image[1],
            name="your A^(1/2) · circle",
            line={"color": plots.LEARNER, "dash": "dash"},
        )
    lam, Q = np.linalg.eigh(np.asarray(g.args("plane")[0]))
    for i in range(2):
        v = np.sqrt(lam[i]) * Q[:, i]
        fig.add_scatter(
            x=[0, v[0]],
            y=[0, v[1]],
            mode="lines+markers",
            name=f"√λ{i + 1} v{i + 1}",
            line={"color": plots.NEUTRAL, "width": 2},
        )
    g.figure(fig)
