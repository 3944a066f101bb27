"""Concept checks of the lesson: the Gaussian maximum-likelihood sigma of one's own sample, the
power-law exponent from a sum of logarithms, and which moments a power law has."""

import numpy as np

from apps.sandbox.grading.questions import Number, Wrong, distinct_wrongs


def gaussian_sigma(rng: np.random.Generator) -> Number:
    while True:
        x = rng.integers(0, 10, size=4).astype(float)
        if x.std() > 0.5:
            break
    mean = x.mean()
    answer = float(np.sqrt(((x - mean) ** 2).mean()))
    candidates = [
        Wrong(
            float(x.std(ddof=1)),
            "That divides by $n - 1$, the unbiased variance estimator; the maximum of the likelihood divides by $n$.",
        ),
        Wrong(float(x.var()), "That is $\\hat\\sigma^2$, the variance: take its square root."),
        Wrong(
            float(np.abs(x - mean).mean()),
            "That is the mean absolute deviation; the Gaussian likelihood is maximised by the root mean square deviation.",
        ),
    ]
    listed = ", ".join(f"{v:g}" for v in x)
    return Number(
        prompt=(
            f"Fit a Gaussian by maximum likelihood to the four samples ${listed}$. What is "
            "$\\hat\\sigma$? (Three decimals.)"
        ),
        answer=answer,
        tolerance=2e-3,
        wrong=distinct_wrongs(answer, candidates, tolerance=0.005, abs_tolerance=0.005),
        explanation=(
            f"$\\hat\\mu = {mean:g}$; the squared deviations sum to ${((x - mean) ** 2).sum():g}$, so "
            f"$\\hat\\sigma = \\sqrt{{{((x - mean) ** 2).sum():g}/4}} \\approx {answer:.3f}$."
        ),
    )


def power_law_exponent(rng: np.random.Generator) -> Number:
    while True:
        k = rng.integers(0, 5, size=5)  # the samples are x_min * 2^k
        if k.sum() >= 3:
            break
    xmin = int(rng.choice([1, 2, 3, 5]))
    x = xmin * 2.0**k
    n = x.size
    total = float(np.log(x / xmin).sum())
    answer = 1 + n / total
    candidates = [
        Wrong(
            n / total,
            "That is $\\hat\\alpha - 1$, the slope of the survival function on log-log axes; the density's exponent is one more.",
        ),
        Wrong(
            1 + total / n,
            "The ratio is upside down: $\\hat\\alpha = 1 + n / \\sum_i \\log(x_i/x_{\\min})$.",
        ),
        Wrong(
            1 + n / float(np.log2(x / xmin).sum()),
            "Those are base-2 logarithms; the likelihood uses natural logarithms, $\\log 2 \\approx 0.693$.",
        ),
        Wrong(
            1 + n / float(np.log10(x / xmin).sum()),
            "Those are base-10 logarithms; the likelihood uses natural logarithms.",
        ),
        Wrong(
            1 + n / float(np.log(x).sum()),
            "Divide each sample by $x_{\\min}$ before taking the logarithm: the sum is of $\\log(x_i / x_{\\min})$.",
        ),
    ]
    listed = ", ".join(f"{v:g}" for v in x)
    return Number(
        prompt=(
            f"Fit a power law above $x_{{\\min}} = {xmin}$ by maximum likelihood to the samples "
            f"${listed}$. What is $\\hat\\alpha$? (Three decimals; $\\log 2 \\approx 0.6931$.)"
        ),
        answer=answer,
        tolerance=1e-3,
        wrong=distinct_wrongs(answer, candidates, tolerance=0.005, abs_tolerance=0.005),
        explanation=(
            f"Each $x_i/x_{{\\min}}$ is a power of 2, so $\\sum_i \\log(x_i/x_{{\\min}}) = {int(k.sum())}\\log 2 "
            f"\\approx {total:.4f}$ and $\\hat\\alpha = 1 + {n}/{total:.4f} \\approx {answer:.3f}$."
        ),
    )


def finite_moments(rng: np.random.Generator) -> Number:
    alpha = float(rng.choice([2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5]))
    # E[X^m] is finite only for m < alpha - 1.
    answer = float(np.ceil(alpha - 1) - 1)
    candidates = [
        Wrong(
            float(np.ceil(alpha) - 1),
            "That is the largest $m$ below $\\alpha$; the moment integral converges only for $m < \\alpha - 1$.",
        ),
        Wrong(
            float(np.floor(alpha - 1)),
            "At $m = \\alpha - 1$ the integrand is $x^{-1}$, whose integral diverges: the bound is strict.",
        ),
        Wrong(
            alpha - 1, "The question asks for a whole number $m$, the largest with a finite moment."
        ),
    ]
    return Number(
        prompt=(
            f"A power law has exponent $\\alpha = {alpha:g}$ (density $\\propto x^{{-\\alpha}}$ above "
            "$x_{\\min}$). What is the largest whole number $m$ for which $\\mathbb{E}[X^m]$ is finite?"
        ),
        answer=answer,
        abs_tolerance=1e-3,
        wrong=candidates,
        explanation=(
            f"$\\mathbb{{E}}[X^m] \\propto \\int^\\infty x^{{m - {alpha:g}}}\\,dx$ converges only when "
            f"$m - {alpha:g} < -1$, that is $m < {alpha - 1:g}$: the largest whole $m$ is ${answer:g}$."
        ),
    )


def questions():
    return {
        "gaussian-sigma": gaussian_sigma,
        "power-law-exponent": power_law_exponent,
        "finite-moments": finite_moments,
    }
