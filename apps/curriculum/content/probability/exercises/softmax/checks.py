import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, conditioned, plots

ROWS_APART = np.array([[1000.0, 999.0, 998.0], [0.0, 1.0, 2.0], [-1000.0, -999.0, -998.0]])


def cases(rng: np.random.Generator) -> list[Call]:
    k = int(rng.integers(3, 8))
    n = int(rng.integers(4, 9))
    if n == k:  # a square batch would let a sum over the wrong axis keep the right shape
        n += 1
    return [
        Call("vector", "softmax", (rng.normal(size=k),), label="a random vector of logits"),
        Call(
            "batch",
            "softmax",
            (rng.normal(scale=3.0, size=(n, k)),),
            label="a batch of logits, shape (N, K)",
        ),
        Call("large", "softmax", (1000.0 + rng.normal(size=(2, k)),), label="logits near 1000"),
        Call("negative", "softmax", (-1000.0 + rng.normal(size=k),), label="logits near -1000"),
        # Deterministic stress cases: rows a thousand apart, a row spanning 1600, ties.
        Call("apart", "softmax", (ROWS_APART,), label="rows near 1000, near 0 and near -1000"),
        Call("spread", "softmax", (np.array([-800.0, 0.0, 800.0]),), label="[-800, 0, 800]"),
        Call("ties", "softmax", (np.full((2, 4), 7.0),), label="four equal logits in each row"),
        Call(
            "square",
            "softmax",
            (rng.normal(scale=2.0, size=(k, k)),),
            label=f"a square batch, shape ({k}, {k})",
        ),
        Call(
            "deep",
            "softmax",
            (rng.normal(size=(2, 3, k)),),
            label=f"logits with two leading axes, shape (2, 3, {k})",
        ),
        Call("shifted", "softmax", (np.array([2.0, 1.0, 0.1]) + 50.0,), label="[52, 51, 50.1]"),
    ]


def _rtol(g: Grader, key: str) -> float:
    # Softmax's relative condition number is about the largest |logit|: float32 rounds logits
    # near 1000 by 6e-5, and a correct float32 computation is off by that much.
    return conditioned(np.abs(g.arg(key)).max())


def grade(g: Grader) -> None:
    g.check_close("matches the formula on a vector", "vector", points=2)
    g.check_close("applies over the last axis of a batch", "batch", points=2)
    g.check_sums_to_one("every row sums to one", "batch", points=1)
    g.check_close("stable for logits near 1000", "large", rtol=_rtol(g, "large"), points=2)
    g.check_close("stable for logits near -1000", "negative", rtol=_rtol(g, "negative"), points=1)
    g.check_close("each row on its own scale", "apart", rtol=_rtol(g, "apart"), points=1)
    g.check_close("stable for widely spread logits", "spread", rtol=_rtol(g, "spread"), points=1)
    g.check_close("equal logits give equal probabilities", "ties", points=0.5)
    g.check_close("a square batch, row by row", "square", points=0.5)
    g.check_close("any number of leading axes", "deep", points=0.5)
    g.check_close("unchanged by adding a constant", "shifted", rtol=_rtol(g, "shifted"), points=0.5)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _no_shift(z):
    e = np.exp(np.asarray(z, dtype=float))
    return e / e.sum(axis=-1, keepdims=True)


def _shift_by(z, shift):
    e = np.exp(z - shift)
    return e / e.sum(axis=-1, keepdims=True)


def _first_axis(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _global_max(z):
    z = np.asarray(z, dtype=float)
    return _shift_by(z, z.max())


def _row_min(z):
    z = np.asarray(z, dtype=float)
    return _shift_by(z, z.min(axis=-1, keepdims=True))


def _global_sum(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum()


def _no_keepdims(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1))
    return e / e.sum(axis=-1)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "no-max-shift",
            diagnosis=(
                "You exponentiate the logits as they are: np.exp(1000) overflows to inf and "
                "inf / inf is NaN, while np.exp(-1000) underflows to 0 and 0 / 0 is NaN."
            ),
            fix=(
                "Subtract each row's maximum before exponentiating: "
                "z - z.max(axis=-1, keepdims=True). Softmax does not change when every logit "
                "of a row moves by the same amount."
            ),
            hints=(
                "Try your function on np.array([1000.0, 1001.0]) and look at np.exp of it.",
                "softmax(z - c) = softmax(z) for any constant c; which c keeps every exponent "
                "at most 0?",
            ),
            wrong=_no_shift,
        ),
        Mistake(
            "first-axis",
            diagnosis=(
                "You take the maximum and the sum over axis 0, so a batch is normalised down "
                "each column (across samples) instead of along each row."
            ),
            fix="Use axis=-1 with keepdims=True in both the maximum and the sum.",
            hints=("For a batch of shape (N, K), which axis holds the K classes of one sample?",),
            wrong=_first_axis,
        ),
        Mistake(
            "global-max",
            diagnosis=(
                "You subtract the maximum of the whole array, not of each row: a row far "
                "below the largest logit underflows to all zeros and 0 / 0 is NaN."
            ),
            fix="Subtract each row's own maximum: z.max(axis=-1, keepdims=True).",
            wrong=_global_max,
        ),
        Mistake(
            "row-min-shift",
            diagnosis=(
                "You subtract each row's minimum instead of its maximum: the largest exponent "
                "is then e^(max - min), which still overflows when a row's logits spread far."
            ),
            fix="Subtract the row maximum, so the largest exponent is e^0 = 1.",
            wrong=_row_min,
        ),
        Mistake(
            "global-sum",
            diagnosis=(
                "You divide by the sum over the whole array, so for a batch all the rows "
                "together sum to one instead of each row."
            ),
            fix="Divide by each row's sum: e.sum(axis=-1, keepdims=True).",
            wrong=_global_sum,
        ),
        Mistake(
            "no-keepdims",
            diagnosis=(
                "You reduce with axis=-1 but without keepdims=True: the row maxima and sums "
                "have shape (N,) and broadcast against the columns, not the rows (an error, "
                "or for a square batch wrong numbers)."
            ),
            fix="Pass keepdims=True to the max and the sum so they keep shape (N, 1).",
            wrong=_no_keepdims,
        ),
    ]


def figures(g: Grader) -> None:
    logits = g.arg("batch")[0]
    g.figure(
        plots.compare_bars(
            [f"class {k + 1}" for k in range(logits.shape[-1])],
            None if (yours := g.try_array("batch")) is None else yours[0],
            g.expected("batch")[0],
            title="softmax of the first row of the batch",
            y_label="probability",
        )
    )
