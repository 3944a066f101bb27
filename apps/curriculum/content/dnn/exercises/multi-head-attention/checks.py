import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, conditioned, plots


def _mha(
    x,
    wq,
    wk,
    wv,
    wo,
    h,
    causal,
    *,
    scale="head",
    split=True,
    merge=True,
    output=True,
    mask="lower",
    shift=True,
):
    """Multi-head attention; the keywords build the variants that name common mistakes."""
    n, d_model = x.shape
    d_k = d_model // h

    def heads(w):
        z = x @ w
        return z.reshape(n, h, d_k).transpose(1, 0, 2) if split else z.reshape(h, n, d_k)

    q, k, v = heads(wq), heads(wk), heads(wv)
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k if scale == "head" else d_model)
    if causal:
        allowed = {
            "lower": np.tril(np.ones((n, n), dtype=bool)),
            "upper": np.triu(np.ones((n, n), dtype=bool)),
            "strict": np.tril(np.ones((n, n), dtype=bool), -1),
        }[mask]
        scores = np.where(allowed, scores, -np.inf)
    if shift:
        scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    out = weights @ v
    out = out.transpose(1, 0, 2).reshape(n, d_model) if merge else out.reshape(n, d_model)
    return out @ wo if output else out


def cases(rng: np.random.Generator) -> list[Call]:
    def weights(d):
        return tuple(rng.normal(size=(d, d)) / np.sqrt(d) for _ in range(4))

    n = int(rng.integers(5, 9))
    w8, w12, w4, w6 = weights(8), weights(12), weights(4), weights(6)
    x8 = rng.normal(size=(n, 8))
    x12 = rng.normal(size=(n, 12))
    m = int(rng.integers(2, n))
    return [
        Call("mask-1", "causal_mask", (1,), label="n = 1"),
        Call("mask", "causal_mask", (n,), label=f"n = {n}"),
        Call(
            "one-head",
            "multi_head_attention",
            (rng.normal(size=(5, 4)), *w4, 1),
            label="one head, d_model = 4",
        ),
        Call(
            "two-heads",
            "multi_head_attention",
            (x8, *w8, 2),
            label=f"two heads, d_model = 8, n = {n}",
        ),
        Call(
            "four-heads",
            "multi_head_attention",
            (x12, *w12, 4),
            label=f"four heads, d_model = 12, n = {n}",
        ),
        Call(
            "dk1",
            "multi_head_attention",
            (rng.normal(size=(4, 6)), *w6, 6),
            label="six heads of width d_k = 1",
        ),
        Call(
            "large",
            "multi_head_attention",
            (60 * x8, *w8, 2),
            label="inputs scaled by 60 (scores in the hundreds)",
        ),
        Call(
            "causal",
            "multi_head_attention",
            (x12, *w12, 4, True),
            label=f"causal, four heads, n = {n}",
        ),
        Call(
            "causal-prefix",
            "multi_head_attention",
            (x12[:m], *w12, 4, True),
            label=f"causal, four heads, only the first {m} rows of the same X",
        ),
    ]


def _largest_score(g: Grader, key: str) -> float:
    x, wq, wk, _, _, h = (np.asarray(a, dtype=float) for a in g.args(key)[:6])
    n, d_model = x.shape
    d_k = d_model // int(h)
    q = (x @ wq).reshape(n, int(h), d_k).transpose(1, 0, 2)
    k = (x @ wk).reshape(n, int(h), d_k).transpose(1, 0, 2)
    return float(np.abs(q @ np.swapaxes(k, -1, -2)).max() / np.sqrt(d_k))


def grade(g: Grader) -> None:
    g.check_close("the causal mask for n = 1", "mask-1", points=0.5)
    g.check_close("the causal mask: True where j <= i", "mask", points=1)

    def boolean():
        dtype = np.asarray(g.output("mask")).dtype
        return None if dtype == np.bool_ else f"the mask has dtype {dtype}; it should be boolean"

    g.custom("the causal mask is boolean", boolean, points=0.5)
    g.check_close("one head is plain attention at full width", "one-head", points=1)
    g.check_close("two heads", "two-heads", points=1)
    g.check_close("four heads", "four-heads", points=1)
    g.check_close("heads of width 1", "dk1", points=0.5)
    # Inputs scaled by 60 give scores in the thousands: softmax is conditioned by their size.
    g.check_close("large scores", "large", rtol=conditioned(_largest_score(g, "large")), points=0.5)
    g.check_close("causal multi-head attention", "causal", points=2)

    def no_future():
        full = g.array("causal")
        prefix = g.array("causal-prefix")
        m = prefix.shape[0]
        gap = np.abs(full[:m] - prefix).max()
        if gap > 1e-6 * (1 + np.abs(full[:m]).max()):
            return (
                f"your first {m} output rows change by up to {gap:.3g} when the later rows of X are "
                "removed; with causal masking, output i may depend only on inputs 0, ..., i"
            )
        return None

    g.custom("causal outputs ignore every later token", no_future, points=2)


