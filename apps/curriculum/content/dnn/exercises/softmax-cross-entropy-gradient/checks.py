import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, conditioned, plots

# One logit exceeds the others by 800, and the label is elsewhere: the label's probability
# e^-800 underflows to exactly 0 in float64, although the loss (about 800) is an ordinary number.
OVERWHELMING = np.array([[800.0, 0.0, 1.0], [2.0, 0.0, -800.0], [0.0, 800.0, 0.5]])
OVERWHELMING_LABELS = np.array([1, 2, 0])


def _loss(Z, labels):
    m = Z.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(Z - m).sum(axis=1))
    return float(np.mean(lse - Z[np.arange(Z.shape[0]), labels]))


def cases(rng: np.random.Generator) -> list[Call]:
    n, k = int(rng.integers(5, 10)), int(rng.integers(3, 7))
    dominant = rng.normal(size=(4, 5))
    dominant[np.arange(4), [0, 1, 2, 3]] += 500.0
    return [
        Call(
            "batch",
            "softmax_cross_entropy_grad",
            (rng.normal(scale=2.0, size=(n, k)), rng.integers(0, k, size=n)),
            label=f"a batch of {n} samples with {k} classes",
        ),
        Call(
            "large",
            "softmax_cross_entropy_grad",
            (1000.0 + rng.normal(size=(3, 4)), np.array([0, 1, 3])),
            label="logits near 1000",
        ),
        Call(
            "negative",
            "softmax_cross_entropy_grad",
            (-1000.0 + rng.normal(size=(3, 4)), np.array([2, 2, 1])),
            label="logits near -1000",
        ),
        Call(
            "dominant",
            "softmax_cross_entropy_grad",
            (dominant, np.array([0, 2, 2, 4])),
            label="rows where one logit exceeds the others by 500, half of them the wrong class",
        ),
        Call(
            "overwhelming",
            "softmax_cross_entropy_grad",
            (OVERWHELMING, OVERWHELMING_LABELS),
            label="rows where another class's logit exceeds the label's by 800",
        ),
        Call(
            "one",
            "softmax_cross_entropy_grad",
            (rng.normal(size=(1, 3)), np.array([2])),
            label="a batch of one sample",
        ),
        Call(
            "binary",
            "softmax_cross_entropy_grad",
            (rng.normal(size=(6, 2)), np.array([0, 1, 1, 0, 1, 0])),
            label="two classes",
        ),
    ]


def _rows_sum_to_zero(g: Grader):
    def run():
        got = g.array("batch", 1)
        sums = got.sum(axis=1)
        if not np.allclose(sums, 0.0, atol=1e-6 * max(1.0, float(np.abs(got).max()))):
            worst = float(sums[int(np.argmax(np.abs(sums)))])
            return (
                "each row of dZ should sum to 0 (the probabilities sum to 1 and so does the "
                f"one-hot row), but one row sums to {worst:.6g}"
            )
        return None

    return run


def _rtol(g: Grader, key: str) -> float:
    # Loss and gradient are as well conditioned as softmax: about the largest |logit|.
    return conditioned(np.abs(g.arg(key, 0)).max())


def grade(g: Grader) -> None:
    Z, labels = (np.asarray(a) for a in g.args("batch"))
    g.check_close("the loss on a batch", "batch", 0, points=1)
    g.check_gradient(
        "dZ matches finite differences",
        "batch",
        lambda z: _loss(z, labels),
        Z,
        1,
        eps=1e-6,
        rtol=1e-4,
        atol=1e-8,
        points=2,
    )
    g.check_close("dZ on a batch", "batch", 1, points=1)
    g.custom("each row of dZ sums to zero", _rows_sum_to_zero(g), points=1)
    for key in ("large", "negative", "dominant", "overwhelming"):
        description = g.call(key).description
        g.check_close(f"the loss for {description}", key, 0, rtol=_rtol(g, key), points=0.5)
        g.check_close(f"dZ for {description}", key, 1, rtol=_rtol(g, key), points=0.5)
    g.check_close("dZ for a batch of one sample", "one", 1, points=0.5)
    g.check_close("dZ with two classes", "binary", 1, points=0.5)


