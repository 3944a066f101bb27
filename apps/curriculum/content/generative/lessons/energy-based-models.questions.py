"""Concept checks of the lesson: a Boltzmann distribution by hand, a probability ratio, and a
log partition function that the naive formula overflows on."""

import numpy as np

from apps.sandbox.grading.questions import Number, Vector, Wrong


def _normalise(weights: np.ndarray) -> np.ndarray:
    return weights / weights.sum()


def boltzmann_by_hand(rng: np.random.Generator) -> Vector:
    energies = rng.choice(np.arange(0, 4), size=3, replace=False).astype(float)
    temp = float(rng.choice([0.5, 1.0, 2.0]))
    p = _normalise(np.exp(-(energies - energies.min()) / temp))
    wrong = [
        Wrong(
            _normalise(np.exp((energies - energies.max()) / temp)).tolist(),
            "Mind the sign: $p \\propto e^{-E/T}$, so the state of *lowest* energy is the most likely.",
        ),
        Wrong(
            _normalise(np.exp(-(energies - energies.min()))).tolist(),
            f"That is the distribution at $T = 1$: divide the energies by $T = {temp:g}$ before exponentiating.",
        ),
        Wrong(
            np.full(3, 1 / 3).tolist(),
            "That is the limit $T \\to \\infty$; at a finite temperature lower energies keep more mass.",
        ),
    ]
    shown = ", ".join(f"{e:g}" for e in energies)
    return Vector(
        prompt=(
            f"Three states have energies $E = ({shown})$. What is their Boltzmann distribution "
            f"at temperature $T = {temp:g}$? Give the three probabilities to three decimals, in "
            "the order of the energies."
        ),
        answer=p.tolist(),
        tolerance=5e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"The weights $e^{{-E_k/T}}$ are proportional to "
            f"$({', '.join(f'{w:.3f}' for w in np.exp(-(energies - energies.min()) / temp))})$; "
            f"dividing by their sum gives $({', '.join(f'{v:.3f}' for v in p)})$."
        ),
    )


def probability_ratio(rng: np.random.Generator) -> Number:
    base = int(rng.integers(-3, 6))
    gap = int(rng.integers(1, 4))
    temp = float(rng.choice([0.5, 2.0, 4.0]))
    answer = float(np.exp(gap / temp))
    wrong = [
        Wrong(
            float(np.exp(-gap / temp)),
            "That is $p_2/p_1$, the ratio the other way round: the lower-energy state 1 is the more likely.",
        ),
        Wrong(
            float(np.exp(gap)),
            f"That ignores the temperature: the exponent is the energy difference divided by $T = {temp:g}$.",
        ),
        Wrong(
            float(np.exp(gap * temp)),
            f"Divide the energy difference by $T$, do not multiply it: the exponent is $(E_2 - E_1)/T = {gap}/{temp:g}$.",
        ),
        Wrong(
            gap / temp,
            "That is the exponent; the ratio of probabilities is $e$ raised to it.",
        ),
    ]
    return Number(
        prompt=(
            f"Two states have energies $E_1 = {base}$ and $E_2 = {base + gap}$. At temperature "
            f"$T = {temp:g}$, how many times more likely is state 1 than state 2, "
            "$p_1 / p_2$? (Three significant digits.)"
        ),
        answer=answer,
        tolerance=2e-3,
        wrong=wrong,
        explanation=(
            f"$Z$ cancels and so does any constant added to both energies: "
            f"$p_1/p_2 = e^{{(E_2 - E_1)/T}} = e^{{{gap}/{temp:g}}} \\approx {answer:.4g}$."
        ),
    )


def log_partition(rng: np.random.Generator) -> Number:
    shift = int(rng.choice([300, 500, 800, 1000]))
    offsets = np.concatenate([[0], rng.choice([1, 2, 3], size=2, replace=False)])
    energies = rng.permutation(-shift + offsets)
    rest = float(np.log(np.exp(-offsets).sum()))
    answer = shift + rest
    wrong = [
        Wrong(
            float(shift),
            "That is only the largest term, $m = \\max_k(-E_k)$: add $\\log\\sum_k e^{-E_k - m}$, the log of a sum between 1 and 3.",
        ),
        Wrong(
            rest,
            f"You shifted the exponents by $m = {shift}$ but did not add it back: $\\log Z = m + \\log\\sum_k e^{{-E_k - m}}$.",
        ),
        Wrong(
            -answer,
            "Mind the sign: the exponents are $-E_k/T$, so the energies near $-"
            + str(shift)
            + "$ give a large positive $\\log Z$.",
        ),
    ]
    shown = ", ".join(f"{e:g}" for e in energies)
    return Number(
        prompt=(
            f"Energies $E = ({shown})$ at $T = 1$: what is $\\log Z$, to three decimals? "
            "(The naive $\\log \\sum_k e^{-E_k}$ overflows in floating point.)"
        ),
        answer=answer,
        tolerance=1e-7,  # relative to ~1000 this would accept 1 unit: the absolute one decides
        abs_tolerance=5e-3,
        wrong=wrong,
        explanation=(
            f"With $m = {shift}$, $\\log Z = m + \\log\\sum_k e^{{-E_k - m}} = {shift} + "
            f"\\log(1 + e^{{-{offsets[1]}}} + e^{{-{offsets[2]}}}) \\approx {answer:.3f}$."
        ),
    )


def questions():
    return {
        "boltzmann-by-hand": boltzmann_by_hand,
        "probability-ratio": probability_ratio,
        "log-partition": log_partition,
    }
