"""Concept checks of the lesson: the output size with padding and stride, a layer's parameter
count, max pooling by hand, and the receptive field of a stack."""

import numpy as np

from apps.sandbox.grading.questions import Matrix, Number, Wrong


def _matrix(a: np.ndarray) -> str:
    rows = " \\\\ ".join(" & ".join(f"{v:g}" for v in row) for row in a)
    return f"\\begin{{pmatrix}} {rows} \\end{{pmatrix}}"


def output_size(rng: np.random.Generator) -> Number:
    while True:
        h = int(rng.integers(9, 40))
        k = int(rng.choice([3, 5, 7]))
        p = int(rng.choice([0, 1, 2]))
        t = int(rng.choice([2, 3]))
        if (h + 2 * p - k) % t != 0:  # a leftover strip: the floor matters
            break
    answer = (h + 2 * p - k) // t + 1
    wrong = [
        Wrong(
            -(-(h + 2 * p - k) // t) + 1,
            "Round down, not up: a leftover strip that cannot hold a whole window is dropped.",
        ),
        Wrong(
            (h + 2 * p - k) // t,
            "Count the first window too: $\\lfloor (H + 2p - k)/t \\rfloor + 1$.",
        ),
        Wrong(
            (h + p - k) // t + 1,
            "Padding adds $p$ rows on *each* side: the padded height is $H + 2p$.",
        ),
        Wrong(
            (h - k) // t + 1,
            "You left out the padding: the kernel slides over the padded map of height $H + 2p$.",
        ),
        Wrong(
            (h + 2 * p - k) + 1,
            "The stride divides the number of positions: only every $t$-th window is computed.",
        ),
    ]
    return Number(
        prompt=(
            f"A map of height $H = {h}$ goes through a convolution with kernel height $k_h = {k}$, "
            f"zero padding $p = {p}$ and stride $t = {t}$. What is the output height?"
        ),
        answer=answer,
        tolerance=0.0,
        abs_tolerance=0.1,
        wrong=wrong,
        explanation=f"$\\lfloor ({h} + 2\\cdot{p} - {k})/{t} \\rfloor + 1 = \\lfloor {(h + 2 * p - k) / t:g} \\rfloor + 1 = {answer}$.",
    )


def layer_parameters(rng: np.random.Generator) -> Number:
    c_in = int(rng.choice([1, 3, 16, 32, 64]))
    c_out = int(rng.choice([8, 16, 32, 64, 128]))
    k = int(rng.choice([1, 3, 5]))
    size = int(rng.choice([28, 32, 64]))
    answer = c_out * c_in * k * k + c_out
    wrong = [
        Wrong(c_out * c_in * k * k, "The biases are missing: one per output channel."),
        Wrong(
            c_out * k * k + c_out,
            "Each output channel has a kernel for *every* input channel: multiply by $C_{\\text{in}}$.",
        ),
        Wrong(
            c_out * c_in * k * k + c_out * size * size,
            "The bias is one number per output channel, shared by every position, not one per pixel.",
        ),
        Wrong(
            c_out * c_in * size * size + c_out,
            "The kernel is $k \\times k$ whatever the image size: weights are shared across positions.",
        ),
    ]
    return Number(
        prompt=(
            f"A convolutional layer maps ${c_in}$ input channels of size ${size} \\times {size}$ to ${c_out}$ "
            f"output channels with ${k} \\times {k}$ kernels and a bias per output channel. How many parameters does it have?"
        ),
        answer=answer,
        tolerance=0.0,
        abs_tolerance=0.1,
        # a count past a million would be shown rounded to six digits: keep those out
        wrong=[w for w in wrong if w.value < 1e6],
        explanation=f"$C_{{\\text{{out}}}} C_{{\\text{{in}}}} k^2 + C_{{\\text{{out}}}} = {c_out}\\cdot{c_in}\\cdot{k * k} + {c_out} = {answer}$, whatever the image size.",
    )


def max_pool_by_hand(rng: np.random.Generator) -> Matrix:
    x = rng.integers(-5, 8, size=(4, 4)).astype(float)
    # one window entirely negative, so a running maximum started at 0 shows
    i, j = (int(v) for v in rng.integers(0, 2, size=2))
    x[2 * i : 2 * i + 2, 2 * j : 2 * j + 2] = -rng.integers(1, 6, size=(2, 2))
    windows = x.reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(2, 2, 4)
    answer = windows.max(axis=-1)
    wrong = [
        Wrong(
            np.maximum(answer, 0.0).tolist(),
            "A window whose entries are all negative has a negative maximum; a running maximum started at 0 reports 0.",
        ),
        Wrong(
            windows.mean(axis=-1).tolist(),
            "That is average pooling; max pooling keeps each window's largest entry.",
        ),
        Wrong(
            answer.T.tolist(),
            "The output is transposed: $Y_{ij}$ summarises the window of rows $2i, 2i+1$ and columns $2j, 2j+1$.",
        ),
    ]
    return Matrix(
        prompt=(
            f"Max-pool $X = {_matrix(x)}$ with window $s = 2$ and stride $t = 2$. "
            "(Type the rows of the result separated by a semicolon.)"
        ),
        answer=answer.tolist(),
        wrong=wrong,
        explanation=f"Each $2 \\times 2$ block gives its largest entry: $Y = {_matrix(answer)}$.",
    )


def receptive_field(rng: np.random.Generator) -> Number:
    layers = int(rng.integers(2, 7))
    k = int(rng.choice([3, 5]))
    answer = layers * (k - 1) + 1
    wrong = [
        Wrong(
            layers * k,
            "Neighbouring layers' windows overlap: each layer adds $k - 1$ pixels, not $k$.",
        ),
        Wrong(
            k**layers,
            "With stride 1 the receptive field grows linearly with depth, not geometrically.",
        ),
        Wrong(layers * (k - 1), "Start from the one pixel a unit sits on: $L(k - 1) + 1$."),
    ]
    return Number(
        prompt=(
            f"{layers} convolutions with ${k} \\times {k}$ kernels and stride 1 are stacked. How wide "
            "(in pixels) is the receptive field of a unit of the last layer?"
        ),
        answer=answer,
        tolerance=0.0,
        abs_tolerance=0.1,
        wrong=wrong,
        explanation=f"Each layer widens the field by $k - 1 = {k - 1}$: ${layers}\\cdot{k - 1} + 1 = {answer}$.",
    )


def questions():
    return {
        "output-size": output_size,
        "layer-parameters": layer_parameters,
        "max-pool-by-hand": max_pool_by_hand,
        "receptive-field": receptive_field,
    }
