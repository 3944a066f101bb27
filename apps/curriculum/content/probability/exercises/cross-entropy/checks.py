import numpy as np

from apps.sandbox.grading import Call, Grader, plots

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


def grade(g: Grader) -> None:
    g.check_close(
        "matches the definition on a random batch",
        "batch",
        rtol=1e-6,
        points=2,
        hint="Average -log softmax(z)_y over the rows, picking each row's own label",
    )
    g.check_close("works for one sample and for two classes", "binary", rtol=1e-6)

    def mean_not_sum():
        n = g.arg("batch", 1).shape[0]
        got = g.scalar("batch")
        ref = g.expected("batch")
        if np.isclose(got, n * ref, rtol=1e-6) and n > 1:
            return (
                f"on a batch of {n} samples you returned {got:.6g}, which is {n} times the "
                f"correct {ref:.6g}: the loss is the mean over the batch, not the sum"
            )
        return None if np.isclose(got, ref, rtol=1e-6) else f"expected {ref:.6g}, got {got:.6g}"

    g.custom("is the mean over the batch", mean_not_sum)
    g.check_close(
        "a confident wrong prediction costs about 800 nats",
        "confident-wrong",
        rtol=1e-9,
        points=2,
        hint="log softmax(z)_y = z_y - logsumexp(z); never take the log of a probability that rounded to 0",
    )
    g.check_close(
        "stable for logits near 1000",
        "large",
        rtol=1e-6,
        points=2,
        hint="Subtract the row maximum inside the log-sum-exp: log sum_j e^{z_j} = m + log sum_j e^{z_j - m}",
    )

    def scaled():
        bad = [
            s
            for s in SCALES
            if not np.isclose(
                g.scalar(f"scale-{s:g}"), g.expected(f"scale-{s:g}"), rtol=1e-6, atol=1e-9
            )
        ]
        if bad:
            s = bad[0]
            return (
                f"on the fixed batch multiplied by {s:g} the loss should be "
                f"{g.expected(f'scale-{s:g}'):.6g}, but you returned {g.scalar(f'scale-{s:g}'):.6g}"
            )
        return None

    g.custom("correct at every logit scale from 0.1 to 1000", scaled, points=2)


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
