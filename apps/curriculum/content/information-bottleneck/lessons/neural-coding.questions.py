"""Concept checks of the lesson: a Poisson count probability, the posterior after a silent
window, and histogram equalisation with a known stimulus distribution."""

import math

import numpy as np

from apps.sandbox.grading.questions import Number, Wrong


def poisson_count(rng: np.random.Generator) -> Number:
    rate = int(rng.choice([10, 20, 30, 40, 60]))
    window = float(rng.choice([0.05, 0.1, 0.2]))
    n = int(rng.integers(1, 5))
    lam = rate * window
    answer = math.exp(-lam) * lam**n / math.factorial(n)
    wrong = [
        Wrong(
            math.exp(-lam) * lam**n,
            f"Divide by $n! = {math.factorial(n)}$: $P(n) = e^{{-\\lambda}}\\lambda^n/n!$.",
        ),
        Wrong(
            lam**n / math.factorial(n),
            "The factor $e^{-\\lambda}$ is missing: without it the probabilities do not sum to one.",
        ),
        Wrong(
            math.exp(-rate) * rate**n / math.factorial(n),
            f"The mean count is the rate times the window, $\\lambda = {rate} \\times {window:g} = {lam:g}$, not the rate.",
        ),
    ]
    return Number(
        prompt=(
            f"A neuron fires as a Poisson process at {rate} spikes per second. What is the "
            f"probability of exactly {n} spike{'s' if n > 1 else ''} in a window of {window:g} s? "
            "(Three significant digits.)"
        ),
        answer=answer,
        tolerance=3e-3,
        wrong=wrong,
        explanation=(
            f"$\\lambda = {rate} \\times {window:g} = {lam:g}$ and "
            f"$P({n}) = e^{{-{lam:g}}}\\,{lam:g}^{n}/{n}! \\approx {answer:.4g}$."
        ),
    )


def silent_window(rng: np.random.Generator) -> Number:
    lam1, lam2 = (int(v) for v in rng.choice([1, 2, 3, 4, 5], size=2, replace=False))
    l1, l2 = math.exp(-lam1), math.exp(-lam2)
    answer = l1 / (l1 + l2)
    wrong = [
        Wrong(l2 / (l1 + l2), "That is the posterior of the *other* stimulus: the complement."),
        Wrong(
            0.5,
            "The observation is informative: the likelihoods $e^{-\\lambda}$ of a zero count differ between the stimuli.",
        ),
        Wrong(
            l1,
            "That is the likelihood $P(N = 0 \\mid s_1)$; Bayes' rule divides by $P(N = 0)$, the sum over both stimuli.",
        ),
    ]
    return Number(
        prompt=(
            f"Two equally likely stimuli give Poisson counts with means $\\lambda_1 = {lam1}$ and "
            f"$\\lambda_2 = {lam2}$. The neuron stays silent ($N = 0$). What is the posterior "
            "probability of stimulus 1, to three decimals?"
        ),
        answer=answer,
        tolerance=3e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"$P(s_1 \\mid 0) = e^{{-{lam1}}}/(e^{{-{lam1}}} + e^{{-{lam2}}}) = {l1:.4f}/({l1:.4f} + {l2:.4f}) \\approx {answer:.3f}$."
        ),
    )


def equalised_response(rng: np.random.Generator) -> Number:
    r_max = int(rng.choice([50, 100, 200]))
    mean = float(rng.choice([1.0, 2.0, 4.0]))
    s = float(rng.choice([0.5, 1.0, 2.0, 3.0]))
    cdf = 1 - math.exp(-s / mean)
    answer = r_max * cdf
    wrong = [
        Wrong(
            r_max * math.exp(-s / mean),
            "That is $r_{\\max}\\,P(S > s)$, the complement: the response follows $P(S \\le s)$ and grows with $s$.",
        ),
        Wrong(
            r_max * math.exp(-s / mean) / mean,
            "That follows the density; the optimal response is the *cumulative* distribution $F(s)$ scaled by $r_{\\max}$.",
        ),
    ]
    return Number(
        prompt=(
            f"Stimulus intensities $S$ are exponentially distributed with mean {mean:g}, and a neuron's "
            f"response is limited to $[0, {r_max}]$ spikes/s. Following the efficient-coding argument, "
            f"what response $g(s)$ should it give to $s = {s:g}$? (Three significant digits.)"
        ),
        answer=answer,
        tolerance=3e-3,
        wrong=wrong,
        explanation=(
            f"$g(s) = r_{{\\max}}F(s) = {r_max}\\,(1 - e^{{-{s:g}/{mean:g}}}) \\approx {answer:.4g}$ spikes/s."
        ),
    )


def questions():
    return {
        "poisson-count": poisson_count,
        "silent-window": silent_window,
        "equalised-response": equalised_response,
    }
