"""Concept checks of the lesson: a scaled score, the spread of raw dot products, attention
weights of one query, how many weights a causal mask keeps, and the shape of a stack of heads."""

import numpy as np

from apps.sandbox.grading.questions import Number, Vector, Wrong, distinct_wrongs


def _vec(v: np.ndarray) -> str:
    return "(" + ", ".join(f"{x:g}" for x in v) + ")"


def raw_score_spread(rng: np.random.Generator) -> Number:
    d_k = int(rng.choice([16, 25, 36, 64, 100, 144, 256]))
    answer = float(np.sqrt(d_k))
    wrong = [
        Wrong(
            float(d_k),
            f"That is the variance, $d_k = {d_k}$; the standard deviation is its square root.",
        ),
        Wrong(
            1.0,
            "That is the spread *after* dividing by $\\sqrt{d_k}$; the raw products add up $d_k$ unit variances.",
        ),
    ]
    return Number(
        prompt=(
            f"Queries and keys have $d_k = {d_k}$ independent entries of mean 0 and variance 1. What is the "
            "standard deviation of a raw score $\\mathbf{q}^\\top\\mathbf{k}$, before any scaling?"
        ),
        answer=answer,
        wrong=wrong,
        explanation=f"The {d_k} products $q_m k_m$ each have variance 1 and add up: variance {d_k}, standard deviation $\\sqrt{{{d_k}}} = {answer:g}$.",
    )


def attention_weights(rng: np.random.Generator) -> Vector:
    while True:
        q = rng.integers(-2, 3, size=4).astype(float)
        keys = rng.integers(-2, 3, size=(2, 4)).astype(float)
        raw = keys @ q
        if raw[0] != raw[1]:
            break
    scores = raw / 2.0  # sqrt(d_k) = 2
    p = np.exp(scores - scores.max())
    p /= p.sum()
    unscaled = np.exp(raw - raw.max())
    unscaled /= unscaled.sum()
    over_dk = np.exp(raw / 4 - (raw / 4).max())
    over_dk /= over_dk.sum()
    wrong = [
        Wrong(
            unscaled.tolist(),
            "You left out the division by $\\sqrt{d_k} = 2$: the weights come out too peaked.",
        ),
        Wrong(
            over_dk.tolist(),
            "Divide by $\\sqrt{d_k} = 2$, not by $d_k = 4$: the weights come out too flat.",
        ),
        Wrong(
            (scores / scores.sum()).tolist() if scores.sum() != 0 else [9.0, 9.0],
            "Normalising the scores by their sum is not the softmax: exponentiate first.",
        ),
    ]
    return Vector(
        prompt=(
            f"A query $\\mathbf{{q}} = {_vec(q)}$ attends to two keys $\\mathbf{{k}}_1 = {_vec(keys[0])}$ and "
            f"$\\mathbf{{k}}_2 = {_vec(keys[1])}$ ($d_k = 4$). What are its attention weights $(P_{{1}}, P_{{2}})$? "
            "(Two numbers, three decimals.)"
        ),
        answer=p.tolist(),
        tolerance=5e-3,
        abs_tolerance=1e-3,
        wrong=distinct_wrongs(p, wrong, tolerance=0.01, abs_tolerance=0.003),
        explanation=(
            f"The scores are $\\mathbf{{q}}^\\top\\mathbf{{k}}_j/\\sqrt 4 = {_vec(scores)}$; their softmax is "
            f"$({p[0]:.3f}, {p[1]:.3f})$."
        ),
    )


def causal_weights(rng: np.random.Generator) -> Number:
    n = int(rng.integers(4, 13))
    answer = n * (n + 1) / 2
    wrong = [
        Wrong(
            n * n,
            "A causal mask forbids every key after the query: only the lower triangle, diagonal included, survives.",
        ),
        Wrong(
            n * (n - 1) / 2,
            "Token $i$ may attend to itself: count the diagonal too ($j \\le i$, not $j < i$).",
        ),
        Wrong(n, "Each row keeps all keys up to its own position, not just one."),
    ]
    return Number(
        prompt=(
            f"Under a causal mask, how many entries of the ${n} \\times {n}$ attention matrix $P$ of a "
            f"sequence of {n} tokens can be nonzero?"
        ),
        answer=answer,
        tolerance=0.0,
        abs_tolerance=0.1,
        wrong=wrong,
        explanation=f"Row $i$ keeps keys $1, \\dots, i$: $1 + 2 + \\dots + {n} = {n}\\cdot{n + 1}/2 = {answer:g}$.",
    )


def head_stack_shape(rng: np.random.Generator) -> Vector:
    h = int(rng.choice([2, 4, 8, 12]))
    d_k = int(rng.choice([16, 32, 64]))
    n = int(rng.choice([10, 20, 50, 128]))
    d_model = h * d_k
    answer = [h, n, d_k]
    wrong = [
        Wrong(
            [n, h, d_k],
            "That is the shape after the reshape alone; the transpose moves the head axis to the front so that @ batches over heads.",
        ),
        Wrong(
            [h, n, d_model],
            f"Each head works in $d_k = d_{{\\text{{model}}}}/h = {d_k}$ dimensions, not the full {d_model}.",
        ),
    ]
    return Vector(
        prompt=(
            f"With $d_{{\\text{{model}}}} = {d_model}$ and $h = {h}$ heads, $Q$ for a sequence of {n} tokens is split "
            f"with Q.reshape(n, h, d_k).transpose(1, 0, 2). What is the shape of the result? (Three numbers.)"
        ),
        answer=answer,
        tolerance=0.0,
        abs_tolerance=0.1,
        wrong=wrong,
        explanation=f"$d_k = {d_model}/{h} = {d_k}$; the reshape gives $({n}, {h}, {d_k})$ and the transpose $({h}, {n}, {d_k})$.",
    )


def questions():
    return {
        "attention-weights": attention_weights,
        "raw-score-spread": raw_score_spread,
        "causal-weights": causal_weights,
        "head-stack-shape": head_stack_shape,
    }
