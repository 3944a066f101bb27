"""Concept checks of the lesson: the largest stable step, and what momentum does across a valley."""

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Wrong


def largest_step(rng: np.random.Generator) -> Number:
    a = int(rng.integers(1, 5))
    b = int(rng.choice([10, 16, 20, 25, 40, 50]))
    return Number(
        prompt=(
            f"Gradient descent on $f(\\mathbf{{x}}) = \\tfrac12\\,({a}\\,x_1^2 + {b}\\,x_2^2)$: "
            "what is the largest learning rate $\\eta$ for which it converges from every "
            "starting point? (Give the boundary value.)"
        ),
        answer=2 / b,
        wrong=[
            Wrong(
                1 / b,
                f"That step solves the steep direction in a single step ($1 - \\eta \\cdot {b} = 0$); the iterates still converge up to twice that step.",
            ),
            Wrong(
                2 / a,
                "That is the limit the flat direction would set: the steepest direction, with the largest curvature, sets the limit.",
            ),
            Wrong(
                2 / (a + b),
                "That is the best constant step (it balances the slowest and the fastest direction), not the largest one that converges.",
            ),
        ],
        explanation=(
            f"Each eigen-direction is multiplied by $1 - \\eta\\lambda_i$ per step; the steepest, "
            f"$\\lambda = {b}$, needs $|1 - {b}\\,\\eta| < 1$, that is $\\eta < 2/{b}$."
        ),
    )


def momentum_across(rng: np.random.Generator) -> Choice:
    beta = float(rng.choice([0.5, 0.8, 0.9, 0.95]))
    build_up = 1 / (1 - beta)
    options = [
        f"It builds up to about {build_up:g} gradients, so the zigzag grows.",
        "It averages out: the gradient across the valley changes sign every step.",
        "It stays equal to one gradient, as without momentum.",
        "It points along the valley, towards the minimum.",
    ]
    messages = {
        0: f"The build-up to $1/(1-\\beta) = {build_up:g}$ gradients happens along the valley, where the gradient keeps its sign.",
        2: "The velocity is a weighted sum of past gradients, not the last one alone.",
        3: "Across the valley the gradient points across it; averaging its alternating signs cancels it.",
    }
    order = rng.permutation(len(options))
    position = {int(old): new for new, old in enumerate(order)}
    return Choice(
        prompt=(
            f"Momentum with $\\beta = {beta:g}$ runs down a long narrow valley, zigzagging across "
            "it. What happens to the component of the velocity $\\mathbf{v}_t$ across the valley?"
        ),
        options=[options[int(i)] for i in order],
        answer=position[1],
        wrong=[Wrong(position[old], message) for old, message in messages.items()],
        explanation="Along the valley the signs agree and the velocity grows; across it they alternate and cancel.",
    )


def questions():
    return {"largest-step": largest_step, "momentum-across": momentum_across}
