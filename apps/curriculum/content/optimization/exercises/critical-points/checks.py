import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots


def _with_spectrum(rng, values):
    q, _ = np.linalg.qr(rng.normal(size=(len(values), len(values))))
    h = q @ np.diag(values) @ q.T
    return (h + h.T) / 2


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(3, 7))
    mags = rng.uniform(0.5, 3.0, size=n)
    signs = rng.permutation(np.r_[1.0, -1.0, rng.choice([-1.0, 1.0], size=n - 2)])
    return [
        Call(
            "min",
            "classify_critical_point",
            (_with_spectrum(rng, mags),),
            label=f"a random minimum in {n} dimensions",
        ),
        Call(
            "max",
            "classify_critical_point",
            (_with_spectrum(rng, -mags),),
            label=f"a random maximum in {n} dimensions",
        ),
        Call(
            "max2",
            "classify_critical_point",
            (_with_spectrum(rng, -rng.uniform(0.5, 2.0, size=2)),),
            label="a maximum in 2 dimensions",
        ),
        Call(
            "saddle",
            "classify_critical_point",
            (_with_spectrum(rng, signs * mags),),
            label=f"a random saddle in {n} dimensions",
        ),
        Call(
            "xx-yy",
            "classify_critical_point",
            (np.diag([2.0, -2.0]),),
            label="the Hessian of x^2 - y^2 at the origin",
        ),
        Call(
            "rosen",
            "classify_critical_point",
            (np.array([[802.0, -400.0], [-400.0, 200.0]]),),
            label="the Hessian of the Rosenbrock function at (1, 1)",
        ),
        Call(
            "monkey",
            "classify_critical_point",
            (np.zeros((2, 2)),),
            label="the zero Hessian of x^3 - 3xy^2",
        ),
        Call(
            "psd",
            "classify_critical_point",
            # A rotated zero eigenvalue is computed to about 1e-16 in float64 and 1e-6 in
            # float32: a tolerance of 1e-5 lets a correct float32 computation decide it too.
            (_with_spectrum(rng, np.r_[0.0, mags[:2]]), 1e-5),
            label="a positive semidefinite Hessian with one zero eigenvalue, tol = 1e-5",
        ),
        Call(
            "tiny",
            "classify_critical_point",
            (np.diag([2.0, 1e-12]),),
            label="eigenvalues 2 and 1e-12 (zero within the tolerance)",
        ),
        # Eigenvalues exactly at the tolerance are numerically zero (the prompt's |lambda| <= tol).
        Call(
            "at-tol-min",
            "classify_critical_point",
            (np.diag([2.0, 1e-8]),),
            label="eigenvalues 2 and 1e-8 = tol",
        ),
        Call(
            "at-tol-max",
            "classify_critical_point",
            (np.diag([-2.0, -1e-8]),),
            label="eigenvalues -2 and -1e-8 = -tol",
        ),
        Call(
            "at-tol-above",
            "classify_critical_point",
            (np.diag([-2.0, 1e-8]),),
            label="eigenvalues -2 and 1e-8 = tol",
        ),
        Call(
            "at-tol-below",
            "classify_critical_point",
            (np.diag([2.0, -1e-8]),),
            label="eigenvalues 2 and -1e-8 = -tol",
        ),
        Call(
            "tiny-negative",
            "classify_critical_point",
            (np.diag([2.0, -1e-12]),),
            label="eigenvalues 2 and -1e-12 (zero within the tolerance)",
        ),
        Call(
            "saddle-zero",
            "classify_critical_point",
            (_with_spectrum(rng, np.r_[0.0, -1.0, 1.5]), 1e-5),
            label="eigenvalues -1, 0 and 1.5, tol = 1e-5",
        ),
    ]


def grade(g: Grader) -> None:
    def labels(keys):
        def run():
            for key in keys:
                got = g.output(key, 0)
                ref = g.expected(key, 0)
                if got != ref:
                    eig = np.round(np.asarray(g.expected(key, 1)), 4)
                    return (
                        f"on {g.call(key).description} the eigenvalues are {eig}, so the point is a {ref}, "
                        f"but you returned {got!r}"
                    )
            return None

        return run

    g.custom("recognises minima", labels(("min", "rosen")), points=2)
    g.custom("recognises maxima", labels(("max", "max2")), points=2)
    g.custom(
        "recognises saddles, even with a zero eigenvalue",
        labels(("saddle", "xx-yy", "saddle-zero")),
        points=2,
    )
    g.custom(
        "says 'degenerate' when the test cannot decide",
        labels(
            (
                "monkey",
                "psd",
                "tiny",
                "tiny-negative",
                "at-tol-min",
                "at-tol-max",
                "at-tol-above",
                "at-tol-below",
            )
        ),
        points=2,
    )
    for key in ("min", "saddle", "psd"):
        g.check_close(
            f"eigenvalues in ascending order: {g.call(key).description}", key, 1, points=2 / 3
        )


