"""Concept checks of the lesson: the mixed equilibrium and the value of a 2 x 2 zero-sum game,
and how far extragradient gets on the bilinear game."""

import numpy as np

from apps.sandbox.grading.questions import Number, Vector, Wrong


def _game(rng: np.random.Generator) -> tuple[int, int, int, int]:
    """a, d > 0 > b, c with b != c: no saddle point, and p1 != q1."""
    a, d = (int(v) for v in rng.integers(1, 5, size=2))
    b, c = (int(v) for v in rng.choice([-3, -2, -1], size=2, replace=False))
    return a, b, c, d


def _tex(a: int, b: int, c: int, d: int) -> str:
    return f"\\begin{{pmatrix}} {a} & {b} \\\\ {c} & {d} \\end{{pmatrix}}"


def mixed_equilibrium(rng: np.random.Generator) -> Vector:
    a, b, c, d = _game(rng)
    s = a - b - c + d
    p1, q1 = (d - c) / s, (d - b) / s
    answer = [p1, q1]
    wrong = [
        Wrong(
            [q1, p1],
            "Those are swapped: the row player's mix makes the *column* player indifferent, $p_1 = (d - c)/s$.",
        ),
        Wrong(
            [1 - p1, 1 - q1], "Those are the probabilities of the second row and the second column."
        ),
        Wrong(
            [0.5, 0.5],
            "Half and half is the equilibrium of matching pennies only; here the payoffs are not symmetric.",
        ),
    ]
    return Vector(
        prompt=(
            f"In the zero-sum game $A = {_tex(a, b, c, d)}$ (the row player receives $A_{{ij}}$), "
            "what are the equilibrium probabilities $p_1$ of the first row and $q_1$ of the first "
            "column? (Two numbers, to three decimals.)"
        ),
        answer=answer,
        tolerance=5e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"No saddle point; with $s = a - b - c + d = {s}$, $p_1 = (d - c)/s = {d - c}/{s}$ and "
            f"$q_1 = (d - b)/s = {d - b}/{s}$."
        ),
    )


def game_value(rng: np.random.Generator) -> Number:
    a, b, c, d = _game(rng)
    s = a - b - c + d
    answer = (a * d - b * c) / s
    wrong = [
        Wrong(float(a * d - b * c), f"Divide by $s = a - b - c + d = {s}$: $v = (ad - bc)/s$."),
        Wrong(
            (a + b + c + d) / 4,
            "That is the payoff when both players mix half and half, which is not the equilibrium here.",
        ),
        Wrong(
            float(max(min(a, b), min(c, d))),
            "That is the best the row player can guarantee with a *pure* strategy; mixing does better.",
        ),
    ]
    return Number(
        prompt=(
            f"What is the value $v$ of the zero-sum game $A = {_tex(a, b, c, d)}$, to three decimals?"
        ),
        answer=answer,
        tolerance=2e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=f"$v = (ad - bc)/(a - b - c + d) = ({a * d} - ({b * c}))/{s} = {answer:.3f}$.",
    )


def extragradient_distance(rng: np.random.Generator) -> Number:
    lr = float(rng.choice([0.1, 0.2, 0.3, 0.5]))
    steps = int(rng.choice([10, 20, 50]))
    factor = 1 - lr**2 + lr**4
    answer = factor ** (steps / 2)
    wrong = [
        Wrong(
            (1 + lr**2) ** (steps / 2),
            "That is simultaneous gradient descent-ascent, which spirals *out* by $\\sqrt{1 + \\eta^2}$ per step.",
        ),
        Wrong(
            factor**steps,
            "The modulus is the square root, $\\sqrt{1 - \\eta^2 + \\eta^4}$ per step: you squared the distance.",
        ),
        Wrong(
            1.0,
            "Alternating updates stay on a closed orbit; extragradient shrinks the distance every step.",
        ),
    ]
    return Number(
        prompt=(
            f"Extragradient with step size $\\eta = {lr:g}$ on $\\min_x \\max_y xy$ starts at "
            f"$(1, 0)$. What is its distance to the equilibrium $(0, 0)$ after {steps} steps? "
            "(Three significant digits.)"
        ),
        answer=answer,
        tolerance=3e-3,
        wrong=wrong,
        explanation=(
            f"The update is a rotation scaled by $\\sqrt{{1 - \\eta^2 + \\eta^4}} = {np.sqrt(factor):.4f}$; "
            f"after {steps} steps the distance is ${np.sqrt(factor):.4f}^{{{steps}}} \\approx {answer:.4g}$."
        ),
    )


def questions():
    return {
        "mixed-equilibrium": mixed_equilibrium,
        "game-value": game_value,
        "extragradient-distance": extragradient_distance,
    }
