"""Concept checks of the lesson: the stabilising gains of a scalar system, one step of the
scalar Riccati recursion, and what a larger input cost does."""

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Vector, Wrong


def stabilising_gains(rng: np.random.Generator) -> Vector:
    a = float(rng.choice([1.1, 1.3, 1.5, 1.8, 2.5]))
    return Vector(
        prompt=(
            f"The scalar system $x_{{t+1}} = {a:g}\\,x_t + u_t$ runs under the feedback $u_t = -k x_t$. "
            "For which gains $k$ does $x_t \\to 0$ from every start? Give the two ends of the interval, "
            "smaller first."
        ),
        answer=[a - 1, a + 1],
        wrong=[
            Wrong(
                [1 - a, 1 + a],
                f"The closed loop is $x_{{t+1}} = ({a:g} - k)x_t$: solve $|{a:g} - k| < 1$ for $k$.",
            ),
            Wrong(
                [-1.0, 1.0],
                f"That bounds the closed-loop factor ${a:g} - k$, not the gain $k$ itself.",
            ),
            Wrong(
                [0.0, a],
                f"Stability needs $|{a:g} - k| < 1$, which allows gains beyond ${a:g}$ too (the state then flips sign each step).",
            ),
        ],
        explanation=f"$|{a:g} - k| < 1$ means ${a - 1:g} < k < {a + 1:g}$.",
    )


def riccati_step(rng: np.random.Generator) -> Number:
    a = float(rng.choice([0.5, 1.0, 1.5, 2.0]))
    b = float(rng.choice([0.5, 2.0]))
    r = float(rng.choice([0.5, 1.0, 2.0]))
    p = float(rng.choice([1.0, 2.0, 3.0]))
    answer = b * p * a / (r + b * b * p)
    candidates = [
        (
            b * p / (r + b * b * p),
            "Keep the factor $a$: $k_t = b\\,p_{t+1}\\,a / (r + b^2 p_{t+1})$, since the input acts after $A$ has moved the state.",
        ),
        (b * p * a / (r + b * p), "The denominator has $b^\\top P B = b^2 p_{t+1}$."),
        (
            b * p * a / r,
            "The denominator is $r + b^2 p_{t+1}$: the future cost of the input counts too.",
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
            f"One backward step of the scalar LQR: $x_{{t+1}} = a x_t + b u_t$ with $a = {a:g}$, $b = {b:g}$, "
            f"input cost $r = {r:g}$, and cost-to-go $V_{{t+1}}(x) = p_{{t+1}} x^2$ with $p_{{t+1}} = {p:g}$. "
            "What is the optimal gain $k_t$ in $u_t = -k_t x_t$? (Four decimals.)"
        ),
        answer=answer,
        tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"$k_t = (r + b^2 p_{{t+1}})^{{-1}} b\\,p_{{t+1}}\\,a = {b * p * a:g}/{r + b * b * p:g} \\approx {answer:.4f}$."
        ),
    )


def larger_input_cost(rng: np.random.Generator) -> Choice:
    factor = int(rng.choice([10, 100]))
    options = [
        "The gain shrinks and the state returns to zero more slowly.",
        "The gain grows and the state returns to zero faster.",
        "The gain is unchanged: only the cost's value changes.",
        "The closed loop becomes unstable.",
    ]
    messages = {
        1: "A dearer input makes the optimum use less of it: the gain, and the force it applies, shrink.",
        2: "Only the ratio of the state cost to the input cost matters, and it changed: the minimiser moves.",
        3: "The stationary LQR gain stabilises the system whenever some gain does and $Q \\succ 0$, whatever $R \\succ 0$ is.",
    }
    order = rng.permutation(len(options))
    position = {int(old): new for new, old in enumerate(order)}
    return Choice(
        prompt=(
            f"The cart's LQR problem is solved again with the input cost $R$ multiplied by ${factor}$ "
            "and $Q$ unchanged. What happens to the stationary gain and the trajectory?"
        ),
        options=[options[int(i)] for i in order],
        answer=position[0],
        wrong=[Wrong(position[old], message) for old, message in messages.items()],
        explanation="$K = (R + B^\\top P B)^{-1} B^\\top P A$: a larger $R$ weighs the input more and gives a smaller gain, so the state decays more slowly, but still decays.",
    )


def questions():
    return {
        "stabilising-gains": stabilising_gains,
        "riccati-step": riccati_step,
        "larger-input-cost": larger_input_cost,
    }
