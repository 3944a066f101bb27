"""Concept checks of the lesson: how rare a minimum is under the coin-flip model, how long
gradient descent takes to leave a saddle, and where a Newton step goes near one."""

import numpy as np

from apps.sandbox.grading.questions import Number, Wrong


def minimum_by_coin_flips(rng: np.random.Generator) -> Number:
    n = int(rng.integers(3, 9))
    answer = 0.5**n
    wrong = [
        Wrong(
            1 - answer,
            "That is the probability that *some* eigenvalue is negative (a saddle or a maximum): the complement.",
        ),
        Wrong(
            1 / n,
            "The $n$ signs must all come out positive: multiply $n$ probabilities of $\\tfrac12$.",
        ),
        Wrong(
            0.5,
            "One positive sign has probability $\\tfrac12$; all $n$ of them together are much rarer.",
        ),
        Wrong(
            2 * answer,
            "$2^{-(n-1)}$ counts one sign too few: every one of the $n$ eigenvalues must be positive.",
        ),
    ]
    return Number(
        prompt=(
            f"In the crude model where each of the {n} Hessian eigenvalues at a critical point is "
            "positive or negative with probability $\\tfrac12$, independently, what is the "
            "probability that the point is a local minimum? (Four significant digits, or a fraction.)"
        ),
        answer=answer,
        tolerance=1e-3,
        abs_tolerance=1e-7,
        wrong=wrong,
        explanation=f"All {n} signs positive: $(1/2)^{{{n}}} = 1/{2**n} \\approx {answer:.4g}$.",
    )


def escape_steps(rng: np.random.Generator) -> Number:
    k = int(rng.choice([3, 4, 6, 8]))
    delta = 10.0**-k
    eta = float(rng.choice([0.05, 0.1, 0.2]))
    curvature = float(rng.choice([1, 2]))
    reach = float(rng.choice([0.1, 0.5]))
    rate = np.log1p(eta * curvature)
    answer = np.log(reach / delta) / rate
    wrong = [
        Wrong(
            np.log10(reach / delta) / rate,
            "You took $\\log_{10}$ on top and the natural log below: use the same base for both "
            "(the ratio of two logarithms does not depend on it).",
        ),
        Wrong(
            np.log(1 / delta) / rate,
            f"That is the count to reach distance 1; the question asks for {reach:g}.",
        ),
        Wrong(
            np.log(reach / delta) / -np.log1p(-eta * curvature),
            "Along a direction of negative curvature the factor per step is "
            "$1 - \\eta\\lambda = 1 + \\eta|\\lambda|$, not $1 - \\eta|\\lambda|$.",
        ),
        Wrong(
            reach / (delta * eta * curvature),
            "The escape component grows geometrically, not linearly: count steps with logarithms.",
        ),
    ]
    return Number(
        prompt=(
            f"Gradient descent with $\\eta = {eta:g}$ sits near a saddle whose escape direction has "
            f"curvature $\\lambda = -{curvature:g}$, with an escape component of $\\delta = 10^{{-{k}}}$. "
            f"In the linearised dynamics, after how many steps does that component reach {reach:g}? "
            "(A real number, to 1%.)"
        ),
        answer=answer,
        tolerance=1e-2,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"The component is multiplied by $1 + \\eta|\\lambda| = {1 + eta * curvature:g}$ per step: "
            f"$t = \\ln({reach:g}/\\delta)/\\ln({1 + eta * curvature:g}) \\approx {answer:.1f}$."
        ),
    )


def newton_near_the_saddle(rng: np.random.Generator) -> Number:
    y = float(rng.choice([0.2, 0.3, 0.4, 0.6, 0.8])) * float(rng.choice([-1, 1]))
    grad, curv = y**3 - y, 3 * y**2 - 1
    answer = y - grad / curv
    wrong = [
        Wrong(
            y - grad / abs(curv),
            "That is the saddle-free Newton step, dividing by $|f_{yy}|$; pure Newton divides by $f_{yy}$ itself.",
        ),
        Wrong(
            y - 0.1 * grad,
            "That is a gradient step with $\\eta = 0.1$; Newton divides the gradient by the second derivative.",
        ),
        Wrong(y + grad / curv, "Mind the sign: the Newton step is $y - f_y/f_{yy}$."),
        Wrong(
            y - grad * curv,
            "The Newton step divides the gradient by the second derivative; you multiplied.",
        ),
    ]
    return Number(
        prompt=(
            "On $f(x, y) = \\tfrac12 x^2 - \\tfrac12 y^2 + \\tfrac14 y^4$, take one pure Newton step "
            f"from $(x, y) = (1, {y:g})$. What is the new $y$? (Three decimals.)"
        ),
        answer=answer,
        tolerance=2e-3,
        abs_tolerance=5e-4,
        wrong=wrong,
        explanation=(
            f"$f_y = y^3 - y = {grad:.4f}$ and $f_{{yy}} = 3y^2 - 1 = {curv:.2f}$, so "
            f"$y - f_y/f_{{yy}} = 2y^3/(3y^2 - 1) = {answer:.4f}$"
            + (
                ": towards the saddle."
                if abs(answer) < abs(y)
                else ": past the hump, towards a minimum."
            )
        ),
    )


def questions():
    return {
        "minimum-by-coin-flips": minimum_by_coin_flips,
        "escape-steps": escape_steps,
        "newton-near-the-saddle": newton_near_the_saddle,
    }
