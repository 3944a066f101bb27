import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, plots

SHIFTS = np.linspace(-2.5, 2.5, 11)


def _goe(a):
    return (a + np.swapaxes(a, -1, -2)) / np.sqrt(2 * a.shape[-1])


def cases(rng: np.random.Generator) -> list[Call]:
    # Never 5, the length of the stack: A.T of a (5, n, n) stack then cannot even be added.
    n = int(rng.choice([3, 4, 6, 7, 8]))
    sym = _goe(rng.normal(size=(10, 6, 6)))
    base = _goe(rng.normal(size=(1, 80, 80)))[0]
    shifted = np.stack([base + s * np.eye(80) for s in SHIFTS])
    diagonal = np.array(
        [
            np.diag([0.0, -1.0, 2.0]),
            np.diag([0.0, 0.0, 0.0]),
            np.diag([-1.0, -2.0, -0.5]),
            np.diag([1.0, 0.0, 3.0]),
        ]
    )
    hidden = np.array(
        [[[1.0, 3.0], [3.0, 1.0]], [[2.0, 0.0], [0.0, 5.0]], [[-1.0, 2.0], [2.0, -1.0]]]
    )
    s = np.concatenate([[-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0], rng.uniform(-2.5, 2.5, size=8)])
    return [
        Call(
            "goe", "goe", (rng.normal(size=(5, n, n)),), label=f"a stack of 5 matrices of size {n}"
        ),
        Call(
            "goe-square",
            "goe",
            (rng.normal(size=(4, 4, 4)),),
            label="a stack of 4 matrices of size 4",
        ),
        Call("goe-one", "goe", (rng.normal(size=(3, 1, 1)),), label="a stack of 1 x 1 matrices"),
        Call("index", "index_fractions", (sym,), label="10 random symmetric 6 x 6 matrices"),
        Call(
            "index-zero",
            "index_fractions",
            (diagonal,),
            label="diagonal matrices with zero eigenvalues",
        ),
        Call("index-hidden", "index_fractions", (hidden,), label="[[1, 3], [3, 1]] and two others"),
        Call("index-one", "index_fractions", (rng.normal(size=(6, 1, 1)),), label="1 x 1 matrices"),
        Call(
            "index-shifted",
            "index_fractions",
            (shifted,),
            label="an 80 x 80 GOE matrix shifted by s = -2.5, ..., 2.5",
        ),
        Call(
            "alpha",
            "semicircle_negative_fraction",
            (s,),
            label="shifts from -3 to 3, including exactly ±2",
        ),
        Call(
            "alpha-matrix",
            "semicircle_negative_fraction",
            (s[:12].reshape(3, 4),),
            label="a (3, 4) array of shifts",
        ),
        Call(
            "alpha-curve",
            "semicircle_negative_fraction",
            (np.linspace(-2.5, 2.5, 101),),
            label="a grid of shifts",
        ),
    ]


def grade(g: Grader) -> None:
    g.check_close("(A + A^T) / sqrt(2n), matrix by matrix", "goe", points=1)
    g.check_close("a stack of square matrices of the stack's own length", "goe-square", points=1)
    g.check_close("1 x 1 matrices", "goe-one")
    g.check_close("fractions of negative eigenvalues", "index", points=1)
    g.check_close("eigenvalues, not diagonal entries", "index-hidden", points=1)
    g.check_close("1 x 1 matrices", "index-one", points=0.5)
    g.check_close("zero is not negative", "index-zero")
    g.check_close("a shifted GOE matrix", "index-shifted")
    g.check_close("the semicircle formula, clipped beyond ±2", "alpha", points=1.5)
    g.check_close("an array of shifts keeps its shape", "alpha-matrix", points=0.5)


# --- known mistakes ------------------------------------------------------------------------
def _goe_variant(transpose_all=False, scale_two=True):
    def goe(A):
        A = np.asarray(A, dtype=float)
        n = A.shape[-1]
        other = A.T if transpose_all else np.swapaxes(A, -1, -2)
        return (A + other) / np.sqrt((2 if scale_two else 1) * n)

    return goe


