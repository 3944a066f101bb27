import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots


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
    g.check_close("returns one row of activations per image", "batch", points=2)
    g.check_close("handles a square W (needs the transpose)", "square", points=2)
    g.check_close("flattens row by row", "pixels", points=2)
    g.check_close("clips negative pre-activations to zero", "negative", points=2)
    g.check_close("works for a batch of one image", "single", points=1)

    def nonnegative() -> str | None:
        got = g.array("batch")
        if got.min() < 0:
            return f"activations after ReLU cannot be negative, but the smallest one is {got.min():.4g}"
        return None

    g.custom("activations are non-negative", nonnegative, points=1)


# --- known mistakes ------------------------------------------------------------------------
def _flat(images):
    images = np.asarray(images, dtype=float)
    return images.reshape(images.shape[0], -1)


def _layer(X, W, b):
    return np.maximum(0.0, X @ np.asarray(W, dtype=float).T + b)


def _column_major(images, W, b):
    X = np.stack([image.flatten(order="F") for image in np.asarray(images, dtype=float)])
    return _layer(X, W, b)


def _features_first(images, W, b):
    images = np.asarray(images, dtype=float)
    n, h, w = images.shape
    return _layer(images.reshape(h * w, n).T, W, b)


def _no_relu(images, W, b):
    return _flat(images) @ np.asarray(W, dtype=float).T + b


def _relu_before_bias(images, W, b):
    return np.maximum(0.0, _flat(images) @ np.asarray(W, dtype=float).T) + b


def _no_transpose(images, W, b):
    return np.maximum(0.0, _flat(images) @ np.asarray(W, dtype=float) + b)


def _reshaped_w(images, W, b):
    X = _flat(images)
    return np.maximum(0.0, X @ np.asarray(W, dtype=float).reshape(X.shape[1], -1) + b)


def _samples_as_columns(images, W, b):
    return np.maximum(0.0, np.asarray(W, dtype=float) @ _flat(images).T + np.asarray(b)[:, None])


def _squeezed(images, W, b):
    return _layer(_flat(images), W, b).squeeze()


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "column-major",
            diagnosis=(
                "You flatten each image column by column (Fortran order): pixel (r, c) lands at "
                "index c*h + r instead of r*w + c, so every weight meets the wrong pixel."
            ),
            fix="Flatten in row-major order, the default of reshape: images.reshape(N, -1).",
            hints=("Flatten np.arange(6).reshape(2, 3) your way: is pixel (0, 1) at index 1?",),
            wrong=_column_major,
        ),
        Mistake(
            "pixels-across-images",
            diagnosis=(
                "You reshape the batch to (h*w, N) and transpose: that is not one image per row, "
                "it mixes pixels of different images into each row."
            ),
            fix="Keep the batch axis first: images.reshape(N, -1) gives one flattened image per row.",
            wrong=_features_first,
        ),
        Mistake(
            "no-relu",
            diagnosis="You return the affine map W x + b without the ReLU, so negative values remain.",
            fix="Finish with np.maximum(0.0, Z).",
            wrong=_no_relu,
        ),
        Mistake(
            "relu-before-bias",
            diagnosis=(
                "You apply the ReLU to W x and add the bias afterwards, ReLU(W x) + b: a negative "
                "bias then gives negative activations."
            ),
            fix="Add the bias inside: np.maximum(0.0, X @ W.T + b).",
            wrong=_relu_before_bias,
        ),
        Mistake(
            "no-transpose",
            diagnosis=(
                "You multiply X @ W without transposing W: X @ W sums X[i, j] W[j, k], but the "
                "layer needs W[k, j] X[i, j]. It runs only when W is square, and is wrong there."
            ),
            fix="With samples as rows the layer is X @ W.T + b.",
            wrong=_no_transpose,
        ),
        Mistake(
            "reshape-not-transpose",
            diagnosis=(
                "You turn W of shape (m, d) into shape (d, m) with reshape: the shape is right, "
                "but reshape reorders the entries, it does not transpose."
            ),
            fix="Use W.T, the transpose: X @ W.T + b.",
            wrong=_reshaped_w,
        ),
        Mistake(
            "samples-as-columns",
            diagnosis=(
                "You compute W @ X.T + b[:, None] with samples as columns and return that "
                "(m, N) matrix: the values are right but transposed."
            ),
            fix="Return one row per image, shape (N, m): X @ W.T + b, or the transpose of yours.",
            wrong=_samples_as_columns,
        ),
        Mistake(
            "squeezed",
            diagnosis=(
                "You squeeze the result, so a batch of a single image comes back with shape (m,) "
                "instead of (1, m)."
            ),
            fix="Drop the .squeeze(): a batch of N images gives N rows, even when N = 1.",
            wrong=_squeezed,
        ),
    ]


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
