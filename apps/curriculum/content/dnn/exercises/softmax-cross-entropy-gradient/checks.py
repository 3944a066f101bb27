import numpy as np

from apps.sandbox.grading import Call, Grader, plots
from apps.sandbox.grading.grader import CheckFailed

STABLE = "subtract the row maximum from the logits before exponentiating (log-sum-exp), so nothing overflows"


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
            (1000.0 + rng.normal(size=(3, 4)), rng.integers(0, 4, size=3)),
            label="logits near 1000",
        ),
        Call(
            "negative",
            "softmax_cross_entropy_grad",
            (-1000.0 + rng.normal(size=(3, 4)), rng.integers(0, 4, size=3)),
            label="logits near -1000",
        ),
        Call(
            "dominant",
            "softmax_cross_entropy_grad",
            (dominant, np.array([0, 2, 2, 4])),
            label="rows where one logit exceeds the others by 500, half of them the wrong class",
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
            (rng.normal(size=(6, 2)), rng.integers(0, 2, size=6)),
            label="two classes",
        ),
    ]


def _not_scaled(g: Grader):
    def run():
        got = g.array("batch", 1)
        ref = np.asarray(g.expected("batch", 1))
        n = ref.shape[0]
        if np.allclose(got, n * ref, rtol=1e-6, atol=1e-10):
            raise CheckFailed(
                f"your dZ is exactly N = {n} times too large: the loss is a mean over the batch, so dZ = (P - Y) / N"
            )
        return None

    return run


def _rows_sum_to_zero(g: Grader):
    def run():
        got = g.array("batch", 1)
        sums = got.sum(axis=1)
        if not np.allclose(sums, 0.0, atol=1e-9):
            worst = float(sums[int(np.argmax(np.abs(sums)))])
            return (
                f"each row of dZ should sum to 0 (the probabilities sum to 1 and the one-hot row sums to 1), "
                f"but one row sums to {worst:.6g}; did you subtract 1 at the label?"
            )
        return None

    return run


def grade(g: Grader) -> None:
    Z, labels = (np.asarray(a) for a in g.args("batch"))
    g.check_close(
        "the loss on a batch",
        "batch",
        0,
        rtol=1e-6,
        atol=1e-9,
        points=1,
        hint="The loss is the mean over samples of log-sum-exp of the row minus the logit of the label, in nats",
    )
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
        hint="dL/dZ = (softmax(Z) - onehot(labels)) / N",
    )
    g.custom("dZ is averaged over the batch", _not_scaled(g), points=1)
    g.custom("each row of dZ sums to zero", _rows_sum_to_zero(g), points=1)
    for key in ("large", "negative", "dominant"):
        g.check_close(
            f"the loss for {g.call(key).description}",
            key,
            0,
            rtol=1e-6,
            atol=1e-9,
            points=0.5,
            hint=STABLE,
        )
        g.check_close(
            f"dZ for {g.call(key).description}",
            key,
            1,
            rtol=1e-6,
            atol=1e-12,
            points=0.5,
            hint=STABLE,
        )
    g.check_close("dZ for a batch of one sample", "one", 1, rtol=1e-6, atol=1e-12, points=0.5)
    g.check_close("dZ with two classes", "binary", 1, rtol=1e-6, atol=1e-12, points=0.5)


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