# --- known mistakes ------------------------------------------------------------------------
def _variant(mask="lower", *, mask_dtype=bool, **change):
    """Both functions, with one step done the wrong way (the attention uses its own mask)."""

    def causal_mask(n):
        return _mha_mask(n, mask).astype(mask_dtype)

    def multi_head_attention(X, W_q, W_k, W_v, W_o, h, causal=False):
        arrays = (np.asarray(a, dtype=float) for a in (X, W_q, W_k, W_v, W_o))
        return _mha(*arrays, h, causal, mask=mask, **change)

    return {"causal_mask": causal_mask, "multi_head_attention": multi_head_attention}


def _mha_mask(n, mask):
    ones = np.ones((n, n), dtype=bool)
    return {"lower": np.tril(ones), "upper": np.triu(ones), "strict": np.tril(ones, -1)}[mask]


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "causal-excludes-self",
            diagnosis=(
                "Your causal mask is j < i: a token may not attend to itself, so the first token "
                "may attend to nothing and its row is NaN."
            ),
            fix="Allow the diagonal: True where j <= i, np.tril(np.ones((n, n), dtype=bool)).",
            wrong=_variant("strict"),
        ),
        Mistake(
            "causal-upper",
            diagnosis="Your causal mask is the upper triangle, j >= i: every token attends to the future instead of the past.",
            fix="Use the lower triangle: np.tril, True where j <= i.",
            wrong=_variant("upper"),
        ),
        Mistake(
            "mask-not-boolean",
            diagnosis="causal_mask returns a float array of 0s and 1s; the mask should be boolean.",
            fix="np.tril(np.ones((n, n), dtype=bool)), or compare indices: j <= i.",
            # The values agree with the reference's; only the dtype tells.
            predicate=lambda g: np.asarray(g.output("mask")).dtype != np.bool_,
            cases=("mask", "mask-1"),
        ),
        Mistake(
            "heads-split-without-transpose",
            diagnosis=(
                "You reshape the (n, d_model) projections straight to (h, n, d_k): that cuts the "
                "matrix into the wrong pieces (rows of several tokens mixed into one head), and the "
                "merge undoes it the same wrong way."
            ),
            fix="Reshape to (n, h, d_k), then transpose(1, 0, 2); merge with transpose(1, 0, 2) before reshaping to (n, d_model).",
            wrong=_variant(split=False, merge=False),
        ),
        Mistake(
            "scaled-by-d-model",
            diagnosis="Each head divides its scores by sqrt(d_model); the scale is sqrt(d_k), the head width d_model / h.",
            fix="d_k = d_model // h; scores = Q @ K^T / np.sqrt(d_k).",
            wrong=_variant(scale="model"),
        ),
        Mistake(
            "no-max-shift",
            diagnosis="You exponentiate the scores as they are: scores in the thousands overflow exp, and inf / inf is NaN.",
            fix="Subtract each row's maximum score before np.exp.",
            wrong=_variant(shift=False),
        ),
        Mistake(
            "output-projection-missing",
            diagnosis="You return the concatenated heads without the output projection W_o.",
            fix="Finish with concatenated @ W_o.",
            wrong=_variant(output=False),
        ),
    ]


def figures(g: Grader) -> None:
    g.figure(
        plots.heatmap_pair(
            g.try_array("causal"),
            np.asarray(g.expected("causal")),
            title="causal four-head attention: output rows (tokens) by features",
        )
    )
    n = g.arg("causal").shape[0]
    mask = g.try_array("mask", shape=(n, n))
    g.figure(
        plots.heatmap_pair(
            None if mask is None else mask.astype(float),
            np.asarray(g.expected("mask"), dtype=float),
            title="the causal mask: row i may attend to columns j <= i",
            colorscale="Blues",
        )
    )
