"""Concept checks of the lesson: one Gibbs sweep by hand, how fast the chain forgets, and what
updating both coordinates from the old state samples instead."""

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Vector, Wrong, distinct_wrongs


def one_sweep(rng: np.random.Generator) -> Vector:
    s1, s2 = (float(v) for v in rng.choice([1.0, 2.0, 3.0], size=2, replace=False))
    rho = float(rng.choice([0.5, 0.6, 0.8, -0.6]))
    x1_0, x2_0 = (int(v) for v in rng.choice([-2, -1, 1, 2], size=2))
    e1, e2 = (int(v) for v in rng.choice([-2, -1, 1, 2], size=2))
    shrink = np.sqrt(1 - rho**2)

    def sweep(slope1, slope2, sd1, sd2, simultaneous=False):
        x1 = slope1 * x2_0 + sd1 * e1
        x2 = slope2 * (x1_0 if simultaneous else x1) + sd2 * e2
        return [float(x1), float(x2)]

    answer = sweep(rho * s1 / s2, rho * s2 / s1, s1 * shrink, s2 * shrink)
    wrong = [
        Wrong(
            sweep(rho * s1 / s2, rho * s2 / s1, s1 * shrink, s2 * shrink, simultaneous=True),
            "You updated $x_2$ from the old $x_1$: Gibbs conditions on the *latest* value, the new $x_1$.",
        ),
        Wrong(
            sweep(rho * s1 / s2, rho * s2 / s1, s1, s2),
            "The conditional standard deviation is $\\sigma_i\\sqrt{1 - \\rho^2}$, not the marginal $\\sigma_i$: knowing the other coordinate narrows it.",
        ),
        Wrong(
            sweep(rho, rho, s1 * shrink, s2 * shrink),
            "The slope of the conditional mean is $\\rho\\,\\sigma_1/\\sigma_2$ (and $\\rho\\,\\sigma_2/\\sigma_1$), not $\\rho$ alone: the standard deviations differ.",
        ),
    ]
    return Vector(
        prompt=(
            f"A Gibbs sampler targets a Gaussian with means $(0, 0)$, standard deviations "
            f"$\\sigma = ({s1:g}, {s2:g})$ and correlation $\\rho = {rho:g}$. From the state "
            f"$(x_1, x_2) = ({x1_0}, {x2_0})$ it updates $x_1$ with the standard normal draw "
            f"$\\varepsilon_1 = {e1}$, then $x_2$ with $\\varepsilon_2 = {e2}$. What is the state after "
            "this sweep? (Two numbers, to three decimals.)"
        ),
        answer=answer,
        tolerance=5e-3,
        abs_tolerance=3e-3,
        wrong=distinct_wrongs(answer, wrong, tolerance=0.02, abs_tolerance=0.003),
        explanation=(
            f"$x_1 = \\rho\\frac{{\\sigma_1}}{{\\sigma_2}}x_2 + \\sigma_1\\sqrt{{1-\\rho^2}}\\,\\varepsilon_1 = {answer[0]:.3f}$, "
            f"then with this new $x_1$, $x_2 = \\rho\\frac{{\\sigma_2}}{{\\sigma_1}}x_1 + \\sigma_2\\sqrt{{1-\\rho^2}}\\,\\varepsilon_2 = {answer[1]:.3f}$."
        ),
    )


def lag_correlation(rng: np.random.Generator) -> Number:
    rho = float(rng.choice([0.7, 0.8, 0.9, 0.95]))
    k = int(rng.choice([2, 3, 5, 10]))
    answer = rho ** (2 * k)
    wrong = [
        Wrong(
            rho**k,
            "Each sweep multiplies the correlation by $\\rho^2$, not $\\rho$: $x_1$ is regressed on $x_2$, which was regressed on the previous $x_1$.",
        ),
        Wrong(
            rho**2,
            f"That is the correlation after one sweep; after {k} sweeps the factor $\\rho^2$ applies {k} times.",
        ),
        Wrong(
            rho,
            "That is the correlation between $x_1$ and $x_2$ in the target, not between states of the chain.",
        ),
    ]
    return Number(
        prompt=(
            f"Gibbs sampling a standardised Gaussian pair with correlation $\\rho = {rho:g}$, in "
            f"equilibrium: what is the correlation between $x_1^{{(t)}}$ and $x_1^{{(t+{k})}}$, "
            f"{k} sweeps later? (Three significant digits.)"
        ),
        answer=answer,
        tolerance=3e-3,
        abs_tolerance=1e-4,
        wrong=wrong,
        explanation=(
            f"After a sweep $x_1^{{(t+1)}} = \\rho^2 x_1^{{(t)}} + \\text{{noise}}$, so the lag-{k} "
            f"correlation is $\\rho^{{2 \\cdot {k}}} = {answer:.4g}$."
        ),
    )


def both_from_old(rng: np.random.Generator) -> Choice:
    rho = float(rng.choice([0.5, 0.8, 0.9, -0.7]))
    options = [
        f"Standard normal marginals, but correlation $0$ instead of ${rho:g}$.",
        f"The target itself: standard normal marginals with correlation ${rho:g}$.",
        f"Standard normal marginals with correlation ${rho * rho:g}$.",
        "No distribution: the chain diverges.",
    ]
    messages = {
        1: "The marginals come out right, but the update no longer preserves the joint: the stationary covariance $c$ satisfies $c = \\rho^2 c$.",
        2: "$\\rho^2$ is how fast the correct chain forgets its start, not the correlation this chain settles at.",
        3: "Each coordinate is a contraction by $|\\rho| < 1$ plus noise: the chain settles, at the wrong distribution.",
    }
    order = rng.permutation(len(options))
    position = {int(old): new for new, old in enumerate(order)}
    return Choice(
        prompt=(
            f"A buggy sampler for the standardised Gaussian pair with $\\rho = {rho:g}$ draws "
            "*both* coordinates from the old state: $x_1' = \\rho x_2 + \\sqrt{1-\\rho^2}\\,\\varepsilon_1$, "
            "$x_2' = \\rho x_1 + \\sqrt{1-\\rho^2}\\,\\varepsilon_2$. What distribution does it sample in the long run?"
        ),
        options=[options[int(i)] for i in order],
        answer=position[0],
        wrong=[Wrong(position[old], message) for old, message in messages.items()],
        explanation=(
            "The variance $v$ satisfies $v = \\rho^2 v + 1 - \\rho^2$, so $v = 1$; the covariance "
            "$c$ satisfies $c = \\rho^2 c$ (each new coordinate depends on the *other* old one, "
            "and the two noises are independent), so $c = 0$."
        ),
    )


def questions():
    return {
        "one-sweep": one_sweep,
        "lag-correlation": lag_correlation,
        "both-from-old": both_from_old,
    }
