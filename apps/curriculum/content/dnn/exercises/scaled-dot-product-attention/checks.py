import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, conditioned, plots

# Scores of about +-1131 under every seed: exp overflows unless the row maximum is subtracted.
HUGE_Q = np.array([[40.0, 0.0], [0.0, -40.0]])
HUGE_K = np.array([[40.0, 0.0], [0.0, 40.0], [-40.0, 0.0]])


def cases(rng: np.random.Generator) -> list[Call]:
    n_q, n_k, d = int(rng.integers(3, 7)), int(rng.integers(4, 9)), int(rng.integers(2, 6))
    n = int(rng.integers(5, 9))
    causal = np.tril(np.ones((n, n), dtype=bool))
    lengths = np.array([n, n - 2, 1])
    padding = (np.arange(n)[None, :] < lengths[:, None])[:, None, :]  # (3, 1, n)
    empty = rng.uniform(size=(4, 5)) < 0.6
    empty[:, 0] = True
    empty[2] = False  # a query that may attend to nothing
    same_key = np.tile(rng.normal(size=(1, 3)), (5, 1))
    return [
        Call(
            "single",
            "attention",
            (rng.normal(size=(n_q, d)), rng.normal(size=(n_k, d)), rng.normal(size=(n_k, 3))),
            label=f"Q ({n_q}, {d}), K ({n_k}, {d}), V ({n_k}, 3)",
        ),
        Call(
            "stack",
            "attention",
            (
                rng.normal(size=(2, 3, n, d)),
                rng.normal(size=(2, 3, n, d)),
                rng.normal(size=(2, 3, n, 2)),
            ),
            label=f"a stack of shape (2, 3, {n}, {d}): batch and heads",
        ),
        Call(
            "lesson",
            "attention",
            (np.eye(2), np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([[1.0, 2.0], [3.0, 4.0]])),
            label="the lesson's worked example",
        ),
        Call(
            "large",
            "attention",
            (30 * rng.normal(size=(4, 8)), 30 * rng.normal(size=(6, 8)), rng.normal(size=(6, 2))),
            label="scores in the hundreds",
        ),
        Call(
            "huge",
            "attention",
            (HUGE_Q, HUGE_K, rng.normal(size=(3, 2))),
            label="scores of about +-1131 (queries and keys of length 40)",
        ),
        Call(
            "causal",
            "attention",
            (rng.normal(size=(n, d)), rng.normal(size=(n, d)), rng.normal(size=(n, 3)), causal),
            label=f"a causal mask, n = {n}",
        ),
        Call(
            "padding",
            "attention",
            (
                rng.normal(size=(3, n, d)),
                rng.normal(size=(3, n, d)),
                rng.normal(size=(3, n, 2)),
                padding,
            ),
            label=f"a batch of 3 sequences of lengths {lengths.tolist()} padded to {n}, mask of shape (3, 1, {n})",
        ),
        Call(
            "empty",
            "attention",
            (rng.normal(size=(4, 3)), rng.normal(size=(5, 3)), rng.normal(size=(5, 2)), empty),
            label="a mask whose third row allows no key",
        ),
        Call(
            "ties",
            "attention",
            (rng.normal(size=(3, 3)), same_key, rng.normal(size=(5, 4))),
            label="five identical keys",
        ),
        Call(
            "d1",
            "attention",
            (rng.normal(size=(4, 1)), rng.normal(size=(4, 1)), rng.normal(size=(4, 1))),
            label="d_k = 1",
        ),
    ]


def _rtol(g: Grader, key: str) -> float:
    # Softmax is conditioned by the size of its scores: float32 rounds a score of 1000 by 6e-5.
    q, k = (np.asarray(a, dtype=float) for a in g.args(key)[:2])
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    return conditioned(max(1.0, float(np.abs(scores).max())))


def grade(g: Grader) -> None:
    for key, name, points in (
        ("single", "attention on single matrices", 1),
        ("lesson", "the lesson's worked example", 1),
        ("stack", "a stack of matrices (batch and heads)", 1),
        ("large", "scores in the hundreds", 1),
        ("huge", "scores beyond 1000", 1),
        ("ties", "identical keys get equal weights", 0.5),
        ("d1", "d_k = 1", 0.5),
        ("causal", "a causal mask", 2),
        ("padding", "a padding mask that broadcasts over the queries", 1),
        ("empty", "a row with no allowed key gives zeros", 2),
    ):
        rtol = _rtol(g, key) if key in ("large", "huge") else None
        g.check_close(f"the weights: {name}", key, 1, rtol=rtol, points=points / 2)
        g.check_close(f"the output: {name}", key, 0, rtol=rtol, points=points / 2)

    def rows_sum():
        got = g.array("stack", 1)
        sums = got.sum(axis=-1)
        if not np.allclose(sums, 1.0, atol=1e-6):
            worst = float(sums.flat[int(np.argmax(np.abs(sums - 1)))])
            return f"every row of the weights should sum to 1 (a distribution over keys), but one sums to {worst:.6g}"
        return None

    g.custom("every row of weights sums to one", rows_sum)


