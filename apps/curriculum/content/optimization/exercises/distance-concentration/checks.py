import math

import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

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


def _volume_atol(d: int) -> float:
    # The log fraction is a difference of terms of size about d (for d = 1 they cancel to 0):
    # float32 rounds each by about 6e-8 of its size, hence an absolute tolerance growing with d.
    return 1e-6 * max(1, d)


def grade(g: Grader) -> None:
    g.check_close("Euclidean distances on a small example", "tiny", points=2)
    g.check_close("distances are measured from the query", "far", points=1)
    g.check_close_all(
        "nearest / farthest ratio from d = 1 to d = 1000", [f"ratio-{d}" for d in DIMS], points=3
    )
    for title, dims in (
        ("log volume fraction for small d", (1, 2, 3, 5, 10, 20)),
        ("log volume fraction without overflow up to d = 10000", (50, 100, 200, 341, 1000, 10000)),
    ):
        g.check_close_all(title, [f"vol-{d}" for d in dims], atol=_volume_atol(max(dims)), points=2)


# --- known mistakes ------------------------------------------------------------------------
def _distances(X, q, axis=1):
    return np.linalg.norm(np.asarray(X, dtype=float) - np.asarray(q, dtype=float), axis=axis)


def _ratio(transform):
    def nearest_farthest_ratio(X, q):
        return float(transform(_distances(X, q)))

    return nearest_farthest_ratio


def _log_fraction(formula):
    return {"log_ball_volume_fraction": formula}


def _naive_gamma(d):
    return math.log(math.pi ** (d / 2) / math.gamma(d / 2 + 1) / 2**d)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "squared-distances",
            diagnosis=(
                "You divide squared distances: your ratio is the square of min ||x_i - q|| / "
                "max ||x_i - q||."
            ),
            fix="Take the square root of the sums of squares (np.linalg.norm does it for you).",
            wrong={"nearest_farthest_ratio": _ratio(lambda d: d.min() ** 2 / d.max() ** 2)},
        ),
        Mistake(
            "farthest-over-nearest",
            diagnosis="You return max / min, a number >= 1: the nearest distance goes on top.",
            fix="Return dist.min() / dist.max().",
            wrong={"nearest_farthest_ratio": _ratio(lambda d: d.max() / d.min())},
        ),
        Mistake(
            "norms-of-columns",
            diagnosis=(
                "You take the norms along axis 0, the lengths of the d columns of X - q, instead "
                "of the N distances from q to the points (the rows)."
            ),
            fix="np.linalg.norm(X - q, axis=1) gives one distance per point.",
            wrong={
                "nearest_farthest_ratio": lambda X, q: float(
                    _distances(X, q, axis=0).min() / _distances(X, q, axis=0).max()
                )
            },
        ),
        Mistake(
            "naive-gamma",
            diagnosis=(
                "You compute the fraction itself before taking its logarithm: it underflows to "
                "0 by d = 341 (log(0) is a math domain error), and math.gamma(d/2 + 1) overflows "
                "from d = 342 on."
            ),
            fix=(
                "Work with logarithms throughout: (d/2) log(pi) - math.lgamma(d/2 + 1) - d log(2)."
            ),
            wrong=_log_fraction(_naive_gamma),
        ),
        Mistake(
            "forgot-the-cube",
            diagnosis=(
                "You return log V_d, the log volume of the ball alone, without dividing by the "
                "cube's volume 2^d."
            ),
            fix="Subtract d * log(2).",
            wrong=_log_fraction(lambda d: d / 2 * math.log(math.pi) - math.lgamma(d / 2 + 1)),
        ),
        Mistake(
            "gamma-argument",
            diagnosis=(
                "You take math.lgamma(d / 2) where V_d has Gamma(d/2 + 1) in its denominator."
            ),
            fix="Use math.lgamma(d / 2 + 1).",
            wrong=_log_fraction(
                lambda d: d / 2 * math.log(math.pi) - math.lgamma(d / 2) - d * math.log(2)
            ),
        ),
    ]


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
