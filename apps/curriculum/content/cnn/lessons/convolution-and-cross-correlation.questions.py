"""Concept checks of the lesson: the valid output shape, a cross-correlation by hand (and the
flip it does not do), and what a Sobel kernel reads off a ramp."""

import numpy as np

from apps.sandbox.grading.questions import Matrix, Number, Vector, Wrong


def _matrix(a: np.ndarray) -> str:
    rows = " \\\\ ".join(" & ".join(f"{v:g}" for v in row) for row in a)
    return f"\\begin{{pmatrix}} {rows} \\end{{pmatrix}}"


def _correlate(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    kh, kw = k.shape
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for u in range(kh):
        for v in range(kw):
            out += k[u, v] * x[u : u + out.shape[0], v : v + out.shape[1]]
    return out


def valid_shape(rng: np.random.Generator) -> Vector:
    h, w = (int(v) for v in rng.choice([28, 32, 48, 64, 100, 224], size=2, replace=False))
    kh, kw = (int(v) for v in rng.choice([2, 3, 5, 7], size=2))
    answer = [h - kh + 1, w - kw + 1]
    wrong = [
        Wrong(
            [h - kh, w - kw],
            "One short: the kernel fits at positions $0, \\dots, H - k_h$, which is $H - k_h + 1$ positions.",
        ),
        Wrong(
            [h, w],
            "A valid cross-correlation uses only positions where the kernel lies inside the image, so the output shrinks.",
        ),
        Wrong(
            [h + kh - 1, w + kw - 1],
            "That is the size of the *full* convolution, with zero padding all around.",
        ),
    ]
    return Vector(
        prompt=(
            f"A ${h} \\times {w}$ image is cross-correlated (valid) with a ${kh} \\times {kw}$ kernel. "
            "What is the shape of the output? (Two numbers: rows, columns.)"
        ),
        answer=answer,
        tolerance=0.0,
        abs_tolerance=0.1,
        wrong=wrong,
        explanation=f"$({h} - {kh} + 1) \\times ({w} - {kw} + 1) = {answer[0]} \\times {answer[1]}$.",
    )


def correlate_by_hand(rng: np.random.Generator) -> Matrix:
    while True:
        x = rng.integers(0, 4, size=(3, 3)).astype(float)
        k = rng.integers(-1, 2, size=(2, 2)).astype(float)
        answer = _correlate(x, k)
        flipped = _correlate(x, k[::-1, ::-1])
        if not np.allclose(answer, flipped) and np.count_nonzero(k) >= 2:
            break
    wrong = [
        Wrong(
            flipped.tolist(),
            "That is the true convolution, with the kernel rotated by 180°; deep learning's conv2d does not flip it.",
        ),
        Wrong(
            _correlate(x, k.T).tolist(),
            "You used the transposed kernel: $K_{uv}$ multiplies $X_{i+u,\\,j+v}$, row offset $u$ first.",
        ),
    ]
    return Matrix(
        prompt=(
            f"Compute the valid cross-correlation $Y = X \\star K$ of $X = {_matrix(x)}$ with "
            f"$K = {_matrix(k)}$. (Type the rows separated by a semicolon.)"
        ),
        answer=answer.tolist(),
        wrong=wrong,
        explanation=(
            f"$Y_{{ij}} = \\sum_{{u,v}} X_{{i+u,\\,j+v}} K_{{uv}}$, the inner product of $K$ with the patch whose "
            f"top-left corner is $(i, j)$: $Y = {_matrix(answer)}$."
        ),
    )


def sobel_on_a_ramp(rng: np.random.Generator) -> Number:
    slope = int(rng.choice([-3, -2, -1, 1, 2, 3]))
    offset = int(rng.integers(0, 10))
    answer = 8.0 * slope
    wrong = [
        Wrong(
            2.0 * slope,
            "That is the central difference of one row, $X_{i,j+2} - X_{ij}$; the Sobel kernel weighs three rows by 1, 2, 1.",
        ),
        Wrong(
            -8.0 * slope,
            "Mind the sign: $S_x$ is positive where the image gets brighter from left to right.",
        ),
        Wrong(
            4.0 * slope,
            "Each row's difference spans two columns: $X_{i,j+2} - X_{ij} = 2 \\times$ the slope.",
        ),
    ]
    return Number(
        prompt=(
            f"An image is a ramp, $X_{{ij}} = {slope}\\,j + {offset}$ (column $j$). What value does the valid "
            "cross-correlation with the Sobel kernel $S_x = \\begin{pmatrix} -1 & 0 & 1 \\\\ -2 & 0 & 2 \\\\ -1 & 0 & 1 \\end{pmatrix}$ "
            "take at every position?"
        ),
        answer=answer,
        wrong=wrong,
        explanation=(
            f"Each row contributes its weight times $X_{{i,j+2}} - X_{{ij}} = 2 \\cdot {slope}$; the weights $1 + 2 + 1 = 4$ give "
            f"$8 \\cdot {slope} = {answer:g}$, and the offset {offset} cancels since $S_x$ sums to 0."
        ),
    )


def questions():
    return {
        "valid-shape": valid_shape,
        "correlate-by-hand": correlate_by_hand,
        "sobel-on-a-ramp": sobel_on_a_ramp,
    }
