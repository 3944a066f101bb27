"""Concept checks of the lesson: a local field from Hebbian weights, the energy change of a
flip, and why synchronous updates can cycle."""

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Wrong


def _vec(x: np.ndarray) -> str:
    return "(" + ", ".join(f"{int(v)}" for v in x) + ")"


def local_field(rng: np.random.Generator) -> Number:
    n = 4
    while True:
        patterns = rng.choice([-1.0, 1.0], size=(2, n))
        if abs(patterns[0] @ patterns[1]) < n:  # neither equal nor opposite
            break
    s = rng.choice([-1.0, 1.0], size=n)
    k = int(rng.integers(n))
    full = patterns.T @ patterns / n
    W = full.copy()
    np.fill_diagonal(W, 0.0)
    answer = float(W[k] @ s)
    wrong = [
        Wrong(
            float(full[k] @ s),
            f"Set the diagonal to zero: neuron {k + 1} does not drive itself, so drop the term $W_{{{k + 1}{k + 1}}} s_{{{k + 1}}} = \\tfrac{{2}}{{4}} s_{{{k + 1}}}$.",
        ),
        Wrong(float(n * (W[k] @ s)), "The Hebbian weights carry the factor $1/N = 1/4$."),
        Wrong(
            float(patterns[0] @ s / n),
            "Both stored patterns contribute to the weights: $W_{ij} = \\frac1N \\sum_\\mu \\xi_i^\\mu\\xi_j^\\mu$.",
        ),
    ]
    return Number(
        prompt=(
            f"A Hopfield network of $N = 4$ neurons stores $\\boldsymbol{{\\xi}}^1 = {_vec(patterns[0])}$ and "
            f"$\\boldsymbol{{\\xi}}^2 = {_vec(patterns[1])}$ with Hebbian weights (zero diagonal). In the "
            f"state $\\mathbf{{s}} = {_vec(s)}$, what is the local field $h_{{{k + 1}}}$ of neuron {k + 1}?"
        ),
        answer=answer,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"$h_{{{k + 1}}} = \\sum_{{j \\ne {k + 1}}} W_{{{k + 1}j}} s_j$ with row "
            f"$({', '.join(f'{w:g}' for w in W[k])})$ of $W$: ${answer:g}$."
        ),
    )


def energy_drop(rng: np.random.Generator) -> Number:
    h = float(rng.choice([0.25, 0.5, 0.75, 1.25, 1.5]))
    sign = float(rng.choice([-1.0, 1.0]))
    answer = -2 * h
    wrong = [
        Wrong(
            2 * h,
            "A flip that follows the field always *lowers* the energy: $\\Delta E = -2|h_k|$.",
        ),
        Wrong(
            -h,
            "The state changes by $s_k' - s_k = \\pm 2$, so $\\Delta E = -(s_k' - s_k)h_k = -2|h_k|$.",
        ),
        Wrong(-h * h, "$\\Delta E$ is linear in the field: $-(s_k' - s_k)\\,h_k$."),
    ]
    return Number(
        prompt=(
            f"Neuron $k$ of a Hopfield network has state $s_k = {-sign:+g}$ and local field "
            f"$h_k = {sign * h:+g}$. An asynchronous update flips it. By how much does the energy "
            "$E = -\\tfrac12\\mathbf{s}^\\top W\\mathbf{s}$ change?"
        ),
        answer=answer,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=f"$\\Delta E = -(s_k' - s_k)\\,h_k = -({2 * sign:+g})({sign * h:+g}) = {answer:g}$.",
    )


def synchronous_cycle(rng: np.random.Generator) -> Choice:
    w = float(rng.choice([0.5, 1.0, 2.0]))
    options = [
        f"Synchronously the state alternates $(1, -1) \\to (-1, 1) \\to (1, -1)$ forever; asynchronously, updating neuron 1 gives $(-1, -1)$, a fixed point, and the energy falls by $2|h_1| = {2 * w:g}$.",
        "Both schemes reach the fixed point $(1, 1)$ in one step.",
        "Synchronous updates also lower the energy at every step, so they converge too.",
        "Both schemes cycle: with a symmetric $W$ a two-neuron network always oscillates.",
    ]
    messages = {
        1: "Compute the fields: $h = W\\mathbf{s} = (-w, w)$, so neuron 1 turns to $-1$ and neuron 2 to $+1$.",
        2: "The proof that $E$ falls needs one neuron at a time: when both change, the cross term $W_{12}s_1s_2$ does not change ($s_1 s_2$ stays $-1$), so $E$ stays put and the state swaps.",
        3: "Asynchronous updates cannot cycle with a symmetric $W$ and zero diagonal: each flip lowers $E$ strictly, and there are finitely many states.",
    }
    order = rng.permutation(len(options))
    position = {int(old): new for new, old in enumerate(order)}
    return Choice(
        prompt=(
            f"Two neurons with $W = \\begin{{pmatrix}} 0 & {w:g} \\\\ {w:g} & 0 \\end{{pmatrix}}$ start in "
            "$\\mathbf{s} = (1, -1)$. What do synchronous updates (both at once) and asynchronous ones "
            "(neuron 1 first) do?"
        ),
        options=[options[int(i)] for i in order],
        answer=position[0],
        wrong=[Wrong(position[old], message) for old, message in messages.items()],
        explanation=(
            "Both fields point against the current states, so both flip at once and swap; one at a "
            "time, the first flip makes the two agree and every field then supports its neuron."
        ),
    )


def questions():
    return {
        "local-field": local_field,
        "energy-drop": energy_drop,
        "synchronous-cycle": synchronous_cycle,
    }
