"""Concept checks of the lesson: the stationary variance and the autocorrelation of one's own
AR(1) process, and one step of the scalar Kalman filter."""

import numpy as np

from apps.sandbox.grading.questions import Number, Wrong


def stationary_variance(rng: np.random.Generator) -> Number:
    phi = float(rng.choice([-0.8, -0.6, -0.5, 0.5, 0.6, 0.8, 0.9]))
    sigma = float(rng.choice([0.5, 2.0, 3.0]))
    answer = sigma**2 / (1 - phi**2)
    return Number(
        prompt=(
            f"The AR(1) process $x_t = \\phi x_{{t-1}} + \\sigma\\varepsilon_t$ has $\\phi = {phi:g}$ and "
            f"$\\sigma = {sigma:g}$. What is its stationary variance $C_0$? (Three decimals.)"
        ),
        answer=answer,
        tolerance=1e-3,
        wrong=[
            Wrong(
                sigma / (1 - phi**2),
                "$\\sigma$ is the noise's standard deviation: the variance it adds each step is $\\sigma^2$.",
            ),
            Wrong(
                sigma**2 / (1 - phi),
                "Variances scale with the square of the coefficient: $\\mathrm{Var}[\\phi x] = \\phi^2 \\mathrm{Var}[x]$.",
            ),
            Wrong(
                sigma**2 / (1 - abs(phi)),
                "Variances scale with the square of the coefficient: $C_0 = \\phi^2 C_0 + \\sigma^2$.",
            ),
            Wrong(
                sigma**2,
                "That is the variance of one step's noise; the process accumulates it: $C_0 = \\phi^2 C_0 + \\sigma^2$.",
            ),
        ],
        explanation=f"$C_0 = \\phi^2 C_0 + \\sigma^2$, so $C_0 = {sigma**2:g}/(1 - {phi**2:g}) \\approx {answer:.3f}$.",
    )


def autocorrelation(rng: np.random.Generator) -> Number:
    phi = float(rng.choice([-0.9, -0.8, -0.7, -0.5]))
    k = int(rng.choice([3, 5]))
    answer = phi**k
    return Number(
        prompt=(
            f"What is the autocorrelation $\\rho_{{{k}}}$ at lag ${k}$ of a stationary AR(1) process with "
            f"$\\phi = {phi:g}$? (Four decimals.)"
        ),
        answer=answer,
        tolerance=1e-3,
        wrong=[
            Wrong(
                abs(phi) ** k,
                f"Keep the sign: a negative $\\phi$ makes the series zig-zag, and an odd lag like ${k}$ is anti-correlated.",
            ),
            Wrong(phi * k, "Memory decays geometrically: $\\rho_k = \\phi^k$, not $k\\phi$."),
            Wrong(
                phi**k / (1 - phi**2),
                "That is the autocovariance $C_k$ for $\\sigma = 1$; the autocorrelation divides by $C_0$.",
            ),
        ],
        explanation=f"$\\rho_k = \\phi^{{|k|}} = ({phi:g})^{{{k}}} \\approx {answer:.4f}$.",
    )


def kalman_gain(rng: np.random.Generator) -> Number:
    a = float(rng.choice([0.5, 1.0, 2.0]))
    c = float(rng.choice([0.5, 2.0, 3.0]))
    P_prev = float(rng.choice([0.5, 1.0, 2.0]))
    q = float(rng.choice([0.5, 1.0]))
    r = float(rng.choice([1.0, 2.0, 4.0]))
    P_pred = a * a * P_prev + q
    answer = c * P_pred / (c * c * P_pred + r)
    candidates = [
        (
            c * P_prev / (c * c * P_prev + r),
            "That uses the previous variance $P_{t-1}$; predict first: $P_t^- = a^2 P_{t-1} + \\sigma_w^2$.",
        ),
        (P_pred / (P_pred + r), "Keep $c$: the gain is $c P_t^- / (c^2 P_t^- + \\sigma_v^2)$."),
        (
            c * (a * P_prev + q) / (c * c * (a * P_prev + q) + r),
            "The prediction scales the variance by $a^2$, not $a$.",
        ),
        (
            r / (c * c * P_pred + r),
            "That is the fraction kept from the prediction; the gain is $c P_t^- / (c^2 P_t^- + \\sigma_v^2)$.",
        ),
    ]
    wrong: list[Wrong] = []
    for value, message in candidates:
        if abs(value - answer) > 5e-3 * answer and all(
            abs(value - w.value) > 5e-3 * answer for w in wrong
        ):
            wrong.append(Wrong(value, message))
    return Number(
        prompt=(
            f"A scalar Kalman filter has $a = {a:g}$, $c = {c:g}$, $\\sigma_w^2 = {q:g}$, $\\sigma_v^2 = {r:g}$, "
            f"and its belief after step $t-1$ has variance $P_{{t-1}} = {P_prev:g}$. What is the gain $K_t$? "
            "(Four decimals.)"
        ),
        answer=answer,
        tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"Predict: $P_t^- = {a:g}^2 \\cdot {P_prev:g} + {q:g} = {P_pred:g}$. Gain: "
            f"$K_t = {c:g} \\cdot {P_pred:g} / ({c:g}^2 \\cdot {P_pred:g} + {r:g}) \\approx {answer:.4f}$."
        ),
    )


def questions():
    return {
        "stationary-variance": stationary_variance,
        "autocorrelation": autocorrelation,
        "kalman-gain": kalman_gain,
    }