# --- known mistakes ------------------------------------------------------------------------
def _label(lam, tol):
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle"
    if np.all(lam > tol):
        return "minimum"
    if np.all(lam < -tol):
        return "maximum"
    return "degenerate"


def _determinant(H, tol=1e-8):
    H = np.asarray(H, dtype=float)
    det = np.linalg.det(H)
    label = "minimum" if det > tol else "saddle" if det < -tol else "degenerate"
    return label, np.linalg.eigvalsh(H)


def _no_tolerance(H, tol=1e-8):
    lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    return _label(lam, 0.0), lam


def _semidefinite(H, tol=1e-8):
    lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle", lam
    if np.all(np.abs(lam) <= tol):
        return "degenerate", lam
    return ("minimum" if np.all(lam >= -tol) else "maximum"), lam


def _swapped(H, tol=1e-8):
    lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    return lam, _label(lam, tol)


def _zero_first(H, tol=1e-8):
    lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    if np.any(np.abs(lam) <= tol):
        return "degenerate", lam
    return _label(lam, tol), lam


def _unsorted(H, tol=1e-8):
    lam = np.linalg.eig(np.asarray(H, dtype=float))[0].real[::-1]
    return _label(lam, tol), lam


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "determinant-test",
            diagnosis=(
                "You classify by the sign of the determinant: that is the two-variable test for a "
                "minimum only. A 2-D maximum has a positive determinant too, and in n dimensions "
                "the determinant's sign only counts the negative eigenvalues modulo 2."
            ),
            fix="Look at every eigenvalue: all > tol is a minimum, all < -tol a maximum, both signs a saddle.",
            wrong=_determinant,
        ),
        Mistake(
            "no-tolerance",
            diagnosis=(
                "You compare the eigenvalues with 0, not with +-tol: an eigenvalue that is zero "
                "up to rounding (1e-12, or 1e-16 from the eigensolver) decides the label."
            ),
            fix="Count an eigenvalue as positive only if > tol and negative only if < -tol.",
            wrong=_no_tolerance,
        ),
        Mistake(
            "semidefinite-is-minimum",
            diagnosis=(
                "You call the point a minimum when no eigenvalue is negative: with a zero "
                "eigenvalue the second-order test cannot decide, so it is 'degenerate'."
            ),
            fix="A minimum needs every eigenvalue > tol (a maximum every eigenvalue < -tol).",
            wrong=_semidefinite,
        ),
        Mistake(
            "zero-before-saddle",
            diagnosis=(
                "You return 'degenerate' as soon as an eigenvalue is zero, before looking for both "
                "signs: eigenvalues -1, 0 and 1.5 already prove a saddle."
            ),
            fix="Test for a saddle (some > tol and some < -tol) first.",
            wrong=_zero_first,
        ),
        Mistake(
            "swapped-tuple",
            diagnosis="You return (eigenvalues, label); the function returns (label, eigenvalues).",
            fix="return label, eigenvalues",
            wrong=_swapped,
        ),
        Mistake(
            "unsorted-eigenvalues",
            diagnosis=(
                "Your eigenvalues come from np.linalg.eig, which returns them in no particular "
                "order (and reversed here): they must be ascending."
            ),
            fix="np.linalg.eigvalsh(H) for a symmetric H returns them ascending (or np.sort them).",
            wrong=_unsorted,
        ),
    ]


def figures(g: Grader) -> None:
    ref = np.asarray(g.expected("saddle", 1))
    yours = g.try_array("saddle", 1)
    fig = plots.compare_bars(
        [f"λ{i + 1}" for i in range(ref.size)],
        yours,
        ref,
        title="eigenvalues of the Hessian at a saddle: both signs appear",
        y_label="eigenvalue",
    )
    fig.add_hline(y=0.0, line={"color": plots.NEUTRAL})
    g.figure(fig)
