import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots


def _h(p):
    p = np.asarray(p, dtype=float).ravel()
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def cases(rng: np.random.Generator) -> list[Call]:
    k, n = int(rng.integers(3, 7)), int(rng.integers(4, 8))
    if n == k:  # a square batch would let a sum over the wrong axis keep the right shape
        n += 1
    p, q = rng.dirichlet(np.ones(k)), rng.dirichlet(np.ones(k))
    pz = rng.dirichlet(np.ones(k), size=n)
    pz[:, 0] = 0.0
    pz /= pz.sum(axis=1, keepdims=True)
    qz = rng.dirichlet(np.ones(k))
    qz[1] = 0.0
    qz /= qz.sum()
    m, c = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    joint = rng.dirichlet(np.ones(m * c)).reshape(m, c)
    px, py = rng.dirichlet(np.ones(m)), rng.dirichlet(np.ones(c))
    det = np.zeros((m, c))
    det[np.arange(m), rng.integers(0, c, size=m)] = px
    zero_row = joint.copy()
    zero_row[0] = 0.0
    zero_row /= zero_row.sum()
    return [
        Call("kl", "kl_divergence", (p, q), label=f"two random distributions over {k} outcomes"),
        Call(
            "kl-batch",
            "kl_divergence",
            (rng.dirichlet(np.ones(k), size=n), rng.dirichlet(np.ones(k), size=n)),
            label=f"batches of shape ({n}, {k})",
        ),
        Call(
            "kl-zeros",
            "kl_divergence",
            (pz, rng.dirichlet(np.ones(k), size=n)),
            label="p with a zero entry in every row",
        ),
        Call("kl-self", "kl_divergence", (p, p), label="p against itself"),
        Call(
            "kl-both-zero",
            "kl_divergence",
            (np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.75, 0.0])),
            label="p = [0.5, 0.5, 0] and q = [0.25, 0.75, 0], both zero at the same outcome",
        ),
        Call(
            "kl-inf",
            "kl_divergence",
            (rng.dirichlet(np.ones(k)), qz),
            label="a q that is zero where p is positive",
        ),
        Call(
            "ce", "conditional_entropy", (joint,), label=f"a random joint table of shape ({m}, {c})"
        ),
        Call(
            "ce-indep",
            "conditional_entropy",
            (np.outer(px, py),),
            label="an independent pair, p(x, y) = p(x) p(y)",
        ),
        Call("ce-det", "conditional_entropy", (det,), label="a Y determined by X"),
        Call(
            "ce-zero-row",
            "conditional_entropy",
            (zero_row,),
            label="a table whose first row is all zeros",
        ),
    ]


def grade(g: Grader) -> None:
    g.check_close("D_KL(p || q) on two random distributions", "kl", points=2)
    g.check_close("applies over the last axis of a batch", "kl-batch")
    g.check_close_all("zero entries of p contribute nothing", ["kl-zeros", "kl-both-zero"])
    # The answer is 0: the error is that of order-1 terms cancelling.
    g.check_close("D_KL(p || p) = 0", "kl-self", atol=1e-6)

    def infinite():
        got = g.scalar("kl-inf")
        if np.isposinf(got):
            return None
        return (
            f"on {g.call('kl-inf').description} the divergence is +inf (a term p log(p / 0) "
            f"with p > 0), but you returned {got!r}"
        )

    g.custom("+inf when q misses a possible outcome", infinite)
    g.check_close("H(Y | X) on a random joint table", "ce")
    g.check_close("H(Y | X) = H(Y) for an independent pair", "ce-indep")
    g.check_close("H(Y | X) = 0 when Y is determined by X", "ce-det", atol=1e-6)
    g.check_close("a value of X that never occurs", "ce-zero-row")


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _kl_reversed(p, q):
    p, q = np.asarray(q, dtype=float), np.asarray(p, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0)) - np.log(q)), 0.0)
    return terms.sum(axis=-1)


def _kl_finite_when_q_zero(p, q):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    ok = (p > 0) & (q > 0)
    terms = np.where(ok, p * np.log(np.where(ok, p, 1.0) / np.where(ok, q, 1.0)), 0.0)
    return terms.sum(axis=-1)


def _kl_nan_to_num(p, q):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(p * np.log(p / q)).sum(axis=-1)


def _kl_nan_on_zeros(p, q):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (p * np.log(p / q)).sum(axis=-1)


def _kl_sum_all(p, q):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    with np.errstate(divide="ignore"):
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / q), 0.0)
    return terms.sum()


def _ce_given(joint, axis):
    joint = np.asarray(joint, dtype=float)
    marginal = joint.sum(axis=axis, keepdims=True)
    mask = joint > 0
    cond = np.where(mask, joint / np.where(marginal > 0, marginal, 1.0), 1.0)
    return float(-(np.where(mask, joint * np.log(cond), 0.0)).sum())


def _h_flat(p):
    p = p[p > 0]
    return -(p * np.log(p)).sum()


def _ce_minus_order(joint):
    joint = np.asarray(joint, dtype=float)
    return float(_h_flat(joint.sum(axis=1)) - _h_flat(joint.ravel()))


