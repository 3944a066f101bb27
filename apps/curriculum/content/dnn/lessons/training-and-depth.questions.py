"""Concept checks of the lesson: the loss before training, a row of the cross-entropy
gradient, how fast sigmoid layers shrink a gradient, and He initialisation's variance."""

import numpy as np

from apps.sandbox.grading.questions import Number, Vector, Wrong


def loss_at_zero_weights(rng: np.random.Generator) -> Number:
    k = int(rng.choice([3, 4, 5, 10, 100, 1000]))
    answer = float(np.log(k))
    wrong = [
        Wrong(
            float(np.log2(k)),
            "That is in bits ($\\log_2$); the loss uses the natural logarithm, in nats.",
        ),
        Wrong(1 / k, "$1/K$ is the probability each class gets; the loss is minus its logarithm."),
        Wrong(float(np.log10(k)), "That is $\\log_{10} K$; the loss uses the natural logarithm."),
        Wrong(
            float(np.log(2)),
            "$\\log 2$ is the answer for two classes; with $K$ classes each gets $1/K$.",
        ),
    ]
    return Number(
        prompt=(
            f"A classifier with {k} classes starts with all weights and biases zero, so every logit is 0. "
            "What is its mean cross-entropy loss, in nats, whatever the labels? (Three decimals.)"
        ),
        answer=answer,
        tolerance=1e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=f"Every class gets probability $1/{k}$, so the loss is $-\\log(1/{k}) = \\log {k} \\approx {answer:.3f}$ nats.",
    )


def gradient_row(rng: np.random.Generator) -> Vector:
    z = rng.choice(np.arange(-1, 3), size=3, replace=False).astype(float)
    label = int(rng.integers(0, 3))
    n = int(rng.choice([1, 2, 4]))
    p = np.exp(z - z.max())
    p /= p.sum()
    onehot = np.eye(3)[label]
    answer = (p - onehot) / n
    wrong = [
        Wrong(
            ((onehot - p) / n).tolist(),
            "Mind the sign: the gradient is $(P - Y)/N$; a descent step then raises the correct logit.",
        ),
        Wrong((p / n).tolist(), "You left out the one-hot label: subtract 1 at the correct class."),
    ]
    if n > 1:
        wrong.append(
            Wrong((p - onehot).tolist(), f"The loss is a mean over the batch: divide by $N = {n}$.")
        )
    return Vector(
        prompt=(
            f"One row of a batch of $N = {n}$ has logits $({', '.join(f'{v:g}' for v in z)})$ and label {label} "
            "(classes numbered from 0). What is that row of $\\partial L/\\partial Z$ for the mean cross-entropy? "
            "(Three numbers, three decimals.)"
        ),
        answer=answer.tolist(),
        tolerance=5e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"The softmax is $({', '.join(f'{v:.3f}' for v in p)})$; subtract 1 at class {label} and divide by {n}: "
            f"$({', '.join(f'{v:.3f}' for v in answer)})$, which sums to 0."
        ),
    )


def sigmoid_shrinkage(rng: np.random.Generator) -> Number:
    layers = int(rng.integers(4, 11))
    answer = 0.25 ** (layers - 1)
    wrong = [
        Wrong(
            0.25**layers,
            f"Count the factors: from layer {layers} down to layer 1 the signal crosses {layers - 1} activation derivatives.",
        ),
        Wrong(
            0.5 ** (layers - 1),
            "$\\sigma'(0) = \\sigma(0)(1 - \\sigma(0)) = \\tfrac14$, not $\\tfrac12$.",
        ),
        Wrong(
            (layers - 1) / 4,
            "The factors multiply, they do not add: the bound shrinks geometrically.",
        ),
    ]
    return Number(
        prompt=(
            f"A network has {layers} sigmoid layers, and its weight matrices preserve the size of the signal. "
            f"At best, by what factor is the error signal multiplied between layer {layers} and layer 1 "
            "by the activation derivatives? (Four significant digits, or a power.)"
        ),
        answer=answer,
        tolerance=1e-3,
        abs_tolerance=1e-15,
        wrong=wrong,
        explanation=f"$\\sigma' \\le \\tfrac14$, once per layer crossed: $(1/4)^{{{layers - 1}}} \\approx {answer:.4g}$.",
    )


def he_variance(rng: np.random.Generator) -> Number:
    fan_in = int(rng.choice([64, 100, 128, 256, 400, 512]))
    answer = 2 / fan_in
    wrong = [
        Wrong(
            1 / fan_in,
            "$1/d$ keeps a linear (or tanh near 0) layer's variance; ReLU zeroes half the mass, so it needs twice that.",
        ),
        Wrong(
            np.sqrt(2 / fan_in),
            "That is the standard deviation; the question asks for the variance.",
        ),
        Wrong(2 * fan_in, "The variance shrinks with the fan-in: $d\\,v/2 = 1$ gives $v = 2/d$."),
        Wrong(
            1 / (2 * fan_in),
            "The half of the mass that ReLU cuts off must be made up, not halved again: $v = 2/d$.",
        ),
    ]
    return Number(
        prompt=(
            f"A ReLU layer has fan-in $d_{{\\ell-1}} = {fan_in}$. With He initialisation, what variance "
            "should its weights have? (Four significant digits, or a fraction.)"
        ),
        answer=answer,
        tolerance=1e-3,
        abs_tolerance=1e-9,
        wrong=wrong,
        explanation=f"Keeping $\\mathrm{{Var}}[z]$ constant needs $d\\,v/2 = 1$: $v = 2/{fan_in} = {answer:.4g}$.",
    )


def questions():
    return {
        "loss-at-zero-weights": loss_at_zero_weights,
        "gradient-row": gradient_row,
        "sigmoid-shrinkage": sigmoid_shrinkage,
        "he-variance": he_variance,
    }
