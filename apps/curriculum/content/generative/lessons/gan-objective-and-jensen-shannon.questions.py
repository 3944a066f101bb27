"""Concept checks of the lesson: the optimal discriminator, the value against it as a JS
divergence, and how much stronger the non-saturating gradient is."""

import numpy as np

from apps.sandbox.grading.questions import Number, Vector, Wrong, distinct_wrongs

COMPOSITIONS = [
    c for c in ((a, b, 10 - a - b) for a in range(1, 9) for b in range(1, 9)) if c[2] >= 1
]


def _distribution(rng: np.random.Generator) -> np.ndarray:
    return np.array(COMPOSITIONS[int(rng.integers(len(COMPOSITIONS)))], dtype=float) / 10


def _vec(x: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:g}" for v in x) + ")"


def optimal_discriminator(rng: np.random.Generator) -> Vector:
    p_data = _distribution(rng)
    while True:
        p_g = _distribution(rng)
        if not np.allclose(p_g, p_data):
            break
    answer = p_data / (p_data + p_g)
    wrong = [
        Wrong(
            (p_g / (p_data + p_g)).tolist(),
            "That is $1 - D^*$, the probability of *fake*: $D$ reports the probability that $x$ is real, $p_{\\text{data}}/(p_{\\text{data}} + p_g)$.",
        ),
        Wrong(
            [0.5, 0.5, 0.5],
            "$D^* \\equiv 1/2$ only when $p_g = p_{\\text{data}}$; here they differ.",
        ),
        Wrong(
            p_data.tolist(),
            "$D^*$ compares the two densities at each point: divide $p_{\\text{data}}$ by $p_{\\text{data}} + p_g$.",
        ),
    ]
    return Vector(
        prompt=(
            f"On three outcomes, $p_{{\\text{{data}}}} = {_vec(p_data)}$ and the generator's "
            f"$p_g = {_vec(p_g)}$. What is the optimal discriminator $D^*$ on each outcome, to three "
            "decimals?"
        ),
        answer=answer.tolist(),
        tolerance=5e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            "Pointwise, $a\\log y + b\\log(1 - y)$ is largest at $y = a/(a + b)$: "
            f"$D^* = {_vec(np.round(answer, 3))}$."
        ),
    )


def value_at_optimum(rng: np.random.Generator) -> Number:
    a = float(rng.choice([0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9]))
    js = a * np.log(2)
    answer = 2 * js - np.log(4)
    wrong = [
        Wrong(js, "That is $\\mathrm{JS}$ itself; the value is $2\\,\\mathrm{JS} - \\log 4$."),
        Wrong(2 * js, "Subtract $\\log 4$: $V(D^*, G) = 2\\,\\mathrm{JS} - \\log 4$."),
        Wrong(
            2 * a - 2,
            "That is the value in bits ($\\log_2$); the lesson's logarithms are natural, in nats.",
        ),
        Wrong(
            -np.log(4),
            "$-\\log 4$ is the value only at $p_g = p_{\\text{data}}$; here the distributions differ.",
        ),
    ]
    return Number(
        prompt=(
            f"$p_{{\\text{{data}}}} = ({a:g}, {1 - a:g}, 0)$ and $p_g = (0, {1 - a:g}, {a:g})$ on three "
            "outcomes. What is the value $V(D^*, G)$ against the optimal discriminator, in nats, "
            "to three decimals?"
        ),
        answer=answer,
        tolerance=2e-3,
        abs_tolerance=1e-3,
        wrong=distinct_wrongs(answer, wrong, tolerance=0.008, abs_tolerance=0.003),
        explanation=(
            f"Outcome 2 is shared and contributes nothing to JS; outcomes 1 and 3 each give "
            f"${a:g}\\log 2$ to one KL, so $\\mathrm{{JS}} = {a:g}\\log 2$ and "
            f"$V = 2({js:.3f}) - \\log 4 = {answer:.3f}$."
        ),
    )


def gradient_ratio(rng: np.random.Generator) -> Number:
    d = float(rng.choice([0.01, 0.02, 0.05, 0.1, 0.2, 0.25]))
    answer = (1 - d) / d
    wrong = [
        Wrong(
            d / (1 - d),
            "That is the ratio the other way round: the non-saturating derivative, $1 - D$, is the larger one when $D$ is small.",
        ),
        Wrong(1.0, "The two derivatives are equal only at $D = 1/2$."),
        Wrong(
            float(np.log(d) / np.log(1 - d)),
            "That is the ratio of the losses themselves; the question compares their derivatives with respect to the logit, $-(1 - D)$ and $-D$.",
        ),
    ]
    return Number(
        prompt=(
            f"The discriminator gives a generated sample $D(G(\\mathbf{{z}})) = {d:g}$. How many times "
            "larger is the derivative of the non-saturating loss $-\\log D$ with respect to the "
            "logit than that of the minimax loss $\\log(1 - D)$, in absolute value?"
        ),
        answer=answer,
        wrong=wrong,
        explanation=f"$|dL_{{\\text{{ns}}}}/d\\ell| / |dL_{{\\text{{mm}}}}/d\\ell| = (1 - D)/D = {1 - d:g}/{d:g} = {answer:g}$.",
    )


def questions():
    return {
        "optimal-discriminator": optimal_discriminator,
        "value-at-optimum": value_at_optimum,
        "gradient-ratio": gradient_ratio,
    }