# --- known mistakes ------------------------------------------------------------------------
def _log_probs(Z):
    Z = np.asarray(Z, dtype=float)
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _variant(loss_of, grad_of):
    def wrong(Z, labels):
        Z, labels = np.asarray(Z, dtype=float), np.asarray(labels, dtype=int)
        rows = np.arange(Z.shape[0])
        logp = _log_probs(Z)
        onehot = np.zeros_like(Z)
        onehot[rows, labels] = 1.0
        return loss_of(Z, logp, rows, labels), grad_of(Z, np.exp(logp), onehot, labels)

    return wrong


def _mean_loss(Z, logp, rows, labels):
    return -float(logp[rows, labels].mean())


def _right_grad(Z, P, Y, labels):
    return (P - Y) / Z.shape[0]


def _naive_probs(Z):
    return np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)


def _column_onehot(Z, P, Y, labels):
    dZ = P.copy()
    dZ[:, labels] -= 1.0
    return dZ / Z.shape[0]


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "gradient-not-averaged",
            diagnosis=(
                "Your dZ is P - Y, the gradient of the summed loss: it is N times too large, "
                "because the loss is a mean over the N samples."
            ),
            fix="Divide by the batch size: dZ = (P - Y) / N.",
            wrong=_variant(_mean_loss, lambda Z, P, Y, labels: P - Y),
        ),
        Mistake(
            "loss-summed",
            diagnosis="Your loss is the sum over the batch, not the mean: it is N times too large.",
            fix="Average over the N samples: -logp[np.arange(N), labels].mean().",
            wrong=_variant(
                lambda Z, logp, rows, labels: -float(logp[rows, labels].sum()), _right_grad
            ),
        ),
        Mistake(
            "gradient-sign",
            diagnosis="Your dZ is (Y - P) / N, the negative of the gradient.",
            fix="dZ = (P - Y) / N: probabilities minus the one-hot labels.",
            wrong=_variant(_mean_loss, lambda Z, P, Y, labels: (Y - P) / Z.shape[0]),
        ),
        Mistake(
            "onehot-columns",
            diagnosis=(
                "You subtract the one-hot part with P[:, labels] -= 1, which subtracts 1 in "
                "every row at every label of the batch, not once per row at its own label."
            ),
            fix="Index the (row, label) pairs: P[np.arange(N), labels] -= 1.",
            wrong=_variant(_mean_loss, _column_onehot),
        ),
        Mistake(
            "naive-softmax",
            diagnosis=(
                "You exponentiate the logits as they are: np.exp(1000) overflows to inf and "
                "np.exp(-1000) underflows to 0, so the probabilities, the loss and dZ become NaN."
            ),
            fix=(
                "Subtract each row's maximum first: Z - Z.max(axis=1, keepdims=True); take the "
                "loss from the log-probabilities shifted - log(sum(exp(shifted)))."
            ),
            wrong=_variant(
                lambda Z, logp, rows, labels: (
                    -float(np.mean(np.log(_naive_probs(Z)[rows, labels])))
                ),
                lambda Z, P, Y, labels: (_naive_probs(Z) - Y) / Z.shape[0],
            ),
        ),
        Mistake(
            "log-of-probability",
            diagnosis=(
                "You compute the softmax stably but the loss as -log P[n, y_n]: when another "
                "class's logit exceeds the label's by more than about 745, P[n, y_n] underflows "
                "to 0 and the loss becomes inf."
            ),
            fix=(
                "Take the loss from log-probabilities computed directly, "
                "shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)) (log-sum-exp)."
            ),
            wrong=_variant(
                lambda Z, logp, rows, labels: -float(np.mean(np.log(np.exp(logp)[rows, labels]))),
                _right_grad,
            ),
        ),
    ]


def figures(g: Grader) -> None:
    ref = np.asarray(g.expected("batch", 1))
    yours = g.try_array("batch", 1)
    label = int(np.asarray(g.arg("batch", 1))[0])
    g.figure(
        plots.compare_bars(
            [f"class {k}" + (" (label)" if k == label else "") for k in range(ref.shape[1])],
            None if yours is None else yours[0],
            ref[0],
            title="∂L/∂Z for the first sample: negative at the label, positive elsewhere",
            y_label="gradient",
        )
    )
