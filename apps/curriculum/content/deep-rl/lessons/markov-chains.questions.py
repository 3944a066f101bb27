"""Concept checks of the lesson: the stationary distribution of one's own two-state chain, its
second eigenvalue, and the distribution after a few steps."""

import numpy as np

from apps.sandbox.grading.questions import Number, Vector, Wrong


def _chain(rng: np.random.Generator) -> tuple[float, float]:
    """Switching probabilities a (from 0 to 1) and b (from 1 to 0), in tenths, a != b, a + b != 1."""
    while True:
        a, b = rng.choice([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], size=2, replace=False)
        if abs(a + b - 1) > 1e-9:  # a + b = 1 forgets the start in one step: nothing to ask
            return float(a), float(b)


def _tex(a: float, b: float) -> str:
    return f"\\begin{{pmatrix}} {1 - a:g} & {a:g} \\\\ {b:g} & {1 - b:g} \\end{{pmatrix}}"


def stationary(rng: np.random.Generator) -> Vector:
    a, b = _chain(rng)
    answer = [b / (a + b), a / (a + b)]
    return Vector(
        prompt=(
            f"A Markov chain on states $\\{{0, 1\\}}$ has transition matrix $P = {_tex(a, b)}$ "
            "(row $i$ is the distribution of the next state from $i$). What is its stationary "
            "distribution $\\boldsymbol{\\pi} = (\\pi_0, \\pi_1)$?"
        ),
        answer=answer,
        wrong=[
            Wrong(
                [a / (a + b), b / (a + b)],
                "The entries are swapped: the chain spends more time in the state it leaves less often. Balance the flows: $\\pi_0 a = \\pi_1 b$.",
            ),
            Wrong(
                [0.5, 0.5],
                "The constant vector is the right eigenvector, $P\\mathbf{1} = \\mathbf{1}$; the stationary distribution is a left eigenvector, $\\boldsymbol{\\pi}^\\top P = \\boldsymbol{\\pi}^\\top$.",
            ),
        ],
        explanation=(
            f"Balance: $\\pi_0 \\cdot {a:g} = \\pi_1 \\cdot {b:g}$ with $\\pi_0 + \\pi_1 = 1$, so "
            f"$\\boldsymbol{{\\pi}} = ({b:g}, {a:g})/{a + b:g}$."
        ),
    )


def second_eigenvalue(rng: np.random.Generator) -> Number:
    a, b = _chain(rng)
    answer = 1 - a - b
    return Number(
        prompt=(
            f"The chain with $P = {_tex(a, b)}$ has the eigenvalue $1$. What is its other eigenvalue "
            "$\\lambda_2$, which sets how fast the chain forgets its start?"
        ),
        answer=answer,
        wrong=[
            Wrong(
                1 - abs(a - b),
                "The two eigenvalues add up to the trace $2 - a - b$; subtract the eigenvalue $1$.",
            ),
            Wrong(a + b - 1, "The sign is flipped: trace $= 1 + \\lambda_2 = 2 - a - b$."),
        ],
        explanation=f"The trace is $1 + \\lambda_2 = {2 - a - b:g}$, so $\\lambda_2 = 1 - {a:g} - {b:g} = {answer:g}$.",
    )


def after_t_steps(rng: np.random.Generator) -> Number:
    a, b = _chain(rng)
    t = int(rng.integers(2, 5))
    while abs(1 - a - b) ** t < 0.05:  # the start must still show after t steps
        a, b = _chain(rng)
    pi0, lam = b / (a + b), 1 - a - b
    answer = pi0 * (1 - lam**t)
    return Number(
        prompt=(
            f"The chain with $P = {_tex(a, b)}$ starts surely in state $1$, "
            f"$\\boldsymbol{{\\mu}}_0 = (0, 1)$. What is $P(s_{{{t}}} = 0)$? (Four decimals.)"
        ),
        answer=answer,
        tolerance=1e-3,
        abs_tolerance=1e-4,
        wrong=[
            Wrong(1 - answer, f"That is $P(s_{{{t}}} = 1)$, the complement."),
            Wrong(
                pi0 * lam**t,
                "That is the part of the distance to $\\pi_0$ still left, not the probability itself: $\\pi_0(1 - \\lambda_2^t)$.",
            ),
            Wrong(
                pi0,
                f"That is the limit $\\pi_0$; after only ${t}$ steps the chain has not forgotten its start yet.",
            ),
        ],
        explanation=(
            f"$P(s_t = 0) = \\pi_0 (1 - \\lambda_2^t)$ with $\\pi_0 = {pi0:.4g}$ and $\\lambda_2 = {lam:g}$: "
            f"${pi0:.4g}(1 - ({lam:g})^{{{t}}}) \\approx {answer:.4f}$."
        ),
    )


def questions():
    return {
        "stationary": stationary,
        "second-eigenvalue": second_eigenvalue,
        "after-t-steps": after_t_steps,
    }
