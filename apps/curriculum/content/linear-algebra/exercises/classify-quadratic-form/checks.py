import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from apps.sandbox.grading import Call, Grader, plots

LABELS = (
    "positive definite",
    "positive semidefinite",
    "negative definite",
    "negative semidefinite",
    "indefinite",
)


def _rotate(rng: np.random.Generator, eigenvalues) -> np.ndarray:
    eigenvalues = np.asarray(eigenvalues, dtype=float)
    q, _ = np.linalg.qr(rng.normal(size=(eigenvalues.size, eigenvalues.size)))
    return (q * eigenvalues) @ q.T


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(3, 6))
    B = rng.normal(size=(5, 2))
    C = rng.normal(size=(4, 1))
    skew = rng.normal(size=(n, n))
    skew = 3.0 * (skew - skew.T)
    return [
        Call(
            "pd",
            "classify_quadratic_form",
            (_rotate(rng, rng.uniform(0.5, 3.0, size=n)),),
            label=f"a random positive definite {n}x{n} matrix",
        ),
        Call(
            "nd",
            "classify_quadratic_form",
            (_rotate(rng, -rng.uniform(0.5, 3.0, size=n)),),
            label=f"a random negative definite {n}x{n} matrix",
        ),
        Call(
            "indef",
            "classify_quadratic_form",
            (_rotate(rng, [2.0, -1.0, rng.uniform(0.2, 1.0)]),),
            label="a random symmetric matrix with eigenvalues of both signs",
        ),
        Call(
            "psd", "classify_quadratic_form", (B @ B.T,), label="B B^T for a 5x2 matrix B (rank 2)"
        ),
        Call(
            "nsd",
            "classify_quadratic_form",
            (-(C @ C.T),),
            label="-c c^T for a vector c of length 4 (rank 1)",
        ),
        Call(
            "shear",
            "classify_quadratic_form",
            (np.array([[1.0, 4.0], [0.0, 1.0]]),),
            label="the non-symmetric matrix [[1, 4], [0, 1]]",
        ),
        Call(
            "skew",
            "classify_quadratic_form",
            (_rotate(rng, rng.uniform(0.5, 2.0, size=n)) + skew,),
            label="a positive definite matrix plus a large antisymmetric matrix",
        ),
        Call(
            "bowl",
            "classify_quadratic_form",
            (_rotate(rng, [rng.uniform(1, 3), rng.uniform(0.3, 1)]),),
            label="a 2x2 positive definite matrix",
        ),
    ]


def _label_check(g: Grader, key: str):
    def run() -> str | None:
        call = g.call(key)
        got = g.output(key, 1)
        want = g.expected(key, 1)
        if not isinstance(got, str):
            return (
                f"the label for {call.description} should be a string, one of {', '.join(LABELS)}"
            )
        if got != want:
            spectrum = np.round(np.asarray(g.expected(key, 0)), 4)
            return (
                f"{call.description} is {want} (the eigenvalues of its symmetric part are {spectrum}), "
                f"but you labelled it '{got[:40]}'"
            )
        return None

    return run


def grade(g: Grader) -> None:
    g.check_close(
        "eigenvalues in ascending order",
        "indef",
        0,
        rtol=1e-8,
        atol=1e-8,
        points=2,
        hint="Sort ascending; np.linalg.eigvalsh already does",
    )
    g.custom(
        "labels definite matrices",
        lambda: _label_check(g, "pd")() or _label_check(g, "nd")() or _label_check(g, "indef")(),
        points=2,
    )
    g.custom(
        "labels semidefinite matrices despite round-off",
        lambda: _label_check(g, "psd")() or _label_check(g, "nsd")(),
        points=2,
        hint="Zero eigenvalues come out as tiny numbers of either sign; treat |lambda| <= tol as zero",
    )
    g.check_close(
        "eigenvalues of the symmetric part",
        "shear",
        0,
        rtol=1e-8,
        atol=1e-8,
        points=1,
        hint="x^T A x = x^T S x with S = (A + A^T)/2: use the eigenvalues of the symmetric part, not of A",
    )
    g.custom(
        "classifies non-symmetric matrices by their symmetric part",
        lambda: _label_check(g, "shear")() or _label_check(g, "skew")(),
        points=2,
        hint="The eigenvalues of A itself can be complex or misleading; only the symmetric part (A + A^T)/2 decides the shape of x^T A x",
    )
    g.check_close(
        "eigenvalues of a random positive definite matrix", "pd", 0, rtol=1e-8, atol=1e-8, points=1
    )


def figures(g: Grader) -> None:
    yours = g.try_array("shear", 0)
    g.figure(
        plots.compare_bars(
            ["λ₁", "λ₂"],
            yours,
            np.asarray(g.expected("shear", 0)),
            title="Eigenvalues for A = [[1, 4], [0, 1]]: of the symmetric part, they have both signs",
            y_label="eigenvalue",
        )
    )
    grid = np.linspace(-1.5, 1.5, 41)
    x1, x2 = np.meshgrid(grid, grid)
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("a bowl (positive definite)", "a saddle (A = [[1, 4], [0, 1]])"),
    )
    for col, key in ((1, "bowl"), (2, "shear")):
        A = np.asarray(g.arg(key))
        q = A[0, 0] * x1**2 + (A[0, 1] + A[1, 0]) * x1 * x2 + A[1, 1] * x2**2
        fig.add_trace(
            go.Contour(
                x=grid,
                y=grid,
                z=q,
                colorscale="RdBu",
                reversescale=True,
                showscale=False,
                ncontours=20,
                contours={"coloring": "heatmap"},
            ),
            row=1,
            col=col,
        )
    fig.update_layout(title={"text": "Contours of the quadratic form x^T A x"}, height=380)
    g.figure(fig)
