import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

SCALES = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)


def cases(rng: np.random.Generator) -> list[Call]:
    n, k = int(rng.integers(5, 12)), int(rng.integers(3, 7))
    logits = rng.normal(scale=2.0, size=(n, k))
    labels = rng.integers(0, k, size=n)
    base = rng.normal(size=(8, k))
    base_labels = rng.integers(0, k, size=8)
    calls = [
        Call(
            "batch",
            "cross_entropy",
            (logits, labels),
            label=f"a random batch of {n} samples and {k} classes",
        ),
        Call("single", "cross_entropy", (logits[:1], labels[:1]), label="a single sample (N = 1)"),
        Call(
            "binary",
            "cross_entropy",
            (rng.normal(size=(6, 2)), rng.integers(0, 2, size=6)),
            label="two classes (K = 2)",
        ),
        Call(
            "confident-wrong",
            "cross_entropy",
            (np.array([[800.0, 0.0, 0.0]]), np.array([2])),
            label="logits [800, 0, 0] with correct class 2",
        ),
        Call(
            "large",
            "cross_entropy",
            (1000.0 + rng.normal(size=(4, k)), rng.integers(0, k, size=4)),
            label="logits near 1000",
        ),
        # Deterministic stress cases: rows a thousand apart, and a correct class so far below
        # the others that its probability underflows to 0 (its loss is still finite).
        Call(
            "apart",
            "cross_entropy",
            (np.array([[0.0, 1.0, 2.0], [-1000.0, -999.0, -998.0]]), np.array([1, 2])),
            label="rows [0, 1, 2] and [-1000, -999, -998] with classes 1 and 2",
        ),
        Call(
            "underflow",
            "cross_entropy",
            (np.array([[-800.0, 0.0, 0.0], [1.0, 2.0, 3.0]]), np.array([0, 2])),
            label="rows [-800, 0, 0] (correct class 0) and [1, 2, 3] (class 2)",
        ),
    ]
    for s in SCALES:
        calls.append(
            Call(
                f"scale-{s:g}",
                "cross_entropy",
                (s * base, base_labels),
                label=f"a fixed batch of logits multiplied by {s:g}",
            )
        )
    return calls


def _atol(g: Grader, key: str) -> float:
    # The loss is a difference of terms as large as the largest |logit|, each rounded by about
    # |z| x 6e-8 in float32: the tolerance grows with it, absolutely.
    return max(1e-8, 8 * 2.0**-24 * float(np.abs(g.arg(key)).max()))


def grade(g: Grader) -> None:
    g.check_close("matches the definition on a random batch", "batch", points=2)
    g.check_close_all("works for one sample and for two classes", ["single", "binary"])
    g.check_close("a confident wrong prediction costs about 800 nats", "confident-wrong", points=2)
    g.check_close("stable for logits near 1000", "large", atol=_atol(g, "large"), points=2)
    g.check_close("each row shifted by its own maximum", "apart", atol=_atol(g, "apart"))
    g.check_close(
        "a probability that underflows still has a finite loss",
        "underflow",
        atol=_atol(g, "underflow"),
    )
    g.check_close_all(
        "correct at every logit scale from 0.1 to 100",
        [f"scale-{s:g}" for s in SCALES if s <= 100],
        points=1,
    )
    for s in (300.0, 1000.0):
        g.check_close(
            f"correct at logit scale {s:g}",
            f"scale-{s:g}",
            atol=_atol(g, f"scale-{s:g}"),
            points=0.5,
        )


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _parts(logits, labels):
    logits = np.asarray(logits, dtype=float)
    labels = np.asarray(labels, dtype=int)
    return logits, labels, logits[np.arange(logits.shape[0]), labels]


def _row_lse(logits):
    m = logits.max(axis=-1, keepdims=True)
    return m[:, 0] + np.log(np.exp(logits - m).sum(axis=-1))


def _log_of_softmax(logits, labels):
    logits, labels, _ = _parts(logits, labels)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        probs = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
        return float(-np.mean(np.log(probs[np.arange(len(labels)), labels])))


def _unshifted(logits, labels):
    logits, labels, picked = _parts(logits, labels)
    with np.errstate(over="ignore"):
        return float(np.mean(np.log(np.exp(logits).sum(axis=-1)) - picked))


def _global_max(logits, labels):
    logits, labels, picked = _parts(logits, labels)
    m = logits.max()
    with np.errstate(divide="ignore"):
        return float(np.mean(m + np.log(np.exp(logits - m).sum(axis=-1)) - picked))


