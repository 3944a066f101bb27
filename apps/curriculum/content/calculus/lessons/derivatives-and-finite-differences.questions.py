"""Concept checks of the lesson: a gradient by hand, a central difference by hand, and how the
truncation error scales with the step."""

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Vector, Wrong, distinct_wrongs


def gradient_by_hand(rng: np.random.Generator) -> Vector:
    a, b, c = (int(v) for v in rng.choice([-3, -2, -1, 1, 2, 3, 4], size=3))
    x1, x2 = (int(v) for v in rng.choice([-2, -1, 1, 2, 3], size=2))
    answer = np.array([2 * a * x1 + b * x2, b * x1 + 2 * c * x2], dtype=float)
    candidates = [
        Wrong(
            [2 * a * x1, 2 * c * x2],
            "The mixed term $x_1x_2$ depends on both variables: it adds $b\\,x_2$ to $\\partial f/\\partial x_1$ and $b\\,x_1$ to $\\partial f/\\partial x_2$.",
        ),
        Wrong(
            [a * x1 + b * x2, b * x1 + c * x2],
            "The derivative of $x^2$ is $2x$: the squared terms contribute $2a x_1$ and $2c x_2$.",
        ),
        Wrong(
            answer[::-1],
            "The entries are in the wrong order: entry 1 is $\\partial f/\\partial x_1$, entry 2 is $\\partial f/\\partial x_2$.",
        ),
        Wrong(
            [2 * a * x1 + b * x1, b * x2 + 2 * c * x2],
            "Differentiating $b\\,x_1x_2$ in $x_1$ leaves the other factor, $b\\,x_2$, not $b\\,x_1$.",
        ),
    ]
    return Vector(
        prompt=(
            f"Let $f(x_1, x_2) = {a}x_1^2 + ({b})x_1x_2 + ({c})x_2^2$. What is the gradient "
            f"$\\nabla f$ at $\\mathbf{{x}} = ({x1}, {x2})$?"
        ),
        answer=answer.tolist(),
        abs_tolerance=1e-3,
        wrong=candidates,
        explanation=(
            f"$\\partial f/\\partial x_1 = 2({a})x_1 + ({b})x_2 = {answer[0]:g}$ and "
            f"$\\partial f/\\partial x_2 = ({b})x_1 + 2({c})x_2 = {answer[1]:g}$."
        ),
    )


def central_difference_by_hand(rng: np.random.Generator) -> Number:
    x = int(rng.choice([-3, -2, -1, 1, 2, 3]))
    h = float(rng.choice([0.5, 0.25, 0.2, 0.1]))
    # ((x + h)^3 - (x - h)^3) / (2h) = 3x^2 + h^2 exactly.
    answer = 3 * x**2 + h**2
    candidates = [
        Wrong(
            3 * x**2,
            "That is the exact derivative $3x^2$; the central difference with a finite step is off by $h^2$.",
        ),
        Wrong(
            3 * x**2 + 3 * x * h + h**2,
            "That is the forward difference $(f(x + h) - f(x))/h$; the central one steps both ways and divides by $2h$.",
        ),
        Wrong(
            2 * (3 * x**2 + h**2),
            "Divide by the distance between the two points, $2h$, not by $h$.",
        ),
    ]
    return Number(
        prompt=(
            f"Estimate the derivative of $f(x) = x^3$ at $x = {x}$ by the central difference "
            f"$\\big(f(x + h) - f(x - h)\\big)/(2h)$ with $h = {h:g}$. What number does it give "
            "(exactly, without rounding error)?"
        ),
        answer=answer,
        tolerance=1e-4,
        abs_tolerance=1e-6,
        wrong=distinct_wrongs(answer, candidates, tolerance=0.005, abs_tolerance=0.005),
        explanation=(
            f"$(x + h)^3 - (x - h)^3 = 6x^2h + 2h^3$, so the estimate is $3x^2 + h^2 = {3 * x**2} + "
            f"{h**2:g} = {answer:g}$: the error $h^2$ is the $\\tfrac{{h^2}}{{6}}f'''$ term, with $f''' = 6$."
        ),
    )


def error_scaling(rng: np.random.Generator) -> Number:
    k = int(rng.choice([2, 4, 5, 10]))
    forward = bool(rng.integers(0, 2))
    name = "forward" if forward else "central"
    answer = float(k if forward else k**2)
    candidates = [
        Wrong(
            float(k**2 if forward else k),
            "The forward difference's error is proportional to the step, the central one's to its square."
            if forward
            else "That is the forward difference's rate; in the central difference the even Taylor terms cancel and the error falls like the square of the step.",
        ),
        Wrong(
            float(k**3),
            "The truncation error is of order $\\epsilon^2$ for the central difference, $\\epsilon$ for the forward one.",
        ),
        Wrong(
            1 / answer,
            "Dividing the step makes the truncation error smaller, by a factor above one.",
        ),
    ]
    return Number(
        prompt=(
            f"Far from the rounding regime, you divide the step $\\epsilon$ of a {name} difference "
            f"by {k}. By what factor does its truncation error shrink?"
        ),
        answer=answer,
        abs_tolerance=1e-3,
        wrong=candidates,
        explanation=(
            "The forward difference's truncation error is $\\tfrac{\\epsilon}{2}|f''|$, linear in $\\epsilon$."
            if forward
            else "The central difference's truncation error is $\\tfrac{\\epsilon^2}{6}|f'''|$, quadratic in $\\epsilon$."
        ),
    )


_REGIMES = [
    "the truncation error, which grows with $\\epsilon$",
    "the rounding error, which grows as $\\epsilon$ shrinks",
    "neither: the error is the same at every step",
]


def which_error(rng: np.random.Generator) -> Choice:
    small = bool(rng.integers(0, 2))
    steps = (
        ["10^{-10}", "10^{-11}", "10^{-12}"]
        if small
        else ["10^{-1}", "3\\times 10^{-2}", "10^{-2}"]
    )
    eps = steps[int(rng.integers(0, 3))]
    right = 1 if small else 0
    order = rng.permutation(len(_REGIMES))
    position = {int(old): new for new, old in enumerate(order)}
    messages = {
        0: "At such a tiny step the Taylor remainder is negligible ($\\epsilon^2 \\ll 10^{-16}$); the subtraction of nearly equal values of $f$ is what hurts.",
        1: "At such a large step the rounding error $u|f|/\\epsilon$ is below $10^{-13}$; the Taylor remainder $\\epsilon^2|f'''|/6$ dominates.",
        2: "The error changes a lot with $\\epsilon$: it is smallest near $\\epsilon \\approx 10^{-5}$ and grows on both sides.",
    }
    return Choice(
        prompt=(
            f"You estimate $f'(1)$ for $f = \\exp$ in 64-bit floats by a central difference with "
            f"$\\epsilon = {eps}$. Which error dominates?"
        ),
        options=[_REGIMES[int(i)] for i in order],
        answer=position[right],
        wrong=[Wrong(position[k], m) for k, m in messages.items() if k != right],
        explanation=(
            "The total error is about $\\tfrac{\\epsilon^2}{6}|f'''| + u|f|/\\epsilon$: the first term "
            "wins for large steps, the second for tiny ones, and they balance near $\\epsilon \\approx 10^{-5}$."
        ),
    )


def questions():
    return {
        "gradient-by-hand": gradient_by_hand,
        "central-difference-by-hand": central_difference_by_hand,
        "error-scaling": error_scaling,
        "which-error": which_error,
    }