def _ce_no_mask(joint):
    joint = np.asarray(joint, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-(joint * np.log(joint / joint.sum(axis=1, keepdims=True))).sum())


def _ce_unweighted_rows(joint):
    joint = np.asarray(joint, dtype=float)
    hs = []
    for row in joint:
        s = row.sum()
        c = row[row > 0] / s if s else np.ones(1)
        hs.append(-(c * np.log(c)).sum())
    return float(np.mean(hs))


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "reversed-kl",
            diagnosis=(
                "You compute D_KL(q || p), the other direction: the divergence is weighted by "
                "the first argument, sum_k p_k log(p_k / q_k), and it is not symmetric."
            ),
            fix="Weight by p: sum of p * log(p / q) over the last axis.",
            wrong={"kl_divergence": _kl_reversed},
        ),
        Mistake(
            "kl-finite-when-q-zero",
            diagnosis=(
                "You drop the terms where q = 0 as well as those where p = 0: a model that gives "
                "probability 0 to a possible outcome then gets a finite divergence instead of +inf."
            ),
            fix="Drop only the terms with p = 0; where p > 0 and q = 0 the term is +inf.",
            wrong={"kl_divergence": _kl_finite_when_q_zero},
        ),
        Mistake(
            "kl-nan-to-num",
            diagnosis=(
                "You clean p log(p / q) with np.nan_to_num: that also turns +inf into the largest "
                "float, about 1.8e308, so a q that misses a possible outcome does not give inf."
            ),
            fix="Mask with np.where(p > 0, ..., 0.0) instead, which leaves +inf alone.",
            wrong={"kl_divergence": _kl_nan_to_num},
        ),
        Mistake(
            "kl-nan-on-zeros",
            diagnosis=(
                "You compute p * log(p / q) at the zero entries of p too: 0 * log 0 is "
                "0 * -inf = NaN in NumPy, so any p with a zero entry gives NaN."
            ),
            fix="Terms with p = 0 count as 0: np.where(p > 0, p * np.log(...), 0.0).",
            wrong={"kl_divergence": _kl_nan_on_zeros},
        ),
        Mistake(
            "kl-sum-all",
            diagnosis=(
                "You sum over every axis, so a batch of N pairs of distributions gives one total "
                "instead of N divergences."
            ),
            fix="Sum over the last axis: .sum(axis=-1).",
            wrong={"kl_divergence": _kl_sum_all},
        ),
        Mistake(
            "conditions-on-y",
            diagnosis=(
                "You divide by the column sums p(y) and so compute H(X | Y); rows index X and "
                "columns index Y, and H(Y | X) conditions on the row sums p(x)."
            ),
            fix="p(y | x) = joint / joint.sum(axis=1, keepdims=True).",
            wrong={"conditional_entropy": lambda joint: _ce_given(joint, 0)},
        ),
        Mistake(
            "chain-rule-reversed",
            diagnosis=(
                "You subtract the wrong way round, H(X) - H(X, Y), which is -H(Y | X): your "
                "conditional entropies are never positive."
            ),
            fix="By the chain rule H(Y | X) = H(X, Y) - H(X).",
            wrong={"conditional_entropy": _ce_minus_order},
        ),
        Mistake(
            "cond-no-zero-mask",
            diagnosis=(
                "You take log(p(x, y) / p(x)) at the zero entries too: 0 * log 0 gives NaN, and "
                "a row of zeros gives 0 / 0."
            ),
            fix="Sum only over the entries with p(x, y) > 0.",
            wrong={"conditional_entropy": _ce_no_mask},
        ),
        Mistake(
            "unweighted-rows",
            diagnosis=(
                "You average the row entropies H(Y | X = x) with equal weights; each must be "
                "weighted by p(x), the probability of its row."
            ),
            fix="H(Y | X) = sum_x p(x) H(Y | X = x), or sum -p(x, y) log p(y | x) over all entries.",
            wrong={"conditional_entropy": _ce_unweighted_rows},
        ),
    ]


def figures(g: Grader) -> None:
    ref = np.asarray(g.expected("kl-batch"))
    yours = g.try_array("kl-batch")
    g.figure(
        plots.compare_bars(
            [f"row {i}" for i in range(ref.size)],
            yours,
            ref,
            title="D_KL(p || q) for each row of the batch",
            y_label="nats",
        )
    )
    keys = ("ce", "ce-indep", "ce-det", "ce-zero-row")
    names = ["random table", "independent", "Y determined by X", "a zero row"]
    got = [g.try_array(k, shape=()) for k in keys]
    mine = None if any(v is None for v in got) else np.array([float(v) for v in got])
    fig = plots.compare_bars(
        names,
        mine,
        np.array([g.expected(k) for k in keys]),
        title="H(Y | X) for four joint tables",
        y_label="nats",
    )
    fig.add_scatter(
        x=names,
        y=[_h(np.asarray(g.arg(k)).sum(axis=0)) for k in keys],
        mode="markers",
        name="H(Y), the upper bound",
        marker={"color": plots.NEUTRAL, "symbol": "line-ew-open", "size": 30},
    )
    g.figure(fig)
