import numpy as np

from apps.sandbox.grading import Call, Grader, plots

QS = np.linspace(0.0, 1.0, 41)


def cases(rng: np.random.Generator) -> list[Call]:
    k = int(rng.integers(3, 9))
    n = int(rng.integers(4, 10))
    zeros = np.array([[0.5, 0.5, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 0.25, 0.0, 0.75]])
    sparse = rng.dirichlet(np.ones(k), size=n)
    sparse[rng.random(size=sparse.shape) < 0.3] = 0.0
    sparse[:, 0] += 1e-3
    sparse /= sparse.sum(axis=-1, keepdims=True)
    return [
        Call(
            "vector",
            "entropy",
            (rng.dirichlet(np.ones(k)),),
            label=f"a random distribution over {k} outcomes",
        ),
        Call(
            "batch",
            "entropy",
            (rng.dirichlet(np.full(k, 0.7), size=n),),
            label=f"a batch of shape ({n}, {k})",
        ),
        Call(
            "uniform",
            "entropy",
            (np.full(k, 1.0 / k),),
            label=f"the uniform distribution over {k} outcomes",
        ),
        Call(
            "zeros", "entropy", (zeros,), label="[[1/2, 1/2, 0, 0], [1, 0, 0, 0], [0, 1/4, 0, 3/4]]"
        ),
        Call("sparse", "entropy", (sparse,), label="random distributions with zero entries"),
        Call(
            "binary",
            "entropy",
            (np.stack([QS, 1.0 - QS], axis=-1),),
            label="the sweep [q, 1 - q] for q in [0, 1]",
        ),
    ]


def grade(g: Grader) -> None:
    g.check_close("matches the definition on one distribution", "vector", rtol=1e-9, points=2)

    def nats():
        k = g.arg("uniform").shape[-1]
        got = g.scalar("uniform")
        if np.isclose(got, np.log2(k)):
            return (
                f"for the uniform distribution over {k} outcomes you returned {got:.6g} = log2({k}), "
                f"the entropy in bits; this course measures entropy in nats, log({k}) = {np.log(k):.6g}"
            )
        return (
            None
            if np.isclose(got, np.log(k))
            else f"the uniform distribution over {k} outcomes should give log {k} = {np.log(k):.6g}, got {got:.6g}"
        )

    g.custom(
        "measured in nats: uniform over K gives log K",
        nats,
        points=2,
        hint="np.log is the natural logarithm; np.log2 gives bits",
    )
    g.check_close(
        "applies over the last axis of a batch",
        "batch",
        rtol=1e-9,
        hint="Sum with axis=-1 so each row gives its own entropy; the result has shape (N,)",
    )
    g.check_close(
        "0 log 0 counts as 0",
        "zeros",
        rtol=1e-9,
        points=2,
        hint="0 * log(0) is 0 * -inf = nan in NumPy; take the log only where p > 0",
    )
    g.check_close("handles zeros inside random distributions", "sparse", rtol=1e-9)
    g.check_close("binary entropy from q = 0 to q = 1", "binary", rtol=1e-9)


def figures(g: Grader) -> None:
    yours = g.try_array("binary")
    if yours is not None:
        yours = np.where(np.isfinite(yours), yours, np.nan)
    fig = plots.compare_lines(
        QS,
        yours,
        g.expected("binary"),
        title="entropy of a coin that lands heads with probability q",
        x_label="q",
        y_label="H (nats)",
    )
    fig.add_hline(
        y=float(np.log(2)),
        line={"color": plots.NEUTRAL, "dash": "dot"},
        annotation_text="log 2 ≈ 0.693 nats",
    )
    g.figure(fig)
