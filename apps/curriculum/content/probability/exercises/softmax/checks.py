import numpy as np

from apps.sandbox.grading import Call, Grader, plots


def cases(rng: np.random.Generator) -> list[Call]:
    k = int(rng.integers(3, 8))
    return [
        Call("vector", "softmax", (rng.normal(size=k),), label="a random vector of logits"),
        Call(
            "batch",
            "softmax",
            (rng.normal(scale=3.0, size=(int(rng.integers(4, 9)), k)),),
            label="a batch of logits, shape (N, K)",
        ),
        Call("large", "softmax", (1000.0 + rng.normal(size=(2, k)),), label="logits near 1000"),
        Call("negative", "softmax", (-1000.0 + rng.normal(size=k),), label="logits near -1000"),
        Call("shifted", "softmax", (np.array([2.0, 1.0, 0.1]) + 50.0,), label="[52, 51, 50.1]"),
    ]


def grade(g: Grader) -> None:
    g.check_close("matches the formula on a vector", "vector", rtol=1e-6, points=2)
    g.check_close(
        "applies over the last axis of a batch",
        "batch",
        rtol=1e-6,
        points=2,
        hint="Sum with axis=-1 and keepdims=True so each row is normalised on its own",
    )
    g.check_sums_to_one("every row sums to one", "batch", points=1)
    g.check_close(
        "stable for logits near 1000",
        "large",
        rtol=1e-6,
        points=2,
        hint="np.exp(1000) overflows to inf; subtract the row maximum before exponentiating",
    )
    g.check_close(
        "stable for logits near -1000",
        "negative",
        rtol=1e-6,
        points=2,
        hint="np.exp(-1000) underflows to 0 and 0/0 is nan; subtracting the maximum fixes this too",
    )
    g.check_close(
        "unchanged by adding a constant",
        "shifted",
        rtol=1e-6,
        points=1,
        expected=g.expected("shifted"),
    )


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
