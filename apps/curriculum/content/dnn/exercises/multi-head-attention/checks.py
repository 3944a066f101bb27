import numpy as np

from apps.sandbox.grading import Call, Grader, plots


def _mha(
    x, wq, wk, wv, wo, h, causal, *, scale="head", split=True, merge=True, output=True, mask="lower"
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
        }[mask]
        scores = np.where(allowed, scores, -np.inf)
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


def grade(g: Grader) -> None:
    def masks():
        for key in ("mask-1", "mask"):
            expected = np.asarray(g.expected(key))
            got = g.array(key)
            if got.shape == expected.shape and np.array_equal(got.astype(bool), expected):
                continue
            n = expected.shape[0]
            if np.array_equal(got.astype(bool), expected.T):
                return "your mask is upper triangular: row i must allow the keys j <= i (the past), not j >= i"
            if np.array_equal(got.astype(bool), np.tril(np.ones((n, n), dtype=bool), -1)):
                return "your mask forbids the diagonal: a token may attend to itself (j <= i, not j < i)"
            return f"for n = {n} the mask is np.tril of ones, True where j <= i; yours differs"
        return None

    g.custom("the causal mask: True where j <= i", masks, points=2)

    def attention(keys):
        def run():
            for key in keys:
                args = g.args(key)
                x, wq, wk, wv, wo, h = args[:6]
                causal = bool(args[6]) if len(args) > 6 else False
                expected = np.asarray(g.expected(key))
                got = g.array(key)
                # Inputs scaled by 60 give scores in the thousands: float32 rounding of about 1e-4.
                rtol = 1e-3 if key == "large" else 1e-5
                if np.allclose(
                    got, expected, rtol=rtol, atol=1e-7 * max(1.0, float(np.abs(expected).max()))
                ):
                    continue
                where = g.call(key).description
                if not np.all(np.isfinite(got)):
                    if causal and not np.all(np.isfinite(got[0])) and np.all(np.isfinite(got[1:])):
                        return (
                            f"on {where} your first output row is NaN: the first token may attend to nothing, "
                            "which happens when the mask forbids the diagonal; allow j <= i"
                        )
                    return f"on {where} your output has NaN or infinity: subtract each row's maximum score before np.exp"
                variants = {
                    "scale by 1/sqrt(d_k) with the head width d_k = d_model / h, not by 1/sqrt(d_model)": {
                        "scale": "model"
                    },
                    "the heads are cut wrongly: reshape to (n, h, d_k) and move the head axis first, "
                    "so that head r gets consecutive columns": {"split": False},
                    "the heads are merged wrongly: move the head axis back, transpose(1, 0, 2), before "
                    "reshaping to (n, d_model)": {"merge": False},
                    "the output projection W_o is missing": {"output": False},
                }
                if causal:
                    variants["the mask lets tokens see the future: allow j <= i"] = {
                        "mask": "upper"
                    }
                    variants["the causal mask is missing"] = {"mask": "lower", "_nocausal": True}
                for why, change in variants.items():
                    change = dict(change)
                    off = change.pop("_nocausal", False)
                    value = _mha(x, wq, wk, wv, wo, h, causal and not off, **change)
                    if np.allclose(got, value, rtol=1e-5, atol=1e-7):
                        return f"on {where}: {why}"
                worst = np.unravel_index(int(np.argmax(np.abs(got - expected))), got.shape)
                return (
                    f"on {where} your output differs at index {tuple(int(i) for i in worst)}: expected "
                    f"{expected[worst]:.6g}, got {got[worst]:.6g}"
                )
            return None

        return run

    g.custom("one head is plain attention at full width", attention(("one-head",)))
    g.custom("two and four heads", attention(("two-heads", "four-heads")), points=2)
    g.custom("heads of width 1, and large scores", attention(("dk1", "large")))
    g.custom("causal multi-head attention", attention(("causal",)), points=2)

    def no_future():
        full = g.array("causal")
        prefix = g.array("causal-prefix")
        m = prefix.shape[0]
        gap = np.abs(full[:m] - prefix).max()
        if gap > 1e-6 * (1 + np.abs(full[:m]).max()):
            return (
                f"your first {m} output rows change by up to {gap:.3g} when the later rows of X are removed: "
                "with causal masking, output i may depend only on inputs 0, ..., i"
            )
        return None

    g.custom("causal outputs ignore every later token", no_future, points=2)


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