def _fractions(*, diagonal=False, with_zero=False):
    def index_fractions(H):
        H = np.asarray(H, dtype=float)
        values = np.diagonal(H, axis1=-2, axis2=-1) if diagonal else np.linalg.eigvalsh(H)
        return np.mean(values <= 0 if with_zero else values < 0, axis=-1)

    return index_fractions


def _alpha(*, clip=True, arcsin_sign=-1.0):
    def semicircle_negative_fraction(s):
        t = np.asarray(s, dtype=float)
        if clip:
            t = np.clip(t, -2.0, 2.0)
        with np.errstate(invalid="ignore"):
            return (
                0.5 - t * np.sqrt(4 - t**2) / (4 * np.pi) + arcsin_sign * np.arcsin(t / 2) / np.pi
            )

    return semicircle_negative_fraction


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "stack-transposed-whole",
            diagnosis=(
                "A.T on a stack of shape (M, n, n) reverses all three axes: it mixes different "
                "matrices instead of transposing each one."
            ),
            fix="Transpose only the last two axes: np.swapaxes(A, -1, -2).",
            wrong={"goe": _goe_variant(transpose_all=True)},
        ),
        Mistake(
            "scale-sqrt-n",
            diagnosis="You divide by sqrt(n); the GOE scale is 1 / sqrt(2n), which gives off-diagonal entries variance 1/n.",
            fix="(A + A^T) / np.sqrt(2 * n).",
            wrong={"goe": _goe_variant(scale_two=False)},
        ),
        Mistake(
            "diagonal-not-eigenvalues",
            diagnosis=(
                "You count negative diagonal entries; the index counts negative eigenvalues "
                "([[1, 3], [3, 1]] has a positive diagonal but eigenvalues 4 and -2)."
            ),
            fix="values = np.linalg.eigvalsh(H); np.mean(values < 0, axis=-1).",
            wrong={"index_fractions": _fractions(diagonal=True)},
        ),
        Mistake(
            "zero-counted-negative",
            diagnosis="You count eigenvalues <= 0: a zero eigenvalue is not negative.",
            fix="Count values < 0 only.",
            wrong={"index_fractions": _fractions(with_zero=True)},
        ),
        Mistake(
            "no-clip",
            diagnosis=(
                "You evaluate the formula for |s| > 2 as well, where sqrt(4 - s^2) and "
                "arcsin(s / 2) are undefined (NaN): alpha is 1 below -2 and 0 above 2."
            ),
            fix="Clip first: t = np.clip(s, -2, 2).",
            wrong={"semicircle_negative_fraction": _alpha(clip=False)},
        ),
        Mistake(
            "arcsin-sign",
            diagnosis="Your arcsin term is added: alpha(s) = 1/2 - s sqrt(4 - s^2) / (4 pi) - arcsin(s / 2) / pi.",
            fix="Subtract arcsin(s / 2) / pi.",
            wrong={"semicircle_negative_fraction": _alpha(arcsin_sign=1.0)},
        ),
    ]


def figures(g: Grader) -> None:
    grid = np.linspace(-2.5, 2.5, 101)
    fig = PlainFigure()
    fig.add_scatter(
        x=grid,
        y=np.asarray(g.expected("alpha-curve")),
        name="reference α(s)",
        line={"color": plots.REFERENCE, "width": 3},
    )
    curve = g.try_array("alpha-curve")
    if curve is not None and np.all(np.isfinite(curve)):
        fig.add_scatter(
            x=grid, y=curve, name="your α(s)", line={"color": plots.LEARNER, "dash": "dash"}
        )
    fig.add_scatter(
        x=SHIFTS,
        y=np.asarray(g.expected("index-shifted")),
        mode="markers",
        name="reference index fractions, n = 80",
        marker={"color": plots.REFERENCE, "size": 11, "symbol": "circle-open"},
    )
    points = g.try_array("index-shifted")
    if points is not None:
        fig.add_scatter(
            x=SHIFTS,
            y=points,
            mode="markers",
            name="your index fractions",
            marker={"color": plots.LEARNER, "size": 7},
        )
    fig.update_layout(
        title={
            "text": "negative eigenvalues of a shifted random Hessian against the semicircle law"
        },
        xaxis_title="shift s",
        yaxis_title="index fraction",
        height=400,
    )
    g.figure(fig)
