"""Concept checks of the lesson: how a change of the recurrent weight is raised to the sequence
length, transient growth of a non-normal matrix, and what a spectral norm does and does not
guarantee."""

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Wrong


def weight_ratio(rng: np.random.Generator) -> Number:
    low, high = [(0.8, 1.2), (0.9, 1.1), (0.95, 1.05), (0.9, 1.2), (0.5, 1.0)][int(rng.integers(5))]
    T = int(rng.choice([10, 20, 30, 40]))
    answer = (high / low) ** T
    return Number(
        prompt=(
            f"In the scalar linear RNN $h_t = w h_{{t-1}} + x_t$, the weight is raised from $w = {low:g}$ "
            f"to $w = {high:g}$. By what factor does $\\partial h_{{{T}}} / \\partial h_0$ grow? "
            "(Three significant digits.)"
        ),
        answer=answer,
        tolerance=2e-3,
        wrong=[
            Wrong(
                (high / low) * T,
                f"The ratio of the weights is raised to the power ${T}$, not multiplied by it: $\\partial h_T / \\partial h_0 = w^T$.",
            ),
            Wrong(
                high**T - low**T,
                "That is the difference of the two derivatives; the question asks for their ratio.",
            ),
            Wrong(
                1 + (high - low) * T,
                "Growth through time is geometric, not linear: the factor is $(w'/w)^T$.",
            ),
        ],
        explanation=f"$\\partial h_T/\\partial h_0 = w^T$, so the factor is $({high:g}/{low:g})^{{{T}}} \\approx {answer:.3g}$.",
    )


def transient_growth(rng: np.random.Generator) -> Number:
    c = float(rng.choice([0.5, 0.8, 0.9]))
    m = int(rng.choice([2, 3, 4, 5]))
    t = int(rng.choice([3, 4, 5, 6]))
    answer = c**t * m * t
    return Number(
        prompt=(
            f"Let $W = {c:g}\\begin{{pmatrix}} 1 & {m} \\\\ 0 & 1 \\end{{pmatrix}}$, whose two eigenvalues "
            f"are both ${c:g}$. What is the top-right entry of $W^{{{t}}}$? (Four significant digits.)"
        ),
        answer=answer,
        tolerance=2e-3,
        wrong=[
            Wrong(
                c**t * m,
                f"Each multiplication by $\\begin{{pmatrix}} 1 & {m} \\\\ 0 & 1 \\end{{pmatrix}}$ adds another ${m}$ to the corner: after $t$ steps it is ${m}t$.",
            ),
            Wrong(
                c**t * m**t,
                "Matrix powers are not entrywise powers: the corner of the shear grows like $mt$, not $m^t$.",
            ),
            Wrong(
                float(m * t),
                f"Keep the factor ${c:g}^{{{t}}}$: $W^t = {c:g}^t \\begin{{pmatrix}} 1 & {m}t \\\\ 0 & 1 \\end{{pmatrix}}$.",
            ),
        ],
        explanation=(
            f"$W^t = {c:g}^t \\begin{{pmatrix}} 1 & {m}t \\\\ 0 & 1 \\end{{pmatrix}}$, so the corner is "
            f"${c:g}^{{{t}}} \\cdot {m} \\cdot {t} \\approx {answer:.4g}$: larger than the eigenvalues suggest."
        ),
    )


def what_the_norm_guarantees(rng: np.random.Generator) -> Choice:
    small = bool(rng.random() < 0.5)
    s = float(rng.choice([0.6, 0.8, 0.9])) if small else float(rng.choice([1.5, 2.0, 3.0]))
    options = [
        "It must vanish geometrically as T grows.",
        "It must explode geometrically as T grows.",
        "Either can happen: saturated units can make it vanish, unsaturated ones let it grow.",
        "It keeps its size, because tanh is bounded.",
    ]
    correct = 0 if small else 2
    messages = {
        1: "The tanh derivatives are at most 1, so they can only shrink the Jacobians: nothing forces growth.",
        3: "A bounded activation bounds the states, not their derivatives with respect to earlier states.",
    }
    if small:
        messages[2] = (
            f"With $\\|W_h\\|_2 = {s:g} < 1$ the bound $\\|W_h\\|_2^T$ goes to zero, so the product must vanish."
        )
    else:
        messages[0] = (
            f"The bound $\\|W_h\\|_2^T$ only forces vanishing when $\\|W_h\\|_2 < 1$; with ${s:g}$ it grows, and then the states decide."
        )
    order = rng.permutation(len(options))
    position = {int(old): new for new, old in enumerate(order)}
    return Choice(
        prompt=(
            f"A tanh RNN has recurrent weights with spectral norm $\\|W_h\\|_2 = {s:g}$. What can you "
            "say about $\\|\\partial \\mathbf{h}_T / \\partial \\mathbf{h}_0\\|_2$ for long sequences?"
        ),
        options=[options[int(i)] for i in order],
        answer=position[correct],
        wrong=[Wrong(position[old], message) for old, message in messages.items()],
        explanation=(
            "Each $D_t$ has entries in $(0, 1]$, so $\\|\\partial \\mathbf{h}_T/\\partial \\mathbf{h}_0\\|_2 \\le \\|W_h\\|_2^T$: "
            "an upper bound, which forces vanishing below 1 and says nothing above it."
        ),
    )


def questions():
    return {
        "weight-ratio": weight_ratio,
        "transient-growth": transient_growth,
        "what-the-norm-guarantees": what_the_norm_guarantees,
    }