# --- known mistakes ------------------------------------------------------------------------
def _attention(
    *, transpose="swap", scale="key", mask_with="-inf", empty_rows="zero", axis=-1, shift=True
):
    """Attention with one step done the wrong way."""

    def attention(Q, K, V, mask=None):
        Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
        scores = Q @ (K.T if transpose == "T" else np.swapaxes(K, -1, -2))
        if scale == "key":
            scores = scores / np.sqrt(Q.shape[-1])
        elif scale == "value":
            scores = scores / np.sqrt(V.shape[-1])
        allowed = np.ones(scores.shape, dtype=bool)
        if mask is not None:
            allowed = np.broadcast_to(np.asarray(mask, dtype=bool), scores.shape)
        if mask_with == "-inf":
            scores = np.where(allowed, scores, -np.inf)
        elif mask_with == "-1e9":
            scores = np.where(allowed, scores, -1e9)
        empty = ~allowed.any(axis=axis, keepdims=True)
        if mask_with == "-1e9" or empty_rows == "nan":
            empty = np.zeros_like(empty)
        top = np.where(empty, 0.0, scores.max(axis=axis, keepdims=True)) if shift else 0.0
        exp = np.exp(scores - top)
        total = exp.sum(axis=axis, keepdims=True)
        weights = np.where(empty, 0.0, exp / np.where(empty, 1.0, total))
        if mask_with == "after":
            weights = weights * allowed
        return weights @ V, weights

    return attention


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "no-scaling",
            diagnosis="Your scores are Q K^T, not divided by sqrt(d_k): the weights come out too peaked.",
            fix="scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k), with d_k = Q.shape[-1].",
            wrong=_attention(scale="none"),
        ),
        Mistake(
            "scaled-by-value-width",
            diagnosis="You divide the scores by sqrt(d_v), the width of the values; the scale is sqrt(d_k), the width of queries and keys.",
            fix="d_k = Q.shape[-1] (or K.shape[-1]), not V.shape[-1].",
            wrong=_attention(scale="value"),
        ),
        Mistake(
            "softmax-over-queries",
            diagnosis="Your softmax normalises over axis -2, the queries: each column sums to 1 instead of each row.",
            fix="Take the maximum, the exponentials' sum and the softmax along axis -1, the keys.",
            wrong=_attention(axis=-2),
        ),
        Mistake(
            "no-max-shift",
            diagnosis="You exponentiate the scores as they are: beyond about 709 exp overflows to inf, and inf / inf is NaN.",
            fix="Subtract each row's maximum score before np.exp (rows with no allowed key need a finite stand-in, such as 0).",
            wrong=_attention(shift=False),
        ),
        Mistake(
            "mask-after-softmax",
            diagnosis="You zero the forbidden weights after an unmasked softmax, so the allowed weights no longer sum to 1.",
            fix="Mask the scores before the softmax: np.where(mask, scores, -np.inf).",
            wrong=_attention(mask_with="after"),
        ),
        Mistake(
            "empty-row-nan",
            diagnosis="A row whose mask allows no key has maximum -inf, and exp(-inf - (-inf)) is NaN: your weights and output are NaN there.",
            fix="Detect such rows (~mask.any(axis=-1, keepdims=True)) and give them zero weights and a zero output.",
            wrong=_attention(empty_rows="nan"),
        ),
        Mistake(
            "mask-large-negative",
            diagnosis="You mask with -1e9 instead of -inf and do not treat rows with no allowed key apart: such a row gets uniform weights and a nonzero output.",
            fix="Give rows with no allowed key zero weights and a zero output.",
            wrong=_attention(mask_with="-1e9"),
        ),
        Mistake(
            "k-transposed-on-stack",
            diagnosis="K.T reverses every axis of a stacked K; only the last two (keys and features) must be swapped.",
            fix="np.swapaxes(K, -1, -2) works for one matrix and for any stack of them.",
            wrong=_attention(transpose="T"),
        ),
    ]


def figures(g: Grader) -> None:
    g.figure(
        plots.heatmap_pair(
            g.try_array("causal", 1),
            np.asarray(g.expected("causal", 1)),
            title="attention weights under a causal mask (query i, key j)",
            colorscale="Blues",
        )
    )
