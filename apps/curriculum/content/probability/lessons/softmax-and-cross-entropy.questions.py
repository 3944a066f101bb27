"""Concept checks of the lesson: a softmax by hand, and a cross-entropy loss by hand."""

import numpy as np

from apps.sandbox.grading.questions import Number, Vector, Wrong


def _logits(rng: np.random.Generator) -> np.ndarray:
    # Distinct small integers: a calculator (or e ≈ 2.718) is all it takes.
    return rng.choice(np.arange(-2, 4), size=3, replace=False).astype(float)


def _show(z: np.ndarray) -> str:
    return ", ".join(f"{v:g}" for v in z)


def softmax_by_hand(rng: np.random.Generator) -> Vector:
    z = _logits(rng)
    e = np.exp(z - z.max())
    p = e / e.sum()
    wrong = [
        Wrong(
            np.full(3, 1 / 3),
            "That is the uniform distribution, what the softmax tends to as the temperature grows: here $\\tau = 1$.",
        ),
        Wrong(
            (z == z.max()).astype(float),
            "That is the limit $\\tau \\to 0$ (all mass on the largest logit); at $\\tau = 1$ the other classes keep some.",
        ),
    ]
    unnormalised = "Those are the exponentials, not yet divided by their sum: the probabilities must add up to 1."
    wrong.append(Wrong(e, unnormalised))
    if z.max() != 0:  # the exponentials before the largest logit is subtracted
        wrong.append(Wrong(np.exp(z), unnormalised))
    if z.sum() != 0 and np.all(z / z.sum() >= 0):
        wrong.append(
            Wrong(
                z / z.sum(),
                "Dividing the logits by their sum is not the softmax: exponentiate first, then normalise.",
            )
        )
    return Vector(
        prompt=(
            f"Compute $\\mathrm{{softmax}}(\\mathbf{{z}})$ for $\\mathbf{{z}} = ({_show(z)})$, "
            "to three decimals, in the order of the entries of $\\mathbf{z}$."
        ),
        answer=p.tolist(),
        tolerance=5e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"Subtract the largest logit, exponentiate and divide by the sum: the exponentials are "
            f"$({_show(np.round(e, 3))})$, summing to ${e.sum():.3f}$."
        ),
    )


def cross_entropy_by_hand(rng: np.random.Generator) -> Number:
    z = _logits(rng)
    y = int(rng.integers(0, 3))
    lse = float(z.max() + np.log(np.exp(z - z.max()).sum()))
    loss = lse - z[y]
    wrong = [
        Wrong(
            loss / np.log(2),
            "That is the loss in bits (log base 2); the loss of this lesson uses the natural logarithm.",
        ),
        Wrong(-loss, "Mind the sign: the loss is $-\\log p_y$, which is never negative."),
    ]
    if z[y] != 0:  # otherwise the log-sum-exp alone is the right answer
        wrong.append(
            Wrong(lse, "That is the log-sum-exp alone: subtract the correct class's logit $z_y$.")
        )
    return Number(
        prompt=(
            f"A classifier outputs logits $\\mathbf{{z}} = ({_show(z)})$ for an example whose "
            f"correct class is class {y + 1}. What is its cross-entropy loss, in nats?"
        ),
        answer=loss,
        tolerance=5e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=f"$\\log \\sum_j e^{{z_j}} - z_y = {lse:.3f} - ({z[y]:g}) = {loss:.3f}$ nats.",
    )


def questions():
    return {"softmax-by-hand": softmax_by_hand, "cross-entropy-by-hand": cross_entropy_by_hand}
