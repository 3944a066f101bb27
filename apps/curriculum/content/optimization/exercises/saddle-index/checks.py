import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots

SHIFTS = np.linspace(-2.5, 2.5, 11)


def _goe(a):
    return (a + np.swapaxes(a, -1, -2)) / np.sqrt(2 * a.shape[-1])


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(3, 9))
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
    def symmetrised(keys):
        def run():
            for key in keys:
                (a,) = g.args(key)
                expected = np.asarray(g.expected(key))
                got = g.array(key)
                if np.allclose(got, expected, rtol=1e-6, atol=1e-6):
                    continue
                where = g.call(key).description
                n = a.shape[-1]
                if np.allclose(got, a):
                    return f"on {where} you returned A unchanged: symmetrise each matrix and scale it by 1 / sqrt(2n)"
                if a.shape[0] == n and np.allclose(got, (a + a.T) / np.sqrt(2 * n)):
                    return f"on {where}: A.T reverses all three axes of the stack; transpose each matrix with np.swapaxes(A, -1, -2)"
                if np.allclose(got, (a + np.swapaxes(a, -1, -2)) / np.sqrt(n)):
                    return f"on {where} you divided by sqrt(n); the scale is 1 / sqrt(2n)"
                if np.allclose(got, (a + np.swapaxes(a, -1, -2)) / 2):
                    return f"on {where} you divided by 2; the scale is 1 / sqrt(2n), so that the spectrum fills [-2, 2] for every n"
                worst = tuple(
                    int(i)
                    for i in np.unravel_index(int(np.argmax(np.abs(got - expected))), got.shape)
                )
                return f"on {where} entry {worst} should be {expected[worst]:.6g}, got {got[worst]:.6g}"
            return None

        return run

    g.custom("(A + A^T) / sqrt(2n), matrix by matrix", symmetrised(("goe", "goe-square")), points=2)
    g.custom("1 x 1 matrices", symmetrised(("goe-one",)))

    def fractions(keys):
        def run():
            for key in keys:
                (h,) = g.args(key)
                expected = np.asarray(g.expected(key))
                got = g.array(key)
                if np.allclose(got, expected, rtol=0, atol=1e-6):
                    continue
                where = g.call(key).description
                diagonal = np.mean(np.diagonal(h, axis1=-2, axis2=-1) < 0, axis=-1)
                if np.allclose(got, diagonal) and not np.allclose(diagonal, expected):
                    return (
                        f"on {where} you counted negative diagonal entries; the index counts negative eigenvalues "
                        "([[1, 3], [3, 1]] has a positive diagonal but eigenvalues 4 and -2)"
                    )
                values = np.linalg.eigvalsh(h)
                if np.allclose(got, np.mean(values <= 0, axis=-1)):
                    return (
                        f"on {where} you counted zero eigenvalues as negative; count only those < 0"
                    )
                if np.allclose(got, np.sum(values < 0, axis=-1)):
                    return f"on {where} you returned the index itself; divide by n = {h.shape[-1]} for the fraction"
                worst = int(np.argmax(np.abs(got - expected)))
                return f"on {where} matrix {worst} has index fraction {expected[worst]:g}, you returned {got[worst]:g}"
            return None

        return run

    g.custom(
        "fractions of negative eigenvalues",
        fractions(("index", "index-hidden", "index-one")),
        points=2,
    )
    g.custom("zero is not negative", fractions(("index-zero",)))
    g.custom("a shifted GOE matrix", fractions(("index-shifted",)))

    def alpha(keys):
        def run():
            for key in keys:
                (s,) = g.args(key)
                expected = np.asarray(g.expected(key))
                got = g.array(key)
                if np.allclose(got, expected, rtol=0, atol=1e-6):
                    continue
                where = g.call(key).description
                bad = ~np.isfinite(got)
                if bad.any():
                    value = s[tuple(int(i) for i in np.argwhere(bad)[0])]
                    return (
                        f"on {where} you returned NaN at s = {value:g}: sqrt(4 - s^2) and arcsin(s / 2) are undefined "
                        "for |s| > 2; clip s to [-2, 2] first (alpha is 1 below -2 and 0 above 2)"
                    )
                if np.allclose(got, 1 - expected, atol=1e-6):
                    return f"on {where} you returned 1 - alpha: a positive shift moves the spectrum up, so fewer eigenvalues are negative"
                worst = np.unravel_index(int(np.argmax(np.abs(got - expected))), got.shape)
                return f"on {where}, alpha({s[worst]:g}) = {expected[worst]:.6g}, you returned {got[worst]:.6g}"
            return None

        return run

    g.custom(
        "the semicircle formula, clipped beyond ±2", alpha(("alpha", "alpha-matrix")), points=2
    )


def figures(g: Grader) -> None:
    grid = np.linspace(-2.5, 2.5, 101)
    fig = go.Figure()
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
