"""Concept checks of the lesson: one encoder update by hand, the decoder of a merged cluster,
and the information a deterministic clustering keeps."""

import numpy as np

from apps.sandbox.grading.questions import Number, Vector, Wrong


def _vec(x) -> str:
    return "(" + ", ".join(f"{v:g}" for v in x) + ")"


def _normalise(w: np.ndarray) -> np.ndarray:
    return w / w.sum()


def encoder_update(rng: np.random.Generator) -> Vector:
    qt = np.array([[0.5, 0.5], [0.6, 0.4], [0.7, 0.3], [0.25, 0.75]])[int(rng.integers(4))]
    kl = rng.choice([0.1, 0.2, 0.3, 0.5, 0.8], size=2, replace=False)
    beta = float(rng.choice([1.0, 2.0, 5.0]))
    answer = _normalise(qt * np.exp(-beta * kl))
    wrong = [
        Wrong(
            _normalise(np.exp(-beta * kl)).tolist(),
            "The prior $q(t)$ is missing: popular clusters attract inputs, $q(t\\mid x) \\propto q(t)\\,e^{-\\beta D_{\\mathrm{KL}}}$.",
        ),
        Wrong(
            _normalise(qt * np.exp(beta * kl)).tolist(),
            "Mind the sign: a larger divergence must make a cluster *less* likely, $e^{-\\beta D_{\\mathrm{KL}}}$.",
        ),
        Wrong(
            _normalise(qt * np.exp(-kl)).tolist(),
            f"Multiply the divergences by $\\beta = {beta:g}$ before exponentiating.",
        ),
        Wrong(qt.tolist(), "That is the $\\beta = 0$ answer, where the input is ignored."),
    ]
    return Vector(
        prompt=(
            f"In one step of the iterative IB algorithm with $\\beta = {beta:g}$ and two clusters, "
            f"$q(t) = {_vec(qt)}$ and, for one input $x$, "
            f"$D_{{\\mathrm{{KL}}}}\\big(p(y\\mid x)\\,\\|\\,q(y\\mid t)\\big) = {_vec(kl)}$ for $t = 1, 2$. "
            "What is the new $q(t \\mid x)$, to three decimals?"
        ),
        answer=answer.tolist(),
        tolerance=5e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"The weights $q(t)\\,e^{{-\\beta D}}$ are $({', '.join(f'{w:.4f}' for w in qt * np.exp(-beta * kl))})$; "
            f"normalised, $({', '.join(f'{v:.3f}' for v in answer)})$."
        ),
    )


def merged_decoder(rng: np.random.Generator) -> Number:
    px = np.array(rng.choice([[0.1, 0.3], [0.3, 0.1], [0.2, 0.4], [0.4, 0.2], [0.15, 0.45]]))
    py1 = rng.choice([0.9, 0.8, 0.7, 0.6], size=2, replace=False)
    answer = float(px @ py1 / px.sum())
    wrong = [
        Wrong(
            float(py1.mean()),
            "Weight each input by its probability: $q(y\\mid t) = \\sum_x p(x)\\,q(t\\mid x)\\,p(y\\mid x) / q(t)$.",
        ),
        Wrong(
            float(px @ py1),
            f"Divide by $q(t) = {px.sum():g}$, the probability of the cluster: the decoder is a conditional distribution.",
        ),
        Wrong(float(py1.sum()), "Probabilities of the members are averaged, not added."),
    ]
    return Number(
        prompt=(
            f"A deterministic encoder sends inputs $x_1$ and $x_2$, with $p(x_1) = {px[0]:g}$ and "
            f"$p(x_2) = {px[1]:g}$, to the same cluster $t$ (and no other input goes there). If "
            f"$p(y = 1 \\mid x_1) = {py1[0]:g}$ and $p(y = 1 \\mid x_2) = {py1[1]:g}$, what is the "
            "decoder's $q(y = 1 \\mid t)$, to three decimals?"
        ),
        answer=answer,
        tolerance=2e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"$q(y{{=}}1\\mid t) = ({px[0]:g} \\cdot {py1[0]:g} + {px[1]:g} \\cdot {py1[1]:g})/{px.sum():g} = {answer:.3f}$."
        ),
    )


def clustering_information(rng: np.random.Generator) -> Number:
    k = int(rng.choice([2, 3, 4]))
    per = int(rng.choice([2, 3, 4]))
    n = k * per
    answer = float(np.log(k))
    wrong = [
        Wrong(
            float(np.log2(k)),
            "That is in bits; the lesson's informations are in nats (natural logarithm).",
        ),
        Wrong(
            float(np.log(n)),
            f"That is $H(X) = \\log {n}$, what an encoder keeping every input apart would retain; merging into {k} clusters keeps $H(T)$.",
        ),
        Wrong(
            float(np.log(per)),
            f"That is $H(X\\mid T) = \\log {per}$, what the clustering discards; $I(X;T) = H(X) - H(X\\mid T)$.",
        ),
    ]
    return Number(
        prompt=(
            f"$X$ is uniform on {n} values, and a deterministic encoder merges them into {k} "
            f"clusters of {per} values each. What is $I(X;T)$, in nats, to three decimals?"
        ),
        answer=answer,
        tolerance=2e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"$T$ is a function of $X$, so $H(T\\mid X) = 0$ and $I(X;T) = H(T) = \\log {k} \\approx {answer:.3f}$ "
            "nats ($T$ is uniform over the clusters)."
        ),
    )


def questions():
    return {
        "encoder-update": encoder_update,
        "merged-decoder": merged_decoder,
        "clustering-information": clustering_information,
    }
