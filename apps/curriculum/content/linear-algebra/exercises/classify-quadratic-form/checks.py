import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots, subplots

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


# B B^T for this fixed B has rank 2: its two zero eigenvalues come out of eigvalsh as about
# -8e-17 and +9e-17, one of each sign, so a zero threshold of exactly 0 fails under every seed.
FIXED_B = np.array([[0.1, -0.1], [0.6, 0.1], [-0.5, 0.4], [1.3, 0.9]])


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
            "roundoff",
            "classify_quadratic_form",
            (FIXED_B @ FIXED_B.T,),
            label="B B^T for a fixed 4x2 matrix B (rank 2)",
        ),
        Call("zero", "classify_quadratic_form", (np.zeros((3, 3)),), label="the 3x3 zero matrix"),
        Call(
            "tol",
            "classify_quadratic_form",
            (_rotate(rng, [1e-4, 1.0, 2.0]),),
            {"tol": 1e-3},
            label="eigenvalues 1e-4, 1 and 2 with tol=1e-3 (1e-4 counts as zero)",
        ),
        # Eigenvalues exactly at the threshold count as zero (|lambda| <= tol).
        Call(
            "at-tol",
            "classify_quadratic_form",
            (np.diag([0.5, 1.0, 2.0]),),
            {"tol": 0.5},
            label="diag(0.5, 1, 2) with tol=0.5",
        ),
        Call(
            "at-minus-tol",
            "classify_quadratic_form",
            (np.diag([-2.0, -1.0, -0.5]),),
            {"tol": 0.5},
            label="diag(-2, -1, -0.5) with tol=0.5",
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
    g.check_close("eigenvalues in ascending order", "indef", 0, points=2)
    g.custom(
        "labels definite matrices",
        lambda: _label_check(g, "pd")() or _label_check(g, "nd")() or _label_check(g, "indef")(),
        points=2,
    )
    g.custom(
        "labels semidefinite matrices despite round-off",
        lambda: (
            _label_check(g, "psd")() or _label_check(g, "nsd")() or _label_check(g, "roundoff")()
        ),
        points=2,
    )
    g.custom("the zero matrix is positive semidefinite", _label_check(g, "zero"), points=0.5)
    g.custom(
        "uses the tol it is given, |lambda| <= tol counting as zero",
        lambda: (
            _label_check(g, "tol")()
            or _label_check(g, "at-tol")()
            or _label_check(g, "at-minus-tol")()
        ),
        points=0.5,
    )
    g.check_close("eigenvalues of the symmetric part", "shear", 0, points=1)
    g.custom(
        "classifies non-symmetric matrices by their symmetric part",
        lambda: _label_check(g, "shear")() or _label_check(g, "skew")(),
        points=2,
    )
    g.check_close("eigenvalues of a random positive definite matrix", "pd", 0, points=1)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _label_in_order(lam, tol, order):
    tests = {
        "positive definite": lambda: np.all(lam > tol),
        "negative definite": lambda: np.all(lam < -tol),
        "indefinite": lambda: np.any(lam > tol) and np.any(lam < -tol),
        "positive semidefinite": lambda: np.all(lam >= -tol),
        "negative semidefinite": lambda: np.all(lam <= tol),
    }
    for label in order:
        if tests[label]():
            return label
    return order[-1]


_USUAL = (
    "positive definite",
    "negative definite",
    "indefinite",
    "positive semidefinite",
    "negative semidefinite",
)


def _no_symmetric_part(A, tol=1e-9):
    lam = np.sort(np.linalg.eigvals(np.asarray(A, dtype=float)).real)
    order = (*_USUAL[:2], *_USUAL[3:], "indefinite")
    return lam, _label_in_order(lam, tol, order)


def _eigvalsh_on_a(A, tol=1e-9):
    lam = np.linalg.eigvalsh(np.asarray(A, dtype=float))
    return lam, _label_in_order(lam, tol, _USUAL)


def _no_half(A, tol=1e-9):
    A = np.asarray(A, dtype=float)
    lam = np.linalg.eigvalsh(A + A.T)
    return lam, _label_in_order(lam, tol, _USUAL)


def _descending(A, tol=1e-9):
    A = np.asarray(A, dtype=float)
    lam = np.sort(np.linalg.eigvalsh((A + A.T) / 2))[::-1]
    return lam, _label_in_order(lam, tol, _USUAL)


def _no_tolerance(A, tol=1e-9):
    A = np.asarray(A, dtype=float)
    lam = np.linalg.eigvalsh(0.5 * (A + A.T))
    order = (*_USUAL[:2], *_USUAL[3:], "indefinite")
    return lam, _label_in_order(lam, 0.0, order)


def _fixed_threshold(A, tol=1e-9):
    A = np.asarray(A, dtype=float)
    lam = np.linalg.eigvalsh((A + A.T) / 2)
    return lam, _label_in_order(lam, 1e-6, _USUAL)


def _negative_first(A, tol=1e-9):
    A = np.asarray(A, dtype=float)
    lam = np.linalg.eigvalsh((A + A.T) / 2)
    order = (*_USUAL[:2], "negative semidefinite", "positive semidefinite", "indefinite")
    return lam, _label_in_order(lam, tol, order)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "eigvalsh-on-a",
            diagnosis=(
                "You call np.linalg.eigvalsh on A itself: for a non-symmetric A it reads only "
                "the lower triangle, so the eigenvalues are those of another matrix."
            ),
            fix="Form S = (A + A.T) / 2 first, then np.linalg.eigvalsh(S).",
            wrong=_eigvalsh_on_a,
        ),
        Mistake(
            "no-symmetric-part",
            diagnosis=(
                "You use the eigenvalues of A itself (np.linalg.eigvals): for a non-symmetric A "
                "they are not what decides x^T A x, which only sees the symmetric part."
            ),
            fix="x^T A x = x^T S x with S = (A + A.T) / 2: take np.linalg.eigvalsh(S).",
            wrong=_no_symmetric_part,
        ),
        Mistake(
            "no-half",
            diagnosis=(
                "You form the symmetric part as A + A.T without the factor 1/2: every "
                "eigenvalue is twice too large (the labels are still right)."
            ),
            fix="Use S = (A + A.T) / 2.",
            wrong=_no_half,
        ),
        Mistake(
            "descending",
            diagnosis="You return the eigenvalues largest first; the task asks for ascending order.",
            fix="Return np.linalg.eigvalsh(S) as it comes: it is already ascending.",
            wrong=_descending,
        ),
        Mistake(
            "no-tolerance",
            diagnosis=(
                "You compare the eigenvalues with 0 exactly: a zero eigenvalue comes out of "
                "floating point as a tiny number of either sign (about 1e-16), so a "
                "semidefinite matrix is labelled definite or indefinite."
            ),
            fix="Treat |lambda| <= tol as zero: count lambda > tol as positive, lambda < -tol as negative.",
            wrong=_no_tolerance,
        ),
        Mistake(
            "ignores-tol",
            diagnosis=(
                "You compare against a threshold of your own instead of the tol argument, so a "
                "caller's tol is ignored."
            ),
            fix="Use the tol parameter in every comparison.",
            wrong=_fixed_threshold,
        ),
        Mistake(
            "zero-matrix-negative",
            diagnosis=(
                "You test negative semidefinite before positive semidefinite, so the zero "
                "matrix, which fits both, gets the negative label; the prompt asks for "
                "positive semidefinite."
            ),
            fix="Test the positive semidefinite case first.",
            wrong=_negative_first,
        ),
    ]


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
    fig = subplots(2, titles=("a bowl (positive definite)", "a saddle (A = [[1, 4], [0, 1]])"))
    for col, key in ((1, "bowl"), (2, "shear")):
        A = np.asarray(g.arg(key))
        q = A[0, 0] * x1**2 + (A[0, 1] + A[1, 0]) * x1 * x2 + A[1, 1] * x2**2
        fig.add_contour(
            x=grid,
            y=grid,
            z=q,
            colorscale="RdBu",
            reversescale=True,
            showscale=False,
            ncontours=20,
            contours={"coloring": "heatmap"},
            row=1,
            col=col,
        )
    fig.update_layout(title={"text": "Contours of the quadratic form x^T A x"}, height=380)
    g.figure(fig)