def _no_add_back(logits, labels):
    logits, labels, picked = _parts(logits, labels)
    m = logits.max(axis=-1, keepdims=True)
    return float(np.mean(np.log(np.exp(logits - m).sum(axis=-1)) - picked))


def _column_indexing(logits, labels):
    logits, labels, _ = _parts(logits, labels)
    return float(np.mean(_row_lse(logits)[:, None] - logits[:, labels]))


def _per_sample(logits, labels):
    logits, labels, picked = _parts(logits, labels)
    return _row_lse(logits) - picked


def _sign_flipped(logits, labels):
    logits, labels, picked = _parts(logits, labels)
    return float(np.mean(picked - _row_lse(logits)))


def _sum_not_mean(logits, labels):
    logits, labels, picked = _parts(logits, labels)
    return float(np.sum(_row_lse(logits) - picked))


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "log-of-softmax",
            diagnosis=(
                "You compute the softmax probabilities first and then take their logarithm: "
                "np.exp(800) overflows to inf (inf / inf is NaN), and a probability such as "
                "e^-800 rounds to 0, whose logarithm is -inf."
            ),
            fix=(
                "Never form the probability: log softmax(z)_y = z_y - logsumexp(z), with the "
                "log-sum-exp computed as m + log(sum exp(z - m)), m the row maximum."
            ),
            wrong=_log_of_softmax,
        ),
        Mistake(
            "unshifted-logsumexp",
            diagnosis=(
                "You compute log(sum exp(z)) without subtracting the row maximum: logits in "
                "the hundreds overflow np.exp to inf, and the loss becomes inf."
            ),
            fix="Compute m + log(sum exp(z - m)) with m = z.max(axis=-1, keepdims=True).",
            wrong=_unshifted,
        ),
        Mistake(
            "global-max",
            diagnosis=(
                "You shift by the maximum of the whole batch, not of each row: a row far below "
                "the batch maximum underflows to exp(...) = 0 and its log-sum-exp to -inf."
            ),
            fix="Take each row's own maximum: logits.max(axis=-1, keepdims=True).",
            wrong=_global_max,
        ),
        Mistake(
            "no-add-back-max",
            diagnosis=(
                "You subtract the row maximum m inside the log-sum-exp but do not add it back: "
                "log sum exp(z - m) is logsumexp(z) - m, so each row's loss is off by its maximum."
            ),
            fix="logsumexp(z) = m + log(sum exp(z - m)): add m back.",
            wrong=_no_add_back,
        ),
        Mistake(
            "column-indexing",
            diagnosis=(
                "You pick the correct-class logits with logits[:, labels], an (N, N) table of "
                "every row at every label, and average all of it instead of one entry per row."
            ),
            fix="Pick one entry per row: logits[np.arange(N), labels].",
            wrong=_column_indexing,
        ),
        Mistake(
            "per-sample",
            diagnosis=(
                "You return the N per-sample losses, an array of shape (N,), instead of "
                "their mean, one float."
            ),
            fix="Finish with .mean().",
            wrong=_per_sample,
        ),
        Mistake(
            "sign-flipped",
            diagnosis=(
                "You return the mean log-likelihood z_y - logsumexp(z), the negative of the "
                "loss: your losses are never positive."
            ),
            fix="The loss is -log softmax(z)_y = logsumexp(z) - z_y.",
            wrong=_sign_flipped,
        ),
        Mistake(
            "sum-not-mean",
            diagnosis=(
                "You sum the per-sample losses instead of averaging them, so the loss is N "
                "times too large for a batch of N samples."
            ),
            fix="Divide by N: use .mean() instead of .sum().",
            wrong=_sum_not_mean,
        ),
    ]


def figures(g: Grader) -> None:
    yours = []
    for s in SCALES:
        value = g.try_array(f"scale-{s:g}", shape=())
        yours.append(None if value is None or not np.isfinite(value) else float(value))
    ref = [g.expected(f"scale-{s:g}") for s in SCALES]
    fig = plots.compare_lines(
        np.array(SCALES),
        None,
        np.array(ref),
        title="cross-entropy of one batch as its logits are scaled",
        x_label="scale of the logits",
        y_label="loss (nats)",
        log_y=True,
    )
    fig.add_scatter(
        x=list(SCALES),
        y=yours,
        name="yours",
        mode="lines+markers",
        line={"color": plots.LEARNER, "dash": "dash"},
    )
    fig.update_xaxes(type="log")
    g.figure(fig)
