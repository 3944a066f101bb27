"""Concept checks of the lesson: a standard error by hand, what halving an error bar costs, the
Gaussian posterior's spread, and the two promises of an interval."""

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Wrong, distinct_wrongs


def standard_error(rng: np.random.Generator) -> Number:
    n = int(rng.choice([100, 400, 900, 2500, 10000]))
    k = int(rng.integers(n // 10, 9 * n // 10))
    p = k / n
    answer = float(np.sqrt(p * (1 - p) / n))
    candidates = [
        Wrong(
            p * (1 - p) / n,
            "That is the variance of $\\hat\\theta$; the standard error is its square root.",
        ),
        Wrong(
            float(np.sqrt(p * (1 - p))),
            "That is the spread of a single 0/1 draw; the mean of $n$ draws spreads $\\sqrt n$ times less.",
        ),
        Wrong(
            p * (1 - p) / np.sqrt(n),
            "The square root applies to the whole variance: $\\sqrt{\\hat\\theta(1 - \\hat\\theta)/n}$.",
        ),
        Wrong(
            float(np.sqrt(p * (1 - p) / (n - 1))),
            "For a proportion the plug-in standard error divides by $n$.",
        ),
    ]
    return Number(
        prompt=(
            f"A classifier gets {k} of {n} test examples right. What is the estimated standard "
            "error of its accuracy $\\hat\\theta$? (Four significant digits.)"
        ),
        answer=answer,
        tolerance=1e-3,
        abs_tolerance=1e-7,
        wrong=distinct_wrongs(answer, candidates, tolerance=0.005, abs_tolerance=0.005),
        explanation=(
            f"$\\hat\\theta = {p:g}$ and $\\widehat{{\\mathrm{{se}}}} = \\sqrt{{\\hat\\theta(1 - \\hat\\theta)/n}} "
            f"= \\sqrt{{{p:g}\\cdot{1 - p:g}/{n}}} \\approx {answer:.4g}$."
        ),
    )


def data_for_narrower_bar(rng: np.random.Generator) -> Number:
    factor = int(rng.choice([2, 3, 4, 5, 10]))
    answer = float(factor**2)
    candidates = [
        Wrong(
            float(factor),
            "The standard error falls like $1/\\sqrt n$, not $1/n$: shrinking it by $c$ takes $c^2$ times the data.",
        ),
        Wrong(
            float(np.sqrt(factor)),
            "It is the other way round: the error bar shrinks like the square root of the data, so the data must grow like the square of the factor.",
        ),
    ]
    return Number(
        prompt=(
            f"To make the standard error of a mean {factor} times smaller, by what factor must the "
            "number of independent samples grow?"
        ),
        answer=answer,
        abs_tolerance=1e-3,
        wrong=candidates,
        explanation=f"$\\mathrm{{se}} = \\sigma/\\sqrt n$, so dividing it by ${factor}$ multiplies $n$ by ${factor}^2 = {factor**2}$.",
    )


def gaussian_posterior_sd(rng: np.random.Generator) -> Number:
    s0 = float(rng.choice([0.5, 1.0, 2.0]))
    sigma = float(rng.choice([1.0, 2.0, 3.0]))
    n = int(rng.choice([1, 4, 9, 16]))
    precision = 1 / s0**2 + n / sigma**2
    answer = float(1 / np.sqrt(precision))
    candidates = [
        Wrong(
            1 / precision,
            "That is the posterior variance $s_n^2$; its standard deviation is the square root.",
        ),
        Wrong(
            sigma / np.sqrt(n),
            "That is the standard error of $\\bar x$ alone; the prior's precision adds to the data's.",
        ),
        Wrong(
            float(np.sqrt(s0**2 + sigma**2 / n)),
            "Precisions (inverse variances) add, not variances: the posterior is narrower than either source.",
        ),
        Wrong(
            float(1 / np.sqrt(1 / s0**2 + 1 / sigma**2)),
            "Each of the $n$ samples contributes precision $1/\\sigma^2$: the data's precision is $n/\\sigma^2$.",
        ),
    ]
    return Number(
        prompt=(
            f"Gaussian data with known $\\sigma = {sigma:g}$, $n = {n}$ samples, and the prior "
            f"$\\mu \\sim N(m_0, {s0:g}^2)$. What is the posterior standard deviation $s_n$ of $\\mu$? "
            "(Three decimals.)"
        ),
        answer=answer,
        tolerance=2e-3,
        wrong=distinct_wrongs(answer, candidates, tolerance=0.005, abs_tolerance=0.005),
        explanation=(
            f"$1/s_n^2 = 1/{s0:g}^2 + {n}/{sigma:g}^2 = {precision:.4g}$, so "
            f"$s_n = {precision:.4g}^{{-1/2}} \\approx {answer:.3f}$."
        ),
    )


_CLAIMS = [
    "Over repeated data sets, intervals built this way contain the fixed $\\theta$ at least 95% of the time.",
    "Given this data and the prior, $\\theta$ lies in this interval with probability 0.95.",
    "95% of the data lies inside the interval.",
    "The interval contains the estimate $\\hat\\theta$ with probability 0.95.",
]


def two_promises(rng: np.random.Generator) -> Choice:
    credible = bool(rng.integers(0, 2))
    right = 1 if credible else 0
    name = (
        "95% credible interval (Bayesian)" if credible else "95% confidence interval (frequentist)"
    )
    messages = {
        0: "That is the confidence interval's promise, about the procedure over repeated data sets; a credible interval's promise is about this interval, given the prior.",
        1: "That is the credible interval's promise; a confidence interval attaches no probability to the one interval you computed, $\\theta$ being fixed.",
        2: "An interval for a parameter says nothing about where the data lies; that would be a range of the data's distribution.",
        3: "The estimate is always inside its own interval; the promise is about the unknown $\\theta$.",
    }
    order = rng.permutation(len(_CLAIMS))
    position = {int(old): new for new, old in enumerate(order)}
    return Choice(
        prompt=f"What does a {name} promise?",
        options=[_CLAIMS[int(i)] for i in order],
        answer=position[right],
        wrong=[Wrong(position[j], m) for j, m in messages.items() if j != right],
        explanation=(
            "A confidence interval promises coverage over repeated data sets for every fixed $\\theta$; "
            "a credible interval promises posterior probability 0.95 for this interval, under the prior."
        ),
    )


def questions():
    return {
        "standard-error": standard_error,
        "data-for-narrower-bar": data_for_narrower_bar,
        "gaussian-posterior-sd": gaussian_posterior_sd,
        "two-promises": two_promises,
    }
