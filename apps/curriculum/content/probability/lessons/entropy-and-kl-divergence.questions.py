"""Concept checks of the lesson: the entropy of one's own distribution, a KL divergence in the
right direction, and the conditional entropy of a noisy copy."""

import numpy as np

from apps.sandbox.grading.questions import Number, Wrong, distinct_wrongs

_DYADIC = [
    (0.5, 0.25, 0.25),
    (0.5, 0.5),
    (0.25, 0.25, 0.25, 0.25),
    (0.5, 0.25, 0.125, 0.125),
    (0.25, 0.25, 0.5, 0.0),
    (0.125, 0.125, 0.25, 0.5),
    (0.5, 0.125, 0.125, 0.125, 0.125),
]


def _show(p: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:g}" for v in p) + ")"


def entropy_by_hand(rng: np.random.Generator) -> Number:
    p = rng.permutation(np.array(_DYADIC[int(rng.integers(0, len(_DYADIC)))]))
    nz = p[p > 0]
    answer = float(-(nz * np.log(nz)).sum())
    candidates = [
        Wrong(
            answer / np.log(2),
            "That is the entropy in bits ($\\log_2$); this course measures it in nats, with the natural logarithm.",
        ),
        Wrong(
            -answer,
            "Mind the sign: $H = -\\sum_k p_k\\log p_k$ is never negative, since every $\\log p_k \\le 0$.",
        ),
        Wrong(
            float(np.log(p.size)),
            "That is $\\log K$, the entropy of the uniform distribution, the maximum; this one is not uniform.",
        ),
        Wrong(answer / np.log(10), "That uses base-10 logarithms; entropy here is in nats."),
    ]
    return Number(
        prompt=(
            f"What is the entropy $H(\\mathbf{{p}})$, in nats, of $\\mathbf{{p}} = {_show(p)}$? "
            "(Three decimals; $\\log 2 \\approx 0.6931$.)"
        ),
        answer=answer,
        tolerance=2e-3,
        wrong=candidates,
        explanation=(
            f"$-\\sum_k p_k \\log p_k$ over the nonzero $p_k$ (a zero term counts 0) is "
            f"${answer / np.log(2):g}\\log 2 \\approx {answer:.3f}$ nats."
        ),
    )


def kl_direction(rng: np.random.Generator) -> Number:
    while True:
        p = rng.permutation(np.array([0.5, 0.25, 0.25]))
        q = rng.permutation(np.array([0.5, 0.25, 0.25]))
        if not np.allclose(p, q):
            break
    if rng.integers(0, 2):
        q = np.full(3, 1 / 3)
    answer = float((p * np.log(p / q)).sum())
    reverse = float((q * np.log(q / p)).sum())
    candidates = [
        Wrong(
            reverse,
            "That is $D_{\\mathrm{KL}}(\\mathbf{q}\\,\\|\\,\\mathbf{p})$, the other direction: weight by $p_k$, the first argument.",
        ),
        Wrong(
            answer / np.log(2),
            "That is in bits; with the natural logarithm the divergence is in nats.",
        ),
        Wrong(
            float(-(p * np.log(q)).sum()),
            "That is the cross-entropy $H(\\mathbf{p}, \\mathbf{q})$; subtract the entropy $H(\\mathbf{p})$.",
        ),
        Wrong(
            -answer,
            "A KL divergence is never negative (Gibbs' inequality): the ratio inside the logarithm is $p_k/q_k$.",
        ),
    ]
    return Number(
        prompt=(
            f"What is $D_{{\\mathrm{{KL}}}}(\\mathbf{{p}}\\,\\|\\,\\mathbf{{q}})$, in nats, for "
            f"$\\mathbf{{p}} = {_show(p)}$ and $\\mathbf{{q}} = {_show(np.round(q, 4))}$"
            + (" (that is, uniform)" if np.allclose(q, 1 / 3) else "")
            + "? (Three decimals.)"
        ),
        answer=answer,
        tolerance=3e-3,
        abs_tolerance=1e-3,
        wrong=distinct_wrongs(answer, candidates, tolerance=0.005, abs_tolerance=0.005),
        explanation=f"$\\sum_k p_k \\log(p_k/q_k) \\approx {answer:.4f}$ nats (the other direction gives ${reverse:.4f}$).",
    )


def noisy_copy(rng: np.random.Generator) -> Number:
    eps = float(rng.choice([0.1, 0.2, 0.25, 0.3, 0.4]))
    h = float(-(eps * np.log(eps) + (1 - eps) * np.log(1 - eps)))
    answer = h
    candidates = [
        Wrong(
            float(np.log(2)),
            "That is $H(Y) = \\log 2$, the uncertainty before seeing $X$; knowing $X$ leaves only the noise.",
        ),
        Wrong(
            float(np.log(2)) - h,
            "That is the mutual information $I(X; Y) = H(Y) - H(Y \\mid X)$, what $X$ tells about $Y$.",
        ),
        Wrong(h / np.log(2), "That is in bits; the course uses nats."),
        Wrong(
            float(np.log(2)) + h,
            "That is the joint entropy $H(X, Y) = H(X) + H(Y \\mid X)$; subtract $H(X) = \\log 2$.",
        ),
    ]
    return Number(
        prompt=(
            f"$X$ is a fair bit and $Y$ copies it, flipped with probability ${eps:g}$. What is "
            "$H(Y \\mid X)$, in nats? (Three decimals.)"
        ),
        answer=answer,
        tolerance=2e-3,
        wrong=candidates,
        explanation=(
            f"Given either value of $X$, $Y$ has probabilities $({1 - eps:g}, {eps:g})$, whose entropy is "
            f"$-({1 - eps:g}\\log {1 - eps:g} + {eps:g}\\log {eps:g}) \\approx {h:.3f}$ nats."
        ),
    )


def questions():
    return {
        "entropy-by-hand": entropy_by_hand,
        "kl-direction": kl_direction,
        "noisy-copy": noisy_copy,
    }
