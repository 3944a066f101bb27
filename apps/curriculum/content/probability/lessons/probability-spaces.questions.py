"""Concept checks of the lesson: a probability on two dice, the union rule, and an exponential
variable built on the uniform space."""

import numpy as np

from apps.sandbox.grading.questions import Number, Wrong, distinct_wrongs


def dice_sum(rng: np.random.Generator) -> Number:
    s = int(rng.choice([3, 4, 5, 6, 8, 9, 10, 11]))
    ways = 6 - abs(s - 7)
    answer = ways / 36
    candidates = [
        Wrong(
            1 / 11,
            "The eleven sums are not equally likely: count the ordered pairs $(\\omega_1, \\omega_2)$ that give each sum.",
        ),
        Wrong(
            ((ways + 1) // 2) / 21,
            "That counts unordered pairs; $(1, 2)$ and $(2, 1)$ are different outcomes of the 36 equally likely ones.",
        ),
        Wrong(
            1 - answer,
            "That is the probability that the sum is *not* $" + str(s) + "$, the complement.",
        ),
        Wrong(ways / 6, "There are 36 equally likely outcomes, not 6: divide the count by 36."),
    ]
    return Number(
        prompt=f"Two fair dice are rolled. What is the probability that their sum is ${s}$?",
        answer=answer,
        tolerance=2e-3,
        wrong=distinct_wrongs(answer, candidates, tolerance=0.005, abs_tolerance=0.005),
        explanation=f"${ways}$ of the $36$ ordered pairs sum to ${s}$: $p_S({s}) = {ways}/36 \\approx {answer:.4f}$.",
    )


def union_rule(rng: np.random.Generator) -> Number:
    while True:
        pa, pb = (int(v) / 20 for v in rng.integers(4, 13, size=2))
        pab = int(rng.integers(1, 4)) / 20
        if pab <= min(pa, pb) and pa + pb - pab <= 1 and abs(pab - pa * pb) > 0.01:
            break
    answer = pa + pb - pab
    candidates = [
        Wrong(
            pa + pb,
            "The outcomes in $A \\cap B$ are counted twice in $P(A) + P(B)$: subtract $P(A \\cap B)$ once.",
        ),
        Wrong(
            pa + pb - pa * pb,
            "That uses $P(A)P(B)$ for the intersection, true only for independent events; here $P(A \\cap B)$ is given.",
        ),
        Wrong(1 - answer, "That is the probability of neither, the complement of the union."),
        Wrong(
            pa + pb - 2 * pab,
            "That is the probability of exactly one of the two; the union includes the outcomes in both.",
        ),
    ]
    return Number(
        prompt=(
            f"Events $A$ and $B$ have $P(A) = {pa:g}$, $P(B) = {pb:g}$ and "
            f"$P(A \\cap B) = {pab:g}$. What is $P(A \\cup B)$?"
        ),
        answer=answer,
        tolerance=1e-3,
        wrong=distinct_wrongs(answer, candidates, tolerance=0.005, abs_tolerance=0.005),
        explanation=f"$P(A \\cup B) = P(A) + P(B) - P(A \\cap B) = {pa:g} + {pb:g} - {pab:g} = {answer:g}$.",
    )


def exponential_tail(rng: np.random.Generator) -> Number:
    lam = float(rng.choice([0.5, 2.0, 3.0, 4.0]))
    x = float(rng.choice([0.25, 0.5, 1.0, 1.5]))
    answer = float(np.exp(-lam * x))
    candidates = [
        Wrong(
            1 - answer,
            "That is $P(X \\le x) = F_X(x)$; the question asks for the complement, $P(X > x) = 1 - F_X(x)$.",
        ),
        Wrong(
            float(np.exp(-x / lam)),
            "The rate multiplies $x$: $F_X(x) = 1 - e^{-\\lambda x}$, not $e^{-x/\\lambda}$.",
        ),
        Wrong(
            float(lam * np.exp(-lam * x)),
            "That is the density $p(x)$, probability per unit length, not the probability of an event.",
        ),
    ]
    return Number(
        prompt=(
            f"With $\\omega$ uniform on $[0, 1]$, let $X(\\omega) = -\\tfrac{{1}}{{\\lambda}}\\log(1 - \\omega)$ "
            f"with $\\lambda = {lam:g}$. What is $P(X > {x:g})$? (Four decimals.)"
        ),
        answer=answer,
        tolerance=1e-3,
        abs_tolerance=1e-4,
        wrong=candidates,
        explanation=(
            f"$X > x$ exactly when $\\omega > 1 - e^{{-\\lambda x}}$, an interval of length "
            f"$e^{{-\\lambda x}} = e^{{-{lam * x:g}}} \\approx {answer:.4f}$."
        ),
    )


def exponential_mean(rng: np.random.Generator) -> Number:
    lam = float(rng.choice([0.25, 0.5, 2.0, 4.0, 5.0]))
    answer = 1 / lam
    candidates = [
        Wrong(
            lam,
            "That is the rate itself; a higher rate means shorter waits: $\\mathbb{E}[X] = 1/\\lambda$.",
        ),
        Wrong(
            float(np.log(2) / lam),
            "That is the median, $F_X^{-1}(1/2) = \\log 2/\\lambda$; the mean is pulled up by the long tail.",
        ),
        Wrong(1 / lam**2, "That is the variance of the exponential; its mean is $1/\\lambda$."),
    ]
    return Number(
        prompt=(
            f"For the same construction with $\\lambda = {lam:g}$, what is $\\mathbb{{E}}[X]$?"
        ),
        answer=answer,
        tolerance=1e-3,
        wrong=candidates,
        explanation=f"$\\mathbb{{E}}[X] = \\int_0^1 -\\tfrac{{1}}{{\\lambda}}\\log(1 - \\omega)\\,d\\omega = 1/\\lambda = {answer:g}$.",
    )


def questions():
    return {
        "dice-sum": dice_sum,
        "union-rule": union_rule,
        "exponential-tail": exponential_tail,
        "exponential-mean": exponential_mean,
    }
