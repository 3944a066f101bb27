import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, conditioned, plots


def _probabilities(q, k, mask):
    scores = q @ k.T / np.sqrt(q.shape[1])
    allowed = np.ones(scores.shape, dtype=bool) if mask is None else mask
    empty = ~allowed.any(axis=1, keepdims=True)
    scores = np.where(allowed, scores, -np.inf)
    top = np.where(empty, 0.0, scores.max(axis=1, keepdims=True))
    exp = np.where(allowed, np.exp(scores - top), 0.0)
    return exp / np.where(empty, 1.0, exp.sum(axis=1, keepdims=True))


def _loss(q, k, v, d_out, mask):
    return float(np.sum((_probabilities(q, k, mask) @ v) * d_out))


def cases(rng: np.random.Generator) -> list[Call]:
    n_q, n_k, d = int(rng.integers(3, 6)), int(rng.integers(4, 8)), int(rng.integers(2, 5))
    n = int(rng.integers(4, 7))
    causal = np.tril(np.ones((n, n), dtype=bool))
    empty = np.ones((4, 5), dtype=bool)
    empty[1] = False
    empty[3, 2:] = False
    return [
        Call(
            "random",
            "attention_backward",
            (
                rng.normal(size=(n_q, d)),
                rng.normal(size=(n_k, d)),
                rng.normal(size=(n_k, 3)),
                rng.normal(size=(n_q, 3)),
            ),
            label=f"Q ({n_q}, {d}), K ({n_k}, {d}), V ({n_k}, 3)",
        ),
        Call(
            "square",
            "attention_backward",
            (
                rng.normal(size=(n, n)),
                rng.normal(size=(n, n)),
                rng.normal(size=(n, n)),
                rng.normal(size=(n, n)),
            ),
            label=f"square Q, K, V and dO, all ({n}, {n})",
        ),
        Call(
            "lesson",
            "attention_backward",
            (
                np.eye(2),
                np.array([[1.0, 0.0], [1.0, 1.0]]),
                np.array([[1.0, 2.0], [3.0, 4.0]]),
                np.array([[1.0, 0.0], [0.0, 0.0]]),
            ),
            label="the lesson's worked example with dO = [[1, 0], [0, 0]]",
        ),
        Call(
            "saturated",
            "attention_backward",
            (
                25 * rng.normal(size=(4, 6)),
                25 * rng.normal(size=(5, 6)),
                rng.normal(size=(5, 2)),
                rng.normal(size=(4, 2)),
            ),
            label="scores in the hundreds (nearly one-hot softmax rows)",
        ),
        Call(
            "causal",
            "attention_backward",
            (
                rng.normal(size=(n, d)),
                rng.normal(size=(n, d)),
                rng.normal(size=(n, 2)),
                rng.normal(size=(n, 2)),
                causal,
            ),
            label=f"a causal mask, n = {n}",
        ),
        Call(
            "empty",
            "attention_backward",
            (
                rng.normal(size=(4, 3)),
                rng.normal(size=(5, 3)),
                rng.normal(size=(5, 2)),
                rng.normal(size=(4, 2)),
                empty,
            ),
            label="a mask whose second row allows no key",
        ),
        Call(
            "d1",
            "attention_backward",
            (
                rng.normal(size=(3, 1)),
                rng.normal(size=(4, 1)),
                rng.normal(size=(4, 1)),
                rng.normal(size=(3, 1)),
            ),
            label="d_k = 1",
        ),
    ]


NAMES = ("dQ", "dK", "dV")


def _rtol(g: Grader, key: str) -> float | None:
    if key != "saturated":
        return None
    # Scores in the hundreds: float32 rounds them by about 1e-5 of their size, and the softmax
    # passes that on in proportion.
    q, k = (np.asarray(a, dtype=float) for a in g.args(key)[:2])
    return conditioned(float(np.abs(q @ k.T).max() / np.sqrt(q.shape[1])))


