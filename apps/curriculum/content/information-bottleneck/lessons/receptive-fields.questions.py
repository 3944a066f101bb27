"""Concept checks of the lesson: a Gabor filter's value at a pixel, the direction of the
spike-triggered average under correlated stimuli, and when the STA vanishes."""

import math

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Vector, Wrong, distinct_wrongs


def _gabor(x: float, y: float, theta: float, sigma: float, gamma: float, lam: float) -> float:
    xr = x * math.cos(theta) + y * math.sin(theta)
    yr = -x * math.sin(theta) + y * math.cos(theta)
    return math.exp(-(xr**2 + gamma**2 * yr**2) / (2 * sigma**2)) * math.cos(2 * math.pi * xr / lam)


def gabor_value(rng: np.random.Generator) -> Number:
    degrees = int(rng.choice([0, 90]))
    theta = math.radians(degrees)
    sigma = float(rng.choice([2.0, 3.0]))
    gamma = float(rng.choice([0.5, 2.0]))
    lam = float(rng.choice([6.0, 8.0, 12.0]))
    while True:
        x, y = (int(v) for v in rng.integers(-2, 3, size=2))
        answer = _gabor(x, y, theta, sigma, gamma, lam)
        if x != 0 and y != 0 and abs(answer) > 0.02:
            break
    wrong = [
        Wrong(
            _gabor(x, y, 0.0, sigma, gamma, lam)
            if degrees
            else _gabor(x, y, math.pi / 2, sigma, gamma, lam),
            "Rotate the coordinates first: $x' = x\\cos\\theta + y\\sin\\theta$, $y' = -x\\sin\\theta + y\\cos\\theta$.",
        ),
        Wrong(
            _gabor(x, y, theta, sigma, 1.0, lam),
            f"The aspect ratio scales $y'$: the window has $x'^2 + \\gamma^2 y'^2$ with $\\gamma = {gamma:g}$.",
        ),
        Wrong(
            math.exp(
                -(
                    (x * math.cos(theta) + y * math.sin(theta)) ** 2
                    + gamma**2 * (-x * math.sin(theta) + y * math.cos(theta)) ** 2
                )
                / (2 * sigma**2)
            )
            * math.cos((x * math.cos(theta) + y * math.sin(theta)) / lam),
            "The wave is $\\cos(2\\pi x'/\\lambda + \\psi)$: one period every $\\lambda$ pixels needs the $2\\pi$.",
        ),
    ]
    return Number(
        prompt=(
            f"A Gabor receptive field has $\\theta = {degrees}^\\circ$, $\\sigma = {sigma:g}$, "
            f"$\\gamma = {gamma:g}$, $\\lambda = {lam:g}$ pixels and $\\psi = 0$. What is its weight "
            f"$G(x, y)$ at the pixel $(x, y) = ({x}, {y})$, to three decimals?"
        ),
        answer=answer,
        tolerance=3e-3,
        abs_tolerance=1e-3,
        wrong=distinct_wrongs(answer, wrong, tolerance=0.01, abs_tolerance=0.003),
        explanation=(
            f"$x' = {x * math.cos(theta) + y * math.sin(theta):.0f}$, $y' = {-x * math.sin(theta) + y * math.cos(theta):.0f}$; "
            f"the window gives $e^{{-(x'^2 + \\gamma^2 y'^2)/(2\\sigma^2)}}$ and the wave $\\cos(2\\pi x'/\\lambda)$, "
            f"whose product is ${answer:.3f}$."
        ),
    )


def correlated_sta(rng: np.random.Generator) -> Vector:
    r = float(rng.choice([0.25, 0.5, -0.5, 0.75]))
    C = np.array([[1.0, r], [r, 1.0]])
    while True:
        k = rng.integers(-2, 3, size=2).astype(float)
        if k[0] != 0 and k[1] != 0:
            break
    answer = C @ k
    wrong = [
        Wrong(
            k.tolist(),
            "With white stimuli the STA points along $\\mathbf{k}$; with covariance $C$ it points along $C\\mathbf{k}$, the filter blurred.",
        ),
        Wrong(
            np.linalg.solve(C, k).tolist(),
            "$C^{-1}$ is what *undoes* the blur (the whitened STA); the raw STA points along $C\\mathbf{k}$.",
        ),
        Wrong(
            (-answer).tolist(),
            "The constant $\\mathbb{E}[f(u)u]$ is positive for an increasing $f$: the STA points along $+C\\mathbf{k}$.",
        ),
    ]
    return Vector(
        prompt=(
            f"An LNP neuron with filter $\\mathbf{{k}} = ({k[0]:g}, {k[1]:g})$ and an increasing "
            f"nonlinearity sees Gaussian stimuli of covariance $C = \\begin{{pmatrix}} 1 & {r:g} \\\\ {r:g} & 1 \\end{{pmatrix}}$. "
            "The STA points along which vector? (Give it with the scale of $C\\mathbf{k}$: two numbers.)"
        ),
        answer=answer.tolist(),
        tolerance=2e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"With $\\mathbf{{x}} = C^{{1/2}}\\mathbf{{y}}$, the STA points along $C\\mathbf{{k}} = "
            f"({answer[0]:g}, {answer[1]:g})$."
        ),
    )


NONLINEARITIES = [
    ("f(u) = u^2", False),
    ("f(u) = |u|", False),
    ("f(u) = \\cosh u", False),
    ("f(u) = e^{u}", True),
    ("f(u) = \\max(u, 0)", True),
    ("f(u) = 1/(1 + e^{-u})", True),
]


def sta_direction(rng: np.random.Generator) -> Choice:
    formula, increasing = NONLINEARITIES[int(rng.integers(len(NONLINEARITIES)))]
    options = [
        "Along $\\mathbf{k}$.",
        "Zero: the STA carries no trace of $\\mathbf{k}$.",
        "Along $-\\mathbf{k}$.",
        "Along a random direction that changes from recording to recording.",
    ]
    right = 0 if increasing else 1
    messages = {
        0: f"For ${formula}$, an even function, $\\mathbb{{E}}[f(u)\\,u] = 0$ (the stimulus is symmetric), so the constant in front of $\\mathbf{{k}}$ vanishes.",
        1: f"${formula}$ is increasing, so $\\mathbb{{E}}[f(u)\\,u] > 0$ and the STA is a positive multiple of $\\mathbf{{k}}$.",
        2: "The constant is $\\mathbb{E}[f(u)\\,u]/\\|\\mathbf{k}\\|^2$: it is positive for an increasing $f$ and zero for an even one, never negative here.",
        3: "The part of the stimulus orthogonal to $\\mathbf{k}$ is independent of $u$ and averages to zero: only the direction of $\\mathbf{k}$ can survive.",
    }
    order = rng.permutation(len(options))
    position = {int(old): new for new, old in enumerate(order)}
    return Choice(
        prompt=(
            f"An LN neuron fires at rate ${formula}$ with $u = \\mathbf{{k}}^\\top\\mathbf{{x}}$, driven by "
            "white Gaussian noise $\\mathbf{x}$. With many spikes, where does the spike-triggered average point?"
        ),
        options=[options[int(i)] for i in order],
        answer=position[right],
        wrong=[Wrong(position[old], message) for old, message in messages.items() if old != right],
        explanation=(
            "The STA is proportional to $\\mathbb{E}[f(u)\\,u]\\,\\mathbf{k}$: positive for an increasing "
            "$f$, zero for an even one, which is why complex cells need the spike-triggered covariance."
        ),
    )


def questions():
    return {
        "gabor-value": gabor_value,
        "correlated-sta": correlated_sta,
        "sta-direction": sta_direction,
    }
