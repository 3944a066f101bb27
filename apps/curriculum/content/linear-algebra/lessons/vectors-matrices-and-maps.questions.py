"""Concept checks of the lesson: where a pixel lands when flattened, a layer by hand, the
order of a composition, and the factor by which a map multiplies areas."""

import numpy as np

from apps.sandbox.grading.questions import Matrix, Number, Vector, Wrong


def _tex(M: np.ndarray) -> str:
    rows = " \\\\ ".join(" & ".join(f"{v:g}" for v in row) for row in np.atleast_2d(M))
    return f"\\begin{{pmatrix}} {rows} \\end{{pmatrix}}"


def _vec(x: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:g}" for v in x) + ")"


def flatten_position(rng: np.random.Generator) -> Number:
    h, w = (int(v) for v in rng.choice([3, 4, 5, 6, 7, 8], size=2, replace=False))
    r, c = int(rng.integers(1, h)), int(rng.integers(1, w))
    answer = r * w + c
    wrong = [
        Wrong(
            c * h + r,
            "That is the column-major (Fortran) position: it reads the image column by column. NumPy's `reshape` reads row by row.",
        ),
        Wrong(
            r * h + c,
            "A row holds $w$ pixels (the width), not $h$: skip $r$ full rows of length $w$.",
        ),
        Wrong(
            (r + 1) * w + (c + 1),
            "Counting from one? Rows, columns and positions are counted from zero here.",
        ),
    ]
    return Number(
        prompt=(
            f"A grayscale image has height $h = {h}$ and width $w = {w}$. It is flattened in "
            f"row-major order, as `image.reshape(-1)` does. At which position (counting from 0) "
            f"does the pixel in row $r = {r}$, column $c = {c}$ land?"
        ),
        answer=answer,
        abs_tolerance=0.01,
        wrong=wrong,
        explanation=f"Row-major order skips $r$ full rows of $w$ pixels: $r w + c = {r}\\cdot{w} + {c} = {answer}$.",
    )


def layer_by_hand(rng: np.random.Generator) -> Vector:
    while True:
        W = rng.integers(-2, 3, size=(3, 3)).astype(float)
        x = rng.integers(-2, 3, size=3).astype(float)
        b = rng.integers(-2, 3, size=3).astype(float)
        z = W @ x + b
        # One unit clipped and one not, so the ReLU and the bias both show.
        if (z < 0).any() and (z > 0).any() and np.any(b != 0) and not np.allclose(W, W.T):
            break
    answer = np.maximum(z, 0)
    wrong = [
        Wrong(
            z,
            "That is the pre-activation $W\\mathbf{x} + \\mathbf{b}$: the ReLU still has to clip the negative entries to 0.",
        ),
        Wrong(np.maximum(W @ x, 0), "The bias $\\mathbf{b}$ is missing: add it before the ReLU."),
        Wrong(
            np.maximum(W.T @ x + b, 0),
            "That uses the columns of $W$ as the units' weights ($W^\\top\\mathbf{x}$): entry $i$ is row $i$ of $W$ times $\\mathbf{x}$.",
        ),
        Wrong(
            np.maximum(W @ x, 0) + b,
            "The bias goes inside the ReLU: $\\mathrm{ReLU}(W\\mathbf{x} + \\mathbf{b})$, not $\\mathrm{ReLU}(W\\mathbf{x}) + \\mathbf{b}$.",
        ),
    ]
    return Vector(
        prompt=(
            f"Compute the layer $\\mathbf{{h}} = \\mathrm{{ReLU}}(W\\mathbf{{x}} + \\mathbf{{b}})$ for "
            f"$W = {_tex(W)}$, $\\mathbf{{x}} = {_vec(x)}$ and $\\mathbf{{b}} = {_vec(b)}$."
        ),
        answer=answer.tolist(),
        wrong=wrong,
        explanation=(
            f"$W\\mathbf{{x}} = {_vec(W @ x)}$; adding $\\mathbf{{b}}$ gives ${_vec(z)}$, and the "
            f"ReLU clips the negative entries: ${_vec(answer)}$."
        ),
    )


def composition(rng: np.random.Generator) -> Matrix:
    while True:
        A = rng.integers(-2, 3, size=(2, 2)).astype(float)
        B = rng.integers(-2, 3, size=(2, 2)).astype(float)
        if not np.allclose(A @ B, B @ A) and np.count_nonzero(A @ B) >= 3:
            break
    answer = A @ B
    wrong = [
        Wrong(
            B @ A,
            "That is $BA$: apply $A$ first, then $B$. The map applied first stands on the right.",
        ),
        Wrong(
            A * B,
            "That multiplies entry by entry; composing maps is the matrix product, rows of $A$ times columns of $B$.",
        ),
        Wrong(
            (A @ B).T,
            "That is the transpose of the product: entry $(i, j)$ is row $i$ of $A$ times column $j$ of $B$.",
        ),
    ]
    return Matrix(
        prompt=(
            f"Let $A = {_tex(A)}$ and $B = {_tex(B)}$. Which matrix applies $B$ first and then "
            "$A$ (the map $\\mathbf{x} \\mapsto A(B\\mathbf{x})$)? Type it by rows."
        ),
        answer=answer.tolist(),
        wrong=wrong,
        explanation=f"$A(B\\mathbf{{x}}) = (AB)\\mathbf{{x}}$, and $AB = {_tex(answer)}$.",
    )


def area_factor(rng: np.random.Generator) -> Number:
    while True:
        A = rng.integers(-3, 4, size=(2, 2)).astype(float)
        det = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
        if det != 0 and A[0, 1] * A[1, 0] != 0:
            break
    answer = abs(det)
    wrong = [
        Wrong(
            det,
            "That is the determinant with its sign; a negative determinant means the map flips orientation, but areas are never negative.",
        ),
        Wrong(
            abs(A[0, 0] * A[1, 1]),
            "The product of the diagonal alone is the determinant of a triangular matrix only: subtract the product of the off-diagonal entries.",
        ),
        Wrong(
            abs(A[0, 0] * A[1, 1] + A[0, 1] * A[1, 0]),
            "Mind the sign in $\\det A = a_{11}a_{22} - a_{12}a_{21}$.",
        ),
        Wrong(
            abs(det) * np.pi,
            "That is the area of the ellipse $A$ makes of the unit circle; the question asks for the factor, by which every area is multiplied.",
        ),
    ]
    return Number(
        prompt=(
            f"By what factor does $A = {_tex(A)}$ multiply areas in the plane? (The area of the "
            "image of a shape divided by the area of the shape.)"
        ),
        answer=answer,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"$|\\det A| = |{A[0, 0]:g}\\cdot{A[1, 1]:g} - ({A[0, 1]:g})({A[1, 0]:g})| = {answer:g}$."
        ),
    )


def questions():
    return {
        "flatten-position": flatten_position,
        "layer-by-hand": layer_by_hand,
        "composition-order": composition,
        "area-factor": area_factor,
    }
