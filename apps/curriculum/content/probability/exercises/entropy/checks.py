import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

QS = np.linspace(0.0, 1.0, 41)


def cases(rng: np.random.Generator) -> list[Call]:
    k = int(rng.integers(3, 9))
    n = int(rng.integers(4, 10))
    if n == k:  # a square batch would let a sum over the wrong axis keep the right shape
        n += 1
    zeros = np.array([[0.5, 0.5, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 0.25, 0.0, 0.75]])
    sparse = rng.dirichlet(np.ones(k), size=n)
    sparse[rng.random(size=sparse.shape) < 0.3] = 0.0
    sparse[:, 0] += 1e-3
    sparse /= sparse.sum(axis=-1, keepdims=True)
    return [
        Call(
            "vector",
            "entropy",
            (rng.dirichlet(np.ones(k)),),
            label=f"a random distribution over {k} outcomes",
        ),
        Call(
            "batch",
            "entropy",
            (rng.dirichlet(np.full(k, 0.7), size=n),),
            label=f"a batch of shape ({n}, {k})",
        ),
        Call(
            "uniform",
            "entropy",
            (np.full(k, 1.0 / k),),
            label=f"the uniform distribution over {k} outcomes",
        ),
        Call(
            "zeros", "entropy", (zeros,), label="[[1/2, 1/2, 0, 0], [1, 0, 0, 0], [0, 1/4, 0, 3/4]]"
        ),
        Call("sparse", "entropy", (sparse,), label="random distributions with zero entries"),
        Call(
            "binary",
            "entropy",
            (np.stack([QS, 1.0 - QS], axis=-1),),
            label="the sweep [q, 1 - q] for q in [0, 1]",
        ),
        Call(
            "square",
            "entropy",
            (rng.dirichlet(np.ones(k), size=k),),
            label=f"a square batch, shape ({k}, {k})",
        ),
    ]


def grade(g: Grader) -> None:
    g.check_close("matches the definition on one distribution", "vector", points=2)
    g.check_close("measured in nats: uniform over K gives log K", "uniform", points=2)
    g.check_close("applies over the last axis of a batch", "batch")
    g.check_close("0 log 0 counts as 0", "zeros", points=2)
    g.check_close("handles zeros inside random distributions", "sparse")
    g.check_close("binary entropy from q = 0 to q = 1", "binary")
    g.check_close("a square batch, row by row", "square", points=0.5)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _terms(p, log):
    p = np.asarray(p, dtype=float)
    return p * log(np.where(p > 0, p, 1.0))


def _bits(p):
    return -_terms(p, np.log2).sum(axis=-1)


def _log10(p):
    return -_terms(p, np.log10).sum(axis=-1)


def _nan_on_zeros(p):
    p = np.asarray(p, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(p * np.log(p)).sum(axis=-1)


def _mean_not_sum(p):
    return -_terms(p, np.log).mean(axis=-1)


def _missing_minus(p):
    return _terms(p, np.log).sum(axis=-1)


def _sum_all_axes(p):
    return -_terms(p, np.log).sum()


def _first_axis(p):
    return -_terms(p, np.log).sum(axis=0)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "bits",
            diagnosis=(
                "You use np.log2: your entropies are in bits, each 1/log 2 ≈ 1.443 times the "
                "value in nats (the uniform distribution over K gives log2 K instead of log K)."
            ),
            fix="Use the natural logarithm np.log; information in this course is in nats.",
            wrong=_bits,
        ),
        Mistake(
            "log10",
            diagnosis=(
                "You use np.log10: your entropies are in base-10 units, each log 10 ≈ 2.303 "
                "times smaller than the value in nats."
            ),
            fix="Use the natural logarithm np.log.",
            wrong=_log10,
        ),
        Mistake(
            "nan-on-zeros",
            diagnosis=(
                "You take np.log(p) at the zero entries too: log 0 is -inf and 0 * -inf is "
                "NaN, so every distribution with a zero entry gives NaN instead of counting "
                "0 log 0 as 0."
            ),
            fix="Take the logarithm only where p > 0: np.log(np.where(p > 0, p, 1.0)) is 0 at the zeros.",
            wrong=_nan_on_zeros,
        ),
        Mistake(
            "missing-minus",
            diagnosis=(
                "You return sum p log p without the leading minus sign: every entropy has the "
                "right size but is negative."
            ),
            fix="H(p) = -sum_k p_k log p_k: negate the sum.",
            wrong=_missing_minus,
        ),
        Mistake(
            "mean-not-sum",
            diagnosis=(
                "You average the terms -p_k log p_k over the K outcomes (.mean) instead of "
                "summing them, so every entropy is K times too small."
            ),
            fix="Sum over the last axis: .sum(axis=-1).",
            wrong=_mean_not_sum,
        ),
        Mistake(
            "sum-all-axes",
            diagnosis=(
                "You sum over every axis with .sum(), so a batch of N distributions gives one "
                "number, the total of their entropies, instead of N entropies."
            ),
            fix="Sum over the last axis only: .sum(axis=-1), which keeps the batch axis.",
            wrong=_sum_all_axes,
        ),
        Mistake(
            "first-axis",
            diagnosis=(
                "You sum over axis 0, across the batch, instead of over the last axis, across "
                "the outcomes of each distribution."
            ),
            fix="Sum with axis=-1.",
            wrong=_first_axis,
        ),
    ]


def figures(g: Grader) -> None:
    yours = g.try_array("binary")
    if yours is not None:
        yours = np.where(np.isfinite(yours), yours, np.nan)
    fig = plots.compare_lines(
        QS,
        yours,
        g.expected("binary"),
        title="entropy of a coin that lands heads with probability q",
        x_label="q",
        y_label="H (nats)",
    )
    fig.add_hline(
        y=float(np.log(2)),
        line={"color": plots.NEUTRAL, "dash": "dot"},
        annotation_text="log 2 ≈ 0.693 nats",
    )
    g.figure(fig)
