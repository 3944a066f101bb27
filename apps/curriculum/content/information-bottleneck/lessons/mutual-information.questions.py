"""Concept checks of the lesson: the information through a binary symmetric channel, the bias
of the plug-in estimator, and a composed channel."""

import numpy as np

from apps.sandbox.grading.questions import Matrix, Number, Wrong, distinct_wrongs


def _binary_entropy(e: float) -> float:
    return float(-e * np.log(e) - (1 - e) * np.log(1 - e))


def noisy_bit(rng: np.random.Generator) -> Number:
    e = float(rng.choice([0.05, 0.15, 0.2, 0.25, 0.3]))
    answer = np.log(2) - _binary_entropy(e)
    wrong = [
        Wrong(
            answer / np.log(2),
            "That is the answer in bits ($\\log_2$); the question asks for nats, the natural logarithm.",
        ),
        Wrong(
            _binary_entropy(e),
            "That is $H(X \\mid Y)$, what the noise leaves uncertain; the information is $H(X) - H(X \\mid Y)$.",
        ),
        Wrong(
            float(np.log(2)),
            "That is $H(X)$, all a fair bit carries; the noise removes $H(X \\mid Y)$ of it.",
        ),
        Wrong(1 - e, "That is the probability that the bit arrives intact, not an information."),
    ]
    return Number(
        prompt=(
            f"$X$ is a fair bit and $Y$ is a copy of it flipped with probability ${e:g}$. What is "
            "$I(X;Y)$ in nats, to three decimals?"
        ),
        answer=answer,
        tolerance=5e-3,
        abs_tolerance=1e-3,
        wrong=distinct_wrongs(answer, wrong, tolerance=0.015, abs_tolerance=0.003),
        explanation=(
            f"$I = H(X) - H(X\\mid Y) = \\log 2 - H_b({e:g}) = 0.693 - {_binary_entropy(e):.3f} = {answer:.3f}$ nats."
        ),
    )


def plugin_bias(rng: np.random.Generator) -> Number:
    nx = int(rng.choice([2, 4, 8]))
    ny = int(rng.choice([3, 5, 10]))
    n = int(rng.choice([100, 200, 500, 1000]))
    answer = (nx - 1) * (ny - 1) / (2 * n)
    wrong = [
        Wrong(
            (nx - 1) * (ny - 1) / n,
            "The first-order bias has a factor $1/2$: $(|X| - 1)(|Y| - 1)/(2N)$.",
        ),
        Wrong(
            nx * ny / (2 * n),
            "Count the degrees of freedom, $(|X| - 1)(|Y| - 1)$, not the number of cells $|X||Y|$.",
        ),
        Wrong(answer / np.log(2), "That is the bias in bits; the question asks for nats."),
    ]
    return Number(
        prompt=(
            f"$X$ takes {nx} values and $Y$ takes {ny}, and they are independent. About how large is the "
            f"plug-in estimate of $I(X;Y)$ from $N = {n}$ samples, in nats (to first order)?"
        ),
        answer=answer,
        tolerance=5e-3,
        wrong=distinct_wrongs(answer, wrong, tolerance=0.015, abs_tolerance=1e-05),
        explanation=(
            f"The true value is $0$; the estimate is biased up by about "
            f"$({nx} - 1)({ny} - 1)/(2 \\cdot {n}) = {answer:.4g}$ nats."
        ),
    )


def _stochastic(rng: np.random.Generator) -> np.ndarray:
    first = rng.integers(1, 10, size=2) / 10
    return np.stack([first, 1 - first], axis=1)


def _tex(M: np.ndarray) -> str:
    rows = " \\\\ ".join(" & ".join(f"{x:g}" for x in row) for row in M)
    return f"\\begin{{pmatrix}} {rows} \\end{{pmatrix}}"


def composed_channel(rng: np.random.Generator) -> Matrix:
    A, B = _stochastic(rng), _stochastic(rng)
    answer = A @ B
    wrong = [
        Wrong(
            (B @ A).tolist(),
            "That is $BA$, the channels in the wrong order: $X$ goes through $A$ first, so $p(z \\mid x) = \\sum_y A_{xy} B_{yz} = (AB)_{xz}$.",
        ),
        Wrong(
            (A * B).tolist(),
            "Entry by entry products are not a composition (the rows no longer sum to one): sum over the middle value $y$.",
        ),
        Wrong(
            (A @ B.T).tolist(),
            "That multiplies by $B^\\top$: row $y$ of $B$ is $p(z \\mid y)$, and the composition is $AB$.",
        ),
    ]
    return Matrix(
        prompt=(
            f"A channel $A = {_tex(A)}$ from $X$ to $Y$ ($A_{{xy}} = p(y\\mid x)$) feeds a channel "
            f"$B = {_tex(B)}$ from $Y$ to $Z$. What is the channel matrix from $X$ to $Z$? "
            "(Rows separated by ;, to three decimals.)"
        ),
        answer=answer.tolist(),
        tolerance=1e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=f"$p(z\\mid x) = \\sum_y p(y\\mid x)\\,p(z\\mid y)$, the product $AB = {_tex(np.round(answer, 3))}$.",
    )


def questions():
    return {
        "noisy-bit": noisy_bit,
        "plugin-bias": plugin_bias,
        "composed-channel": composed_channel,
    }
