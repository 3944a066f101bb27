"""Concept checks of the lesson: the mean-field critical temperature, why m = 0 is the wrong
solution below it, and the exact magnetisation of a long chain in a field."""

import math

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Wrong

LATTICES = [
    ("a chain", 2),
    ("a honeycomb lattice", 3),
    ("a square grid", 4),
    ("a triangular lattice", 6),
    ("a simple cubic lattice", 6),
    ("a body-centred cubic lattice", 8),
]


def critical_temperature(rng: np.random.Generator) -> Number:
    name, z = LATTICES[int(rng.integers(len(LATTICES)))]
    coupling = float(rng.choice([0.5, 1.5, 2.0, 3.0]))
    answer = coupling * z
    wrong = [
        Wrong(
            coupling,
            f"Each spin feels the mean field of all its $z = {z}$ neighbours: $T_c = Jz$, not $J$.",
        ),
        Wrong(
            coupling * z / 2,
            "The condition is $\\beta J z = 1$; the factor $1/2$ of $f(m)$ counts each edge once and cancels in $f'(m)$.",
        ),
        Wrong(
            1 / (coupling * z),
            "That is the critical inverse temperature $\\beta_c = 1/(Jz)$; the question asks for $T_c = 1/\\beta_c$.",
        ),
    ]
    return Number(
        prompt=(
            f"Ising spins on {name} (every site has $z = {z}$ neighbours) with coupling "
            f"$J = {coupling:g}$ and no field. At what temperature $T_c$ does mean field predict "
            "the onset of spontaneous magnetisation?"
        ),
        answer=answer,
        wrong=wrong,
        explanation=f"Extra solutions of $m = \\tanh(\\beta J z\\, m)$ appear when the slope $\\beta J z$ passes $1$: $T_c = Jz = {answer:g}$.",
    )


def why_not_zero(rng: np.random.Generator) -> Choice:
    ratio = float(rng.choice([0.5, 0.6, 0.75, 0.8, 0.9]))
    options = [
        f"At $T = {ratio:g}\\,Jz$ the curvature $f''(0) = T - Jz$ is negative: $m = 0$ is a maximum of the free energy, and the minima are the two solutions $\\pm m^*$.",
        "$m = 0$ is not a solution there: $\\tanh(\\beta J z \\cdot 0) \\neq 0$ below $T_c$.",
        "$m = 0$ is the right prediction: the exact $\\mathbb{E}[s_i]$ is $0$ by symmetry, so mean field should give $0$ as well.",
        "$m = 0$ fails only because a small field $h$ is needed to break the symmetry; with $h = 0$ exactly, mean field predicts $m = 0$.",
    ]
    messages = {
        1: "$\\tanh(0) = 0$ at every temperature: $m = 0$ always solves the equation when $h = 0$, by the symmetry $m \\to -m$.",
        2: "The exact average is $0$ because the all-up and all-down sides are equally likely; a typical sample is magnetised. Mean field predicts the solution of *lowest* free energy, and $m = 0$ is not it.",
        3: "Even at $h = 0$ the free energy has two wells and a hump at $0$: mean field predicts one of the wells, the field only chooses which.",
    }
    order = rng.permutation(len(options))
    position = {int(old): new for new, old in enumerate(order)}
    return Choice(
        prompt=(
            f"At $h = 0$ and temperature $T = {ratio:g}\\,Jz$ (below the mean-field $T_c$), "
            "$m = 0$ solves $m = \\tanh(\\beta J z\\, m)$. Why is it not the mean-field prediction?"
        ),
        options=[options[int(i)] for i in order],
        answer=position[0],
        wrong=[Wrong(position[old], message) for old, message in messages.items()],
        explanation=(
            "Of several solutions, mean field predicts the one of lowest $f$; with "
            "$a = \\beta J z > 1$, $f''(0) = T - Jz < 0$, so $m = 0$ sits on the hump between two wells."
        ),
    )


def chain_magnetisation(rng: np.random.Generator) -> Number:
    bj = float(rng.choice([0.5, 1.0, 1.5]))
    bh = float(rng.choice([0.05, 0.1, 0.2, 0.3]))
    answer = math.sinh(bh) / math.sqrt(math.sinh(bh) ** 2 + math.exp(-4 * bj))
    wrong = [
        Wrong(
            math.tanh(bh),
            "That is a single free spin, $\\tanh(\\beta h)$: the coupling to the neighbours is missing.",
        ),
        Wrong(
            math.sinh(bh) / math.sqrt(math.sinh(bh) ** 2 + math.exp(-2 * bj)),
            "The exponent in the denominator is $-4\\beta J$, not $-2\\beta J$.",
        ),
        Wrong(
            math.sinh(bh) / (math.sinh(bh) ** 2 + math.exp(-4 * bj)),
            "Take the square root of the denominator: $m = \\sinh\\beta h / \\sqrt{\\sinh^2\\beta h + e^{-4\\beta J}}$.",
        ),
    ]
    return Number(
        prompt=(
            f"A long Ising chain with $\\beta J = {bj:g}$ sits in a field with $\\beta h = {bh:g}$. "
            "Using the exact transfer-matrix result, what is its magnetisation $m$, to three decimals?"
        ),
        answer=answer,
        tolerance=2e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"$m = \\sinh(\\beta h)/\\sqrt{{\\sinh^2(\\beta h) + e^{{-4\\beta J}}}} = "
            f"{math.sinh(bh):.4f}/\\sqrt{{{math.sinh(bh) ** 2:.5f} + {math.exp(-4 * bj):.5f}}} \\approx {answer:.3f}$."
        ),
    )


def questions():
    return {
        "critical-temperature": critical_temperature,
        "why-not-zero": why_not_zero,
        "chain-magnetisation": chain_magnetisation,
    }
