import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, plots


def _softmax(s):
    s = s - s.max(axis=-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=-1, keepdims=True)


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


def _variants(q, k, v):
    """Outputs and weights of common wrong versions, unmasked, for naming mistakes."""
    raw = q @ np.swapaxes(k, -1, -2)
    d = q.shape[-1]
    out = {}
    for why, scores in (
        ("the scores are not divided by sqrt(d_k)", raw),
        ("the scores are divided by d_k; divide by sqrt(d_k)", raw / d),
    ):
        w = _softmax(scores)
        out[why] = (w @ v, w)
    column = np.exp(raw / np.sqrt(d) - (raw / np.sqrt(d)).max(axis=-2, keepdims=True))
    column = column / column.sum(axis=-2, keepdims=True)
    out[
        "the softmax runs over the queries (columns sum to 1); take it along the last axis, over the keys"
    ] = (
        column @ v,
        column,
    )
    return out


def grade(g: Grader) -> None:
    def close(key, part):
        expected = np.asarray(g.expected(key, part))
        got = g.array(key, part)
        # Scores in the hundreds carry float32 rounding of about 1e-5 into the weights.
        rtol = 1e-4 if key == "large" else 1e-5
        return got, expected, np.allclose(got, expected, rtol=rtol, atol=1e-7)

    def unmasked(keys):
        def run():
            for key in keys:
                for part, name in ((1, "weights"), (0, "output")):
                    try:
                        got, expected, ok = close(key, part)
                    except CheckFailed as failure:
                        if key == "stack":
                            raise CheckFailed(
                                f"{failure}. K.T reverses every axis of a stack; transpose only the last two "
                                "with np.swapaxes(K, -1, -2)"
                            ) from None
                        raise
                    if ok:
                        continue
                    where = g.call(key).description
                    if not np.all(np.isfinite(got)):
                        return (
                            f"on {where} your {name} contain NaN or infinity: exponentials of large scores overflow; "
                            "subtract each row's maximum score before np.exp"
                        )
                    q, k, v = g.args(key)[:3]
                    for why, value in _variants(q, k, v).items():
                        if np.allclose(got, value[part], rtol=1e-5, atol=1e-7):
                            return f"on {where}: {why}"
                    worst = np.unravel_index(int(np.argmax(np.abs(got - expected))), got.shape)
                    return (
                        f"on {where} your {name} differ at index {tuple(int(i) for i in worst)}: expected "
                        f"{expected[worst]:.6g}, got {got[worst]:.6g}"
                    )
            return None

        return run

    g.custom(
        "attention on single matrices, and the lesson's example",
        unmasked(("single", "lesson")),
        points=2,
    )
    g.custom("works on a stack of matrices (batch and heads)", unmasked(("stack",)))
    g.custom("stable for scores in the hundreds", unmasked(("large",)), points=2)
    g.custom("identical keys get equal weights; d_k = 1", unmasked(("ties", "d1")))

    def masked(keys):
        def run():
            for key in keys:
                q, k, _, mask = g.args(key)
                allowed = np.broadcast_to(mask, g.expected(key, 1).shape)
                for part, name in ((1, "weights"), (0, "output")):
                    got, expected, ok = close(key, part)
                    if ok:
                        continue
                    where = g.call(key).description
                    if part == 1 and np.any(got[~allowed] != 0):
                        return f"on {where} some forbidden pairs have nonzero weight: set their scores to -inf before the softmax"
                    unmasked_w = _softmax(q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1]))
                    if part == 1 and np.allclose(got, unmasked_w * allowed, rtol=1e-5, atol=1e-7):
                        return (
                            f"on {where} you zeroed the forbidden weights after the softmax, so the rows no longer sum "
                            "to 1; mask the scores before the softmax instead"
                        )
                    worst = np.unravel_index(int(np.argmax(np.abs(got - expected))), got.shape)
                    return (
                        f"on {where} your {name} differ at index {tuple(int(i) for i in worst)}: expected "
                        f"{expected[worst]:.6g}, got {got[worst]:.6g}"
                    )
            return None

        return run

    g.custom("a causal mask", masked(("causal",)), points=2)
    g.custom("a padding mask that broadcasts over the queries", masked(("padding",)))

    def empty_row():
        got_w = g.array("empty", 1)
        got_o = g.array("empty", 0)
        if not np.all(np.isfinite(got_w[2])) or not np.all(np.isfinite(got_o[2])):
            return (
                "the third query may attend to nothing, and your row is NaN: every score is -inf, so the row maximum "
                "is -inf and -inf - (-inf) is NaN; give such rows zero weights and a zero output"
            )
        if np.any(got_w[2] != 0) or np.any(got_o[2] != 0):
            return "the third query may attend to nothing: its weights and its output row must be exactly zero"
        _, _, ok = close("empty", 1)
        _, _, ok_out = close("empty", 0)
        if not (ok and ok_out):
            return "the rows with allowed keys are wrong: each must be a softmax over its allowed keys only"
        return None

    g.custom("a row with no allowed key gives zeros, not NaN", empty_row, points=2)

    def rows_sum():
        got = g.array("stack", 1)
        sums = got.sum(axis=-1)
        if not np.allclose(sums, 1.0, atol=1e-6):
            worst = float(sums.flat[int(np.argmax(np.abs(sums - 1)))])
            return f"every row of the weights must sum to 1 (a distribution over keys), but one sums to {worst:.6g}"
        return None

    g.custom("every row of weights sums to one", rows_sum)


def figures(g: Grader) -> None:
    g.figure(
        plots.heatmap_pair(
            g.try_array("causal", 1),
            np.asarray(g.expected("causal", 1)),
            title="attention weights under a causal mask (query i, key j)",
            colorscale="Blues",
        )
    )
