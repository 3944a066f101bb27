"""Concept checks of the lesson: the exponent at a fixed point of the logistic map, nats against
bits, and how long a chaotic orbit keeps a small error small."""

import numpy as np

from apps.sandbox.grading.questions import Number, Wrong


def exponent_at_fixed_point(rng: np.random.Generator) -> Number:
    r = float(rng.choice([1.25, 1.5, 1.6, 1.75, 2.25, 2.4, 2.5, 2.6, 2.75, 2.8]))
    slope = 2 - r
    answer = np.log(abs(slope))
    return Number(
        prompt=(
            f"The logistic map $x_{{t+1}} = r x_t(1 - x_t)$ with $r = {r:g}$ settles at its fixed point "
            "$x^* = 1 - 1/r$. What is its Lyapunov exponent $\\lambda$, in nats per step? (Three decimals.)"
        ),
        answer=answer,
        tolerance=2e-3,
        wrong=[
            Wrong(
                abs(slope),
                "That is the growth factor $|f_r'(x^*)| = |2 - r|$ itself; the exponent is its logarithm.",
            ),
            Wrong(
                np.log(r),
                "That is $\\log|f_r'(0)| = \\log r$, the slope at the other fixed point $x = 0$, which the orbit has left.",
            ),
            Wrong(
                np.log2(abs(slope)),
                "That is in bits ($\\log_2$); the lesson measures exponents in nats, with the natural logarithm.",
            ),
        ],
        explanation=(
            f"$f_r'(x) = r(1 - 2x)$, so $f_r'(x^*) = 2 - r = {slope:g}$ and every term of the average is "
            f"$\\log|{slope:g}| \\approx {answer:.3f}$."
        ),
    )


def exponent_in_bits(rng: np.random.Generator) -> Number:
    lam = float(rng.choice([0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6]))
    answer = lam / np.log(2)
    return Number(
        prompt=(
            f"A chaotic map has Lyapunov exponent $\\lambda = {lam:g}$ nats per step. How many bits of "
            "its initial condition does it reveal per step? (Three decimals.)"
        ),
        answer=answer,
        tolerance=2e-3,
        wrong=[
            Wrong(
                lam * np.log(2),
                "Multiplying by $\\log 2$ goes the other way, from bits to nats: divide by $\\log 2$.",
            ),
            Wrong(
                lam / np.log(10),
                "That converts to decimal digits ($\\log_{10}$); bits use $\\log 2$.",
            ),
            Wrong(
                2**lam,
                "That is the growth factor per step in base 2; bits per step are $\\lambda / \\log 2$.",
            ),
        ],
        explanation=f"$\\lambda / \\log 2 = {lam:g} / 0.6931 \\approx {answer:.3f}$ bits per step.",
    )


def prediction_horizon(rng: np.random.Generator) -> Number:
    lam = float(rng.choice([0.2, 0.25, 0.4, 0.5, 0.8]))
    digits = int(rng.choice([6, 8, 10, 12, 16]))
    answer = digits * np.log(10) / lam
    return Number(
        prompt=(
            f"Two orbits of a map with Lyapunov exponent $\\lambda = {lam:g}$ nats per step start "
            f"$\\delta_0 = 10^{{-{digits}}}$ apart. After about how many steps is their distance of "
            "order one? (Solve $\\delta_0 e^{\\lambda t} = 1$; one decimal.)"
        ),
        answer=answer,
        tolerance=2e-3,
        wrong=[
            Wrong(
                digits / lam,
                f"$\\log(1/\\delta_0)$ is ${digits} \\log 10$, not ${digits}$: the exponent is in natural logarithms.",
            ),
            Wrong(
                digits * np.log2(10) / lam,
                "You used $\\log_2 10$; with $\\lambda$ in nats, $\\log(1/\\delta_0) = k \\log 10$ in natural logarithms.",
            ),
            Wrong(
                digits * np.log(10) * lam,
                "Divide by $\\lambda$: a larger exponent separates the orbits sooner.",
            ),
        ],
        explanation=(
            f"$t = \\log(1/\\delta_0)/\\lambda = {digits} \\log 10 / {lam:g} \\approx {answer:.1f}$ steps."
        ),
    )


def questions():
    return {
        "exponent-at-fixed-point": exponent_at_fixed_point,
        "exponent-in-bits": exponent_in_bits,
        "prediction-horizon": prediction_horizon,
    }