def grade(g: Grader) -> None:
    q, k, v, d_out = g.args("random")
    for part, name, x in ((0, "dQ", q), (1, "dK", k), (2, "dV", v)):

        def loss(z, part=part):
            args = [q, k, v]
            args[part] = z
            return _loss(*args, d_out, None)

        g.check_gradient(
            f"{name} agrees with finite differences",
            "random",
            loss,
            x,
            part,
            eps=1e-6,
            rtol=1e-4,
            atol=1e-6,
        )
    for key, name, points in (
        ("random", "random Q, K and V", 1),
        ("square", "a square case", 0.5),
        ("lesson", "the lesson's example", 0.5),
        ("saturated", "saturated softmax rows", 0.5),
        ("d1", "d_k = 1", 0.5),
        ("causal", "a causal mask", 1),
        ("empty", "a row with nothing to attend to", 2),
    ):
        for part, gradient in enumerate(NAMES):
            g.check_close(f"{gradient}: {name}", key, part, rtol=_rtol(g, key), points=points / 3)


# --- known mistakes ------------------------------------------------------------------------
def _backward(*, scale_dk=True, mask_first=True, guard_empty=True, rowsum_axis=1, correction=True):
    """The backward pass with one step done the wrong way."""

    def attention_backward(Q, K, V, dO, mask=None):
        Q, K, V, dO = (np.asarray(a, dtype=float) for a in (Q, K, V, dO))
        scale = 1.0 / np.sqrt(Q.shape[1])
        S = Q @ K.T * scale
        if mask is not None and mask_first:
            S = np.where(np.asarray(mask, dtype=bool), S, -np.inf)
        top = S.max(axis=1, keepdims=True)
        if guard_empty:
            top = np.where(np.isfinite(top), top, 0.0)
        E = np.exp(S - top)
        Z = E.sum(axis=1, keepdims=True)
        P = np.divide(E, Z, out=np.zeros_like(E), where=Z > 0) if guard_empty else E / Z
        if mask is not None and not mask_first:
            P = P * np.asarray(mask, dtype=bool)
        dP = dO @ V.T
        dS = P * (dP - (dP * P).sum(axis=rowsum_axis, keepdims=True)) if correction else P * dP
        dK = dS.T @ Q * (scale if scale_dk else 1.0)
        return dS @ K * scale, dK, P.T @ dO

    return attention_backward


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "dk-missing-scale",
            diagnosis="Your dK is dS^T Q without the factor 1/sqrt(d_k) of the scores (dQ has it).",
            fix="dK = dS.T @ Q / np.sqrt(d_k).",
            wrong=_backward(scale_dk=False),
        ),
        Mistake(
            "softmax-no-correction",
            diagnosis=(
                "Your dS is P * dP: the Jacobian of a softmax row is diag(p) - p p^T, so each row's "
                "sum of dP * P must be subtracted first."
            ),
            fix="dS = P * (dP - (dP * P).sum(axis=1, keepdims=True)).",
            wrong=_backward(correction=False),
        ),
        Mistake(
            "rowsum-over-queries",
            diagnosis=(
                "You sum dP * P over axis 0, the queries; the softmax correction sums over the keys "
                "of each query's row, axis 1."
            ),
            fix="(dP * P).sum(axis=1, keepdims=True).",
            wrong=_backward(rowsum_axis=0),
        ),
        Mistake(
            "mask-after-softmax",
            diagnosis=(
                "You zero the forbidden weights after an unmasked softmax, so the allowed weights no "
                "longer sum to 1 (and the gradients follow the wrong P)."
            ),
            fix="Mask the scores before the softmax: np.where(mask, S, -np.inf).",
            wrong=_backward(mask_first=False),
        ),
        Mistake(
            "masked-row-nan",
            diagnosis=(
                "A row whose mask allows no key has maximum -inf, and exp(-inf - (-inf)) is NaN: the "
                "NaN spreads into dQ, dK and dV."
            ),
            fix="Replace a -inf row maximum by 0 and give such rows P = 0 (and so zero gradients).",
            wrong=_backward(guard_empty=False),
        ),
    ]


def figures(g: Grader) -> None:
    q, k, v, d_out = g.args("random")
    eps = 1e-6
    numeric = np.zeros_like(q)
    for index in np.ndindex(q.shape):
        step = np.zeros_like(q)
        step[index] = eps
        numeric[index] = (
            _loss(q + step, k, v, d_out, None) - _loss(q - step, k, v, d_out, None)
        ) / (2 * eps)
    g.figure(
        plots.heatmap_pair(
            g.try_array("random", 0),
            numeric,
            title="dQ: yours (left) against central finite differences (right)",
        )
    )
