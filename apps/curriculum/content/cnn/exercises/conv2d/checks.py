import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

SOBEL_X = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
# An integer image whose sums with the kernel below are not whole numbers: an integer output
# array truncates every one of them.
INTEGER_KERNEL = np.array([[0.5, -1.0], [2.0, 0.25]])


def _disk(size):
    y, x = np.mgrid[0:size, 0:size]
    c = (size - 1) / 2
    return ((x - c) ** 2 + (y - c) ** 2 < (size / 3) ** 2).astype(float)


def cases(rng: np.random.Generator) -> list[Call]:
    # Never square: a square image or kernel would let swapped row and column offsets pass.
    h = int(rng.integers(7, 11))
    w = h + int(rng.integers(1, 4))
    kh = int(rng.integers(2, 4))
    kw = kh + 1
    return [
        Call(
            "random",
            "conv2d",
            (rng.normal(size=(h, w)), rng.normal(size=(kh, kw))),
            label=f"a random {h}x{w} image and a random {kh}x{kw} kernel",
        ),
        Call(
            "asymmetric",
            "conv2d",
            (rng.normal(size=(6, 7)), np.array([[1.0, 2.0], [0.0, -1.0]])),
            label="a 6x7 image and the asymmetric kernel [[1, 2], [0, -1]]",
        ),
        Call(
            "square",
            "conv2d",
            (rng.normal(size=(6, 6)), rng.normal(size=(3, 3))),
            label="a square 6x6 image and a square 3x3 kernel",
        ),
        Call(
            "one",
            "conv2d",
            (rng.normal(size=(5, 4)), np.array([[rng.uniform(1.5, 3.0)]])),
            label="a 1x1 kernel (a pure rescaling)",
        ),
        Call(
            "full",
            "conv2d",
            (rng.normal(size=(4, 5)), rng.normal(size=(4, 5))),
            label="a 4x5 kernel on a 4x5 image (one output)",
        ),
        Call(
            "integers",
            "conv2d",
            (rng.integers(1, 10, size=(6, 7)), INTEGER_KERNEL),
            label="an integer image and the kernel [[0.5, -1], [2, 0.25]]",
        ),
        Call(
            "edges",
            "conv2d",
            (_disk(28) + 0.05 * rng.normal(size=(28, 28)), SOBEL_X),
            label="a 28x28 picture of a disk and the Sobel x-kernel",
        ),
    ]


def grade(g: Grader) -> None:
    g.check_close("a random image and kernel", "random", points=2)
    g.check_close("an asymmetric kernel, not flipped", "asymmetric", points=2)
    g.check_close("a square image and kernel", "square", points=0.5)
    g.check_close("a 1x1 kernel rescales the image", "one", points=0.5)
    g.check_close("a kernel as large as the image gives one number", "full", points=1)
    g.check_close("an integer image", "integers", points=1)
    g.check_close("edge detection on a disk", "edges", points=1)


# --- known mistakes ------------------------------------------------------------------------
def _correlate(image, kernel, *, flip=False, out_dtype=float):
    image = np.asarray(image)
    kernel = np.asarray(kernel, dtype=float)
    if flip:
        kernel = kernel[::-1, ::-1]
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1), dtype=out_dtype)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)
    return out


def _flipped(image, kernel):
    return _correlate(image, kernel, flip=True)


def _integer_output(image, kernel):
    return _correlate(image, kernel, out_dtype=np.asarray(image).dtype)


def _one_short(image, kernel):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh, image.shape[1] - kw))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)
    return out


def _same_size(image, kernel):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    kh, kw = kernel.shape
    padded = np.pad(image, ((0, kh - 1), (0, kw - 1)))
    out = np.zeros(image.shape)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(padded[i : i + kh, j : j + kw] * kernel)
    return out


def _swapped_offsets(image, kernel):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[j : j + kw, i : i + kh].T * kernel)
    return out


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "flipped-kernel",
            diagnosis=(
                "You rotate the kernel by 180 degrees before sliding it: that is the "
                "mathematicians' convolution. Deep learning's conv2d is a cross-correlation."
            ),
            fix="Slide the kernel as it is: out[i, j] = np.sum(image[i:i+kh, j:j+kw] * kernel).",
            hints=("A symmetric kernel cannot tell the two apart; try [[1, 2], [0, -1]].",),
            wrong=_flipped,
        ),
        Mistake(
            "integer-output",
            diagnosis=(
                "Your output array takes the image's integer dtype (np.zeros_like on an integer "
                "image), so every sum is truncated to a whole number when it is stored."
            ),
            fix="Convert first, image = np.asarray(image, dtype=float), or allocate with np.zeros(shape).",
            wrong=_integer_output,
        ),
        Mistake(
            "output-one-short",
            diagnosis=(
                "Your output has H - kh rows and W - kw columns: the last window in each "
                "direction, which ends exactly at the border, is never computed."
            ),
            fix="The kernel fits at positions 0, ..., H - kh: that is H - kh + 1 rows (and W - kw + 1 columns).",
            wrong=_one_short,
        ),
        Mistake(
            "same-size-output",
            diagnosis=(
                "You zero-pad the image and return an output of the image's size: that is a "
                "'same' correlation, not the valid one, which has shape (H - kh + 1, W - kw + 1)."
            ),
            fix="Use only the positions where the kernel lies entirely inside the image; no padding.",
            wrong=_same_size,
        ),
        Mistake(
            "swapped-offsets",
            diagnosis=(
                "You take the patch at (i, j) as image[j:j+kw, i:i+kh] (transposed back): the "
                "row and column offsets are swapped, which only lines up for square shapes."
            ),
            fix="The patch whose top-left corner is (i, j) is image[i:i+kh, j:j+kw]: row offset i first.",
            wrong=_swapped_offsets,
        ),
    ]


def figures(g: Grader) -> None:
    g.figure(
        plots.heatmap_pair(
            g.try_array("edges"),
            np.asarray(g.expected("edges")),
            title="Sobel-x feature map of a disk: vertical edges light up",
        )
    )
    g.figure(
        plots.heatmap_pair(
            g.try_array("asymmetric"),
            np.asarray(g.expected("asymmetric")),
            title="feature map with the asymmetric kernel [[1, 2], [0, -1]]",
        )
    )
