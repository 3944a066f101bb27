"""Concept checks of the lesson: the value of a small chain with rewards, how many sweeps value
iteration needs, and the optimal value of a grid-world cell."""

import numpy as np

from apps.sandbox.grading.questions import Number, Wrong, distinct_wrongs


def two_state_value(rng: np.random.Generator) -> Number:
    gamma = float(rng.choice([0.5, 0.8, 0.9]))
    p = float(rng.choice([0.25, 0.5, 0.75]))
    reward = int(rng.integers(1, 5))
    answer = reward / (1 - gamma * (1 - p) - gamma**2 * p)
    return Number(
        prompt=(
            f"Two states, one action each, discount $\\gamma = {gamma:g}$. State $0$ pays ${reward}$, "
            f"then moves to state $1$ with probability ${p:g}$ or stays in $0$; state $1$ pays $0$ and "
            "always returns to $0$. What is $V(0)$? (Three decimals.)"
        ),
        answer=answer,
        tolerance=1e-3,
        wrong=[
            Wrong(
                reward / (1 - gamma),
                "That is the value of collecting the reward every step; some steps are spent in state $1$, which pays $0$.",
            ),
            Wrong(
                reward / (1 - gamma * (1 - p)),
                "State $1$ pays nothing but returns to $0$: its value is $V(1) = \\gamma V(0)$, not $0$.",
            ),
            Wrong(
                float(reward),
                "That is only the first reward; the value adds the discounted rewards of every later step.",
            ),
        ],
        explanation=(
            f"$V(1) = {gamma:g}\\,V(0)$ and $V(0) = {reward} + {gamma:g}({1 - p:g}\\,V(0) + {p:g}\\,V(1))$, "
            f"so $V(0) = {reward}/(1 - {gamma * (1 - p):g} - {gamma * gamma * p:g}) \\approx {answer:.3f}$."
        ),
    )


def sweeps_needed(rng: np.random.Generator) -> Number:
    gamma = float(rng.choice([0.9, 0.95, 0.98, 0.99]))
    k = int(rng.choice([3, 4, 6, 8]))
    answer = k * np.log(10) / -np.log(gamma)
    return Number(
        prompt=(
            f"Value iteration with $\\gamma = {gamma:g}$ shrinks its error by at least the factor "
            f"$\\gamma$ per sweep. About how many sweeps reduce the error by the factor $10^{{{k}}}$? "
            "(Solve $\\gamma^n = 10^{-" + str(k) + "}$ for a real $n$.)"
        ),
        answer=answer,
        tolerance=2e-3,
        wrong=[
            Wrong(
                k / -np.log(gamma),
                f"That mixes logarithms: $\\log_{{10}} 10^{{-{k}}} = -{k}$ but $\\log \\gamma$ is natural. Use the same base on both sides.",
            ),
            Wrong(
                1 / (1 - gamma),
                "That is the effective horizon $1/(1 - \\gamma)$, not the number of sweeps for this accuracy.",
            ),
            Wrong(
                k / (1 - gamma),
                f"Two slips: $-\\log\\gamma \\approx 1 - \\gamma$ is fine, but $\\log 10^{{{k}}} = {k}\\log 10$ in natural logarithms, not ${k}$.",
            ),
        ],
        explanation=f"$n = \\log 10^{{-{k}}} / \\log {gamma:g} = {k}\\log 10 / (-\\log {gamma:g}) \\approx {answer:.1f}$.",
    )


def grid_cell_value(rng: np.random.Generator) -> Number:
    gamma = float(rng.choice([0.5, 0.8, 0.9, 0.95]))
    d = int(rng.integers(2, 7))
    answer = -(1 - gamma**d) / (1 - gamma)
    return Number(
        prompt=(
            f"In a grid world every move costs $1$ (reward $-1$) until an absorbing goal, where rewards "
            f"stop. With $\\gamma = {gamma:g}$, what is $V^*$ of a cell ${d}$ moves from the goal? "
            "(Three decimals.)"
        ),
        answer=answer,
        tolerance=1e-3,
        wrong=distinct_wrongs(
            answer,
            [
                Wrong(
                    float(-d),
                    f"That is the undiscounted cost of ${d}$ moves; the $t$-th move costs $\\gamma^t$.",
                ),
                Wrong(
                    -(1 - gamma ** (d + 1)) / (1 - gamma),
                    f"One move too many: ${d}$ moves are discounted by $\\gamma^0, \\dots, \\gamma^{{{d - 1}}}$.",
                ),
                Wrong(
                    -1 / (1 - gamma),
                    "That is the cost of never arriving; at the goal the costs stop.",
                ),
            ],
            tolerance=0,
            abs_tolerance=1e-2 * max(abs(answer), 1e-3),
        ),
        explanation=(
            f"$V^* = -\\sum_{{t=0}}^{{{d - 1}}} \\gamma^t = -(1 - \\gamma^{{{d}}})/(1 - \\gamma) \\approx {answer:.3f}$."
        ),
    )


def questions():
    return {
        "two-state-value": two_state_value,
        "sweeps-needed": sweeps_needed,
        "grid-cell-value": grid_cell_value,
    }
