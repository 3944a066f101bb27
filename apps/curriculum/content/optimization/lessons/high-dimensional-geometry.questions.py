"""Concept checks of the lesson: how much of a ball is shell, the typical squared distance
between random points, and the length of a Gaussian vector."""

import math

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Wrong


def shell_fraction(rng: np.random.Generator) -> Number:
    d = int(rng.choice([10, 20, 30, 50, 100]))
    eps = float(rng.choice([0.01, 0.02, 0.05]))
    answer = 1 - (1 - eps) ** d
    wrong = [
        Wrong(
            (1 - eps) ** d,
            "That is the fraction *inside* the inner ball of radius $1 - \\epsilon$; the shell is the rest.",
        ),
        Wrong(
            d * eps,
            "$d\\epsilon$ is only the first-order approximation, good when $d\\epsilon$ is small; it can even exceed 1.",
        ),
        Wrong(
            eps,
            "Volume scales like the radius to the power $d$, not linearly: the shell holds far more than $\\epsilon$.",
        ),
        Wrong(
            1 - (1 - eps) ** 3,
            "That is the three-dimensional answer; the exponent is the dimension $d$.",
        ),
    ]
    return Number(
        prompt=(
            f"What fraction of the volume of the unit ball in $\\mathbb{{R}}^{{{d}}}$ lies within "
            f"distance $\\epsilon = {eps:g}$ of its surface? (Three decimals.)"
        ),
        answer=answer,
        tolerance=2e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"The inner ball of radius $1 - \\epsilon$ holds $(1 - \\epsilon)^d = {(1 - eps) ** d:.4f}$ "
            f"of the volume, so the shell holds $1 - (1 - \\epsilon)^{{{d}}} = {answer:.4f}$."
        ),
    )


def mean_squared_distance(rng: np.random.Generator) -> Number:
    d = int(rng.choice([12, 24, 30, 60, 96, 150, 300, 600]))
    answer = d / 6
    wrong = [
        Wrong(
            d / 12,
            "$1/12$ is the variance of *one* uniform coordinate; the difference $x - q$ of two has mean square $1/6$.",
        ),
        Wrong(
            d / 3,
            "$1/3$ is $\\mathbb{E}[x^2]$ for one uniform coordinate; the cross term $-2\\mathbb{E}[xq] = -1/2$ brings $\\mathbb{E}[(x - q)^2]$ down to $1/6$.",
        ),
        Wrong(
            np.sqrt(d / 6),
            "That is the typical distance; the question asks for the mean of the *squared* distance.",
        ),
        Wrong(
            np.sqrt(7 * d / 180),
            "That is the standard deviation of the squared distance, not its mean.",
        ),
    ]
    return Number(
        prompt=(
            f"Two points are drawn independently and uniformly in the cube $[0, 1]^{{{d}}}$. What is the "
            "expected *squared* distance $\\mathbb{E}[\\|\\mathbf{x} - \\mathbf{q}\\|^2]$ between them?"
        ),
        answer=answer,
        wrong=wrong,
        explanation=(
            f"Each coordinate contributes $\\mathbb{{E}}[(x - q)^2] = 1/3 - 2 \\cdot 1/4 + 1/3 = 1/6$, "
            f"so $d/6 = {d}/6 = {answer:g}$."
        ),
    )


def gaussian_length(rng: np.random.Generator) -> Choice:
    d = int(rng.choice([100, 400, 900, 2500, 10000]))
    root = math.isqrt(d)  # d is a perfect square
    options = [
        f"about {root}, give or take about 1",
        "close to 0, where the density is largest",
        f"about {d}, give or take about {root}",
        "about 1, like a unit vector",
    ]
    messages = {
        1: "The density is largest at the origin, but the volume there is tiny: in high dimension almost no samples land near it.",
        2: f"$\\|\\mathbf{{x}}\\|^2$ is about {d}; the length is its square root.",
        3: f"Each of the {d} coordinates has variance 1, so the squared length adds up to about {d}.",
    }
    order = rng.permutation(4)
    position = {int(old): new for new, old in enumerate(order)}
    return Choice(
        prompt=(
            f"A vector $\\mathbf{{x}} \\in \\mathbb{{R}}^{{{d}}}$ has independent standard Gaussian "
            "coordinates. What is its length $\\|\\mathbf{x}\\|$, typically?"
        ),
        options=[options[int(i)] for i in order],
        answer=position[0],
        wrong=[Wrong(position[k], m) for k, m in messages.items()],
        explanation=(
            f"$\\|\\mathbf{{x}}\\|^2$ has mean $d = {d}$ and standard deviation $\\sqrt{{2d}}$, so "
            f"$\\|\\mathbf{{x}}\\| \\approx \\sqrt{{d}} = {root}$, with a spread of about $1/\\sqrt2$."
        ),
    )


def questions():
    return {
        "shell-fraction": shell_fraction,
        "mean-squared-distance": mean_squared_distance,
        "gaussian-length": gaussian_length,
    }
