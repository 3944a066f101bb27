"""Concept checks of the lesson: a circular convolution by hand (and the wrap-around that makes
it differ from the linear one), the padding an FFT convolution needs, and a kernel's gain at the
fastest frequency."""

import numpy as np

from apps.sandbox.grading.questions import Number, Vector, Wrong


def _vec(v: np.ndarray) -> str:
    return "(" + ", ".join(f"{x:g}" for x in v) + ")"


def circular_by_hand(rng: np.random.Generator) -> Vector:
    while True:
        x = rng.integers(-2, 4, size=3).astype(float)
        y = np.array([float(rng.choice([1, 2, -1])), float(rng.choice([1, -1, 3])), 0.0])
        n = 3
        answer = np.array([sum(x[j] * y[(m - j) % n] for j in range(n)) for m in range(n)])
        linear = np.convolve(x, y[:2])[:3]
        correlation = np.array([sum(x[(m + j) % n] * y[j] for j in range(n)) for m in range(n)])
        if not np.allclose(answer, linear) and x[2] != 0:
            break
    wrong = [
        Wrong(
            linear.tolist(),
            "That is the linear convolution cut to three entries: in the circular one, the fourth entry wraps around and is added to the first.",
        ),
        Wrong(
            correlation.tolist(),
            "That is the circular cross-correlation, $\\sum_j x_{(m+j) \\bmod n}\\, y_j$; convolution runs the kernel index backwards, $y_{(m-j) \\bmod n}$.",
        ),
    ]
    return Vector(
        prompt=(
            f"Compute the circular convolution $\\mathbf{{x}} \\circledast \\mathbf{{y}}$ of $\\mathbf{{x}} = {_vec(x)}$ "
            f"and $\\mathbf{{y}} = {_vec(y)}$ (length 3). (Three numbers.)"
        ),
        answer=answer.tolist(),
        wrong=wrong,
        explanation=(
            f"$(\\mathbf{{x}} \\circledast \\mathbf{{y}})_m = \\sum_j x_j\\, y_{{(m - j) \\bmod 3}}$ gives {_vec(answer)}: "
            f"the linear result {_vec(np.convolve(x, y[:2]))} with its last entry added to the first."
        ),
    )


def padded_shape(rng: np.random.Generator) -> Vector:
    h, w = (int(v) for v in rng.choice([16, 28, 32, 50, 64, 100], size=2, replace=False))
    kh, kw = (int(v) for v in rng.choice([3, 5, 7, 9, 11], size=2, replace=False))
    answer = [h + kh - 1, w + kw - 1]
    wrong = [
        Wrong(
            [h, w],
            "At the image's own size the product of spectra is a *circular* convolution: the border wraps around.",
        ),
        Wrong(
            [h + kh, w + kw],
            "One too many: the full convolution has $H + k_h - 1$ rows; that is the smallest padding with no wrap-around.",
        ),
        Wrong(
            [h - kh + 1, w - kw + 1],
            "That is the *valid* output size; the FFT must first hold the full result without wrap-around.",
        ),
        Wrong(
            [h + 2 * kh - 2, w + 2 * kw - 2],
            "That is the image padded by $k - 1$ on both sides; the padding needed is $k - 1$ in all, not per side.",
        ),
    ]
    return Vector(
        prompt=(
            f"To get the full linear convolution of a ${h} \\times {w}$ image with a ${kh} \\times {kw}$ kernel "
            "from fft2, pointwise product and ifft2, to what shape must both be zero-padded, at least? (Two numbers.)"
        ),
        answer=answer,
        tolerance=0.0,
        abs_tolerance=0.1,
        wrong=wrong,
        explanation=f"The full convolution has shape $(H + k_h - 1) \\times (W + k_w - 1) = {answer[0]} \\times {answer[1]}$; padding to it leaves nothing to wrap.",
    )


def gain_at_the_fastest_frequency(rng: np.random.Generator) -> Number:
    while True:
        k = rng.integers(-2, 3, size=3).astype(float)
        alternating = float(k[0] - k[1] + k[2])
        if alternating != k.sum() and np.count_nonzero(k) >= 2:
            break
    wrong = [
        Wrong(
            float(k.sum()),
            "That is the gain at frequency 0 (a constant signal): $\\hat K_0 = \\sum_m k_m$. At $f = 1/2$ each tap is weighted by $(-1)^m$.",
        ),
        Wrong(
            float(np.abs(k).sum()),
            "Summing the absolute values ignores the signs $e^{-\\pi \\mathrm{i} m} = (-1)^m$ that the DFT attaches to each tap.",
        ),
    ]
    if alternating != 0:
        wrong.append(
            Wrong(
                -alternating,
                "Mind the sign: the weight of tap $m$ is $(-1)^m$, which is $+1$ for $m = 0$.",
            )
        )
    return Number(
        prompt=(
            f"A kernel $\\mathbf{{k}} = {_vec(k)}$ (taps $m = 0, 1, 2$) is zero-padded to an even length $n$. "
            "What is its DFT at the fastest frequency, $\\hat k_{n/2}$ (half a cycle per sample)?"
        ),
        answer=alternating,
        wrong=wrong,
        explanation=(
            f"$e^{{-2\\pi \\mathrm{{i}}\\, (n/2)\\, m / n}} = (-1)^m$, so $\\hat k_{{n/2}} = k_0 - k_1 + k_2 = {alternating:g}$: "
            "the kernel's response to the alternating signal $(1, -1, 1, \\dots)$."
        ),
    )


def questions():
    return {
        "circular-by-hand": circular_by_hand,
        "padded-shape": padded_shape,
        "gain-at-the-fastest-frequency": gain_at_the_fastest_frequency,
    }
