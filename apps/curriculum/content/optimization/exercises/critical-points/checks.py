import numpy as np

from apps.sandbox.grading import Call, Grader, plots


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
            (_with_spectrum(rng, np.r_[0.0, mags[:2]]),),
            label="a positive semidefinite Hessian with one zero eigenvalue",
        ),
        Call(
            "saddle-zero",
            "classify_critical_point",
            (_with_spectrum(rng, np.r_[0.0, -1.0, 1.5]),),
            label="eigenvalues -1, 0 and 1.5",
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
    g.custom(
        "recognises maxima",
        labels(("max", "max2")),
        points=2,
        hint="A negative definite Hessian in 2-D has a positive determinant too; look at every eigenvalue's sign",
    )
    g.custom(
        "recognises saddles, even with a zero eigenvalue",
        labels(("saddle", "xx-yy", "saddle-zero")),
        points=2,
    )
    g.custom("says 'degenerate' when the test cannot decide", labels(("monkey", "psd")), points=2)

    def eigen():
        for key in ("min", "saddle", "psd"):
            got = g.array(key, 1)
            ref = np.asarray(g.expected(key, 1))
            if np.allclose(np.sort(got), ref, atol=1e-8) and not np.allclose(got, ref, atol=1e-8):
                return f"on {g.call(key).description} you returned the right eigenvalues {np.round(got, 4)}, but not in ascending order"
            if not np.allclose(got, ref, atol=1e-8):
                return f"on {g.call(key).description} the eigenvalues are {np.round(ref, 4)}, got {np.round(got, 4)}"
        return None

    g.custom("eigenvalues in ascending order", eigen, points=2)


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
