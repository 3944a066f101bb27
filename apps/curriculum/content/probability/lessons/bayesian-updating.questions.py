"""Concept checks of the lesson: the Beta posterior after one's own flips, its mean against the
maximum-likelihood estimate, and the probability of heads on the next flip."""

import numpy as np

from apps.sandbox.grading.questions import Number, Vector, Wrong, distinct_wrongs


def _flips(rng: np.random.Generator) -> tuple[int, int, int, int]:
    a, b = (int(v) for v in rng.integers(1, 6, size=2))
    t = int(rng.integers(4, 13))
    k = int(rng.integers(1, t))  # at least one head and one tail
    return a, b, t, k


def posterior_parameters(rng: np.random.Generator) -> Vector:
    a, b, t, k = _flips(rng)
    answer = [a + k, b + t - k]
    candidates = [
        Wrong(
            [a + t - k, b + k], "Heads and tails are swapped: $a$ counts heads, $b$ counts tails."
        ),
        Wrong([a + k, b + t], "$b$ counts only the tails, $t - k$, not every flip."),
        Wrong(
            [k, t - k], "The prior's pseudo-counts are missing: start from $a$ and $b$, not from 0."
        ),
        Wrong(
            [a + k - 1, b + t - k - 1],
            "That is the exponent of $\\theta$ and $1 - \\theta$ in the density; the Beta parameters are one more.",
        ),
    ]
    return Vector(
        prompt=(
            f"A coin has the prior $\\mathrm{{Beta}}({a}, {b})$ for its probability of heads $\\theta$. "
            f"It shows {k} heads in {t} flips. What are the parameters $(a_t, b_t)$ of the posterior?"
        ),
        answer=answer,
        abs_tolerance=1e-3,
        wrong=candidates,
        explanation=f"$(a + k,\\ b + t - k) = ({a} + {k},\\ {b} + {t - k}) = ({answer[0]}, {answer[1]})$.",
    )


def posterior_mean(rng: np.random.Generator) -> Number:
    a, b, t, k = _flips(rng)
    answer = (a + k) / (a + b + t)
    candidates = [
        Wrong(
            k / t,
            "That is the maximum-likelihood estimate $k/t$; the posterior mean adds the prior's pseudo-counts.",
        ),
        Wrong(
            (a + k - 1) / (a + b + t - 2),
            "That is the posterior mode, the most probable value; the mean is $a_t/(a_t + b_t)$.",
        ),
        Wrong(a / (a + b), "That is the prior mean: the flips have not been counted."),
        Wrong(
            (b + t - k) / (a + b + t),
            "That is the posterior mean of $1 - \\theta$, the probability of tails: the complement.",
        ),
    ]
    return Number(
        prompt=(
            f"Prior $\\mathrm{{Beta}}({a}, {b})$, then {k} heads in {t} flips. What is the posterior mean "
            "$\\mathbb{E}[\\theta \\mid D]$? (Three decimals.)"
        ),
        answer=answer,
        tolerance=2e-3,
        wrong=distinct_wrongs(answer, candidates, tolerance=0.005, abs_tolerance=0.005),
        explanation=(
            f"The posterior is $\\mathrm{{Beta}}({a + k}, {b + t - k})$, with mean "
            f"${a + k}/{a + b + t} \\approx {answer:.3f}$, between the prior mean ${a}/{a + b}$ and "
            f"the MLE ${k}/{t}$."
        ),
    )


def data_weight(rng: np.random.Generator) -> Number:
    a, b = (int(v) for v in rng.integers(1, 11, size=2))
    t = int(rng.choice([5, 10, 20, 40, 90]))
    answer = t / (a + b + t)
    candidates = [
        Wrong(
            (a + b) / (a + b + t),
            "That is the weight on the prior mean; the weight on the data is $t/(a + b + t)$.",
        ),
        Wrong(t / (a + b), "The weights must sum to one: divide by $a + b + t$."),
    ]
    return Number(
        prompt=(
            f"The posterior mean under a $\\mathrm{{Beta}}({a}, {b})$ prior after $t = {t}$ flips is a weighted "
            "average of the prior mean and the maximum-likelihood estimate. What weight does the "
            "maximum-likelihood estimate get? (Three decimals.)"
        ),
        answer=answer,
        tolerance=2e-3,
        wrong=candidates,
        explanation=f"The weight on the data is $t/(a + b + t) = {t}/{a + b + t} \\approx {answer:.3f}$.",
    )


def questions():
    return {
        "posterior-parameters": posterior_parameters,
        "posterior-mean": posterior_mean,
        "data-weight": data_weight,
    }
