import numpy as np

from apps.sandbox.grading import Call, Grader, plots


def cases(rng: np.random.Generator) -> list[Call]:
    h, w = int(rng.integers(3, 6)), int(rng.integers(4, 7))
    d, m, n = h * w, int(rng.integers(3, 7)), int(rng.integers(4, 9))
    # Weights that pick pixel (r, c): row k of W is the one-hot vector of entry r*w + c.
    picks = [(0, w - 1), (h - 1, 0), (1, 2), (h - 1, w - 1)]
    selector = np.zeros((len(picks), d))
    for k, (r, c) in enumerate(picks):
        selector[k, r * w + c] = 1.0
    hs = 3
    return [
        Call(
            "batch",
            "dense_layer",
            (rng.normal(size=(n, h, w)), rng.normal(size=(m, d)) / np.sqrt(d), rng.normal(size=m)),
            label=f"a batch of {n} images of size {h}x{w} and a layer of width {m}",
        ),
        Call(
            "square",
            "dense_layer",
            (
                rng.normal(size=(n, hs, hs)),
                rng.normal(size=(hs * hs, hs * hs)),
                rng.normal(size=hs * hs),
            ),
            label=f"a batch of {n} 3x3 images and a square W of shape (9, 9)",
        ),
        Call(
            "single",
            "dense_layer",
            (rng.uniform(size=(1, h, w)), rng.normal(size=(m, d)), rng.normal(size=m)),
            label="a batch holding a single image",
        ),
        Call(
            "pixels",
            "dense_layer",
            (rng.uniform(1.0, 2.0, size=(2, h, w)), selector, np.zeros(len(picks))),
            label=f"weights that pick the pixels {picks} of {h}x{w} images",
        ),
        Call(
            "negative",
            "dense_layer",
            (rng.normal(size=(n, h, w)), rng.normal(size=(m, d)) / np.sqrt(d), np.full(m, -1.0)),
            label="a bias of -1 in every unit",
        ),
    ]


def grade(g: Grader) -> None:
    g.check_close(
        "returns one row of activations per image",
        "batch",
        points=2,
        hint="With samples as rows the affine map is X @ W.T + b, followed by ReLU",
    )
    g.check_close(
        "handles a square W (needs the transpose)",
        "square",
        points=2,
        hint="X @ W computes sum_j X[i, j] W[j, k]; the layer needs sum_j W[k, j] X[i, j], i.e. X @ W.T (the transpose)",
    )
    g.check_close(
        "flattens row by row",
        "pixels",
        points=2,
        hint="Pixel (r, c) must land at index r*w + c (row-major order), which is what images.reshape(N, -1) does",
    )
    g.check_close(
        "clips negative pre-activations to zero",
        "negative",
        points=2,
        hint="ReLU(z) = max(0, z) entrywise: use np.maximum(0.0, Z)",
    )
    g.check_close("works for a batch of one image", "single", points=1)

    def nonnegative() -> str | None:
        got = g.array("batch")
        if got.min() < 0:
            return f"activations after ReLU cannot be negative, but the smallest one is {got.min():.4g}"
        return None

    g.custom(
        "activations are non-negative", nonnegative, points=1, hint="Apply ReLU after adding b"
    )


def figures(g: Grader) -> None:
    fig = plots.heatmap_pair(
        g.try_array("batch"),
        np.asarray(g.expected("batch")),
        title="Activations: one row per image, one column per unit",
        colorscale="Viridis",
    )
    reference = np.asarray(g.expected("batch"))
    fig.update_traces(
        zmin=float(reference.min()), zmax=float(reference.max())
    )  # one colour scale for both
    g.figure(fig)
