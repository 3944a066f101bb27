import math

import numpy as np

from apps.sandbox.grading import Call, Grader, plots

DIMS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
VOLUME_DIMS = (1, 2, 3, 5, 10, 20, 50, 100, 200, 341, 1000, 10000)


def cases(rng: np.random.Generator) -> list[Call]:
    calls = [
        Call(
            "tiny",
            "nearest_farthest_ratio",
            (np.array([[3.0, 4.0], [6.0, 8.0], [0.0, 1.0]]), np.array([0.0, 0.0])),
            label="points (3, 4), (6, 8), (0, 1) and the query (0, 0)",
        ),
        Call(
            "far",
            "nearest_farthest_ratio",
            (rng.random((50, 3)), np.array([100.0, 100.0, 100.0])),
            label="a query far from every point",
        ),
    ]
    for d in DIMS:
        calls.append(
            Call(
                f"ratio-{d}",
                "nearest_farthest_ratio",
                (rng.random((100, d)), rng.random(d)),
                label=f"100 random points in [0, 1]^{d}",
            )
        )
    for d in VOLUME_DIMS:
        calls.append(Call(f"vol-{d}", "log_ball_volume_fraction", (d,), label=f"d = {d}"))
    return calls


def grade(g: Grader) -> None:
    def tiny():
        got = g.scalar("tiny")
        if np.isclose(got, 1 / 100):
            return (
                "on points (3, 4), (6, 8), (0, 1) and the query (0, 0) the distances are 5, 10 and 1, so the ratio "
                "is 1/10; you returned 1/100, the ratio of squared distances: take the square root"
            )
        if np.isclose(got, 0.1):
            return None
        return f"on points (3, 4), (6, 8), (0, 1) and the query (0, 0) the ratio is 1/10, got {got:.6g}"

    g.custom("Euclidean distances on a small example", tiny, points=2)
    g.check_close(
        "distances are measured from the query",
        "far",
        rtol=1e-9,
        hint="Subtract q from every row before taking norms",
    )

    def ratios():
        for d in DIMS:
            key = f"ratio-{d}"
            got, ref = g.scalar(key), g.expected(key)
            if not np.isclose(got, ref, rtol=1e-9):
                if np.isclose(got, ref**2, rtol=1e-9):
                    return f"in d = {d} you returned {got:.6g}, the square of the ratio {ref:.6g}: take the square root"
                return f"in d = {d} the ratio is {ref:.6g}, got {got:.6g}"
        return None

    g.custom("nearest / farthest ratio from d = 1 to d = 1000", ratios, points=3)

    def volumes(dims):
        def run():
            for d in dims:
                got, ref = g.scalar(f"vol-{d}"), g.expected(f"vol-{d}")
                if not np.isfinite(got):
                    return f"for d = {d} you returned {got}; the logarithm is the finite number {ref:.6g}, compute it with math.lgamma"
                if not np.isclose(got, ref, rtol=1e-9, atol=1e-12):
                    hint = ""
                    if np.isclose(got, ref + d * math.log(2), rtol=1e-9):
                        hint = " (that is the log volume of the ball alone: divide by the cube's volume 2^d)"
                    return f"for d = {d} the log fraction is {ref:.8g}, got {got:.8g}{hint}"
            return None

        return run

    g.custom("log volume fraction for small d", volumes((1, 2, 3, 5, 10, 20)), points=2)
    g.custom(
        "log volume fraction without overflow up to d = 10000",
        volumes((50, 100, 200, 341, 1000, 10000)),
        points=2,
        hint="math.gamma overflows for large d; math.lgamma gives log Gamma directly",
    )


def figures(g: Grader) -> None:
    ref = np.array([g.expected(f"ratio-{d}") for d in DIMS])
    got = [g.try_array(f"ratio-{d}", shape=()) for d in DIMS]
    yours = None if any(v is None for v in got) else np.array([float(v) for v in got])
    fig = plots.compare_lines(
        np.array(DIMS),
        yours,
        ref,
        title="nearest / farthest distance among 100 random points",
        x_label="dimension d",
        y_label="ratio",
    )
    fig.update_xaxes(type="log")
    g.figure(fig)

    ref_v = np.array([g.expected(f"vol-{d}") for d in VOLUME_DIMS]) / math.log(10)
    got_v = [g.try_array(f"vol-{d}", shape=()) for d in VOLUME_DIMS]
    yours_v = None
    if not any(v is None for v in got_v):
        yours_v = np.array([float(v) if np.isfinite(v) else np.nan for v in got_v]) / math.log(10)
    fig = plots.compare_lines(
        np.array(VOLUME_DIMS),
        yours_v,
        ref_v,
        title="log10 of the ball-to-cube volume fraction",
        x_label="dimension d",
        y_label="log10(V_d / 2^d)",
    )
    fig.update_xaxes(type="log")
    g.figure(fig)
