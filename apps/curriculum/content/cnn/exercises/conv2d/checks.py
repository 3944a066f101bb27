import numpy as np

from apps.sandbox.grading import Call, Grader, plots
from apps.sandbox.grading.grader import CheckFailed


def _disk(size):
    y, x = np.mgrid[0:size, 0:size]
    c = (size - 1) / 2
    return ((x - c) ** 2 + (y - c) ** 2 < (size / 3) ** 2).astype(float)


def cases(rng: np.random.Generator) -> list[Call]:
    h, w = int(rng.integers(7, 12)), int(rng.integers(8, 14))
    kh, kw = int(rng.integers(2, 4)), int(rng.integers(3, 5))
    sobel_x = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
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
            (rng.integers(0, 10, size=(6, 6)), np.array([[1, -1], [2, 0]])),
            label="an integer image and an integer kernel",
        ),
        Call(
            "edges",
            "conv2d",
            (_disk(28) + 0.05 * rng.normal(size=(28, 28)), sobel_x),
            label="a 28x28 picture of a disk and the Sobel x-kernel",
        ),
    ]


def _not_flipped(g: Grader, key: str):
    def run():
        got = g.array(key)
        ref = np.asarray(g.expected(key))
        if np.allclose(got, ref, rtol=1e-6, atol=1e-9):
            return None
        image, kernel = (np.asarray(a, dtype=float) for a in g.args(key))
        kh, kw = kernel.shape
        flipped = kernel[::-1, ::-1]
        conv = np.array(
            [
                [np.sum(image[i : i + kh, j : j + kw] * flipped) for j in range(ref.shape[1])]
                for i in range(ref.shape[0])
            ]
        )
        if np.allclose(got, conv, rtol=1e-6, atol=1e-9):
            raise CheckFailed(
                f"on {g.call(key).description} your result equals the true convolution, with the kernel "
                "flipped by 180 degrees; conv2d in deep learning is a cross-correlation: slide the kernel unflipped"
            )
        raise CheckFailed(
            f"conv2d() on {g.call(key).description} does not match the cross-correlation"
        )

    return run


def grade(g: Grader) -> None:
    g.check_close(
        "random image and kernel",
        "random",
        rtol=1e-6,
        atol=1e-9,
        points=2,
        hint="Y[i, j] = sum(image[i:i+kh, j:j+kw] * kernel); the output has H - kh + 1 rows and W - kw + 1 columns",
    )
    g.custom("the kernel is not flipped", _not_flipped(g, "asymmetric"), points=2)
    g.check_close("a 1x1 kernel rescales the image", "one", rtol=1e-6, atol=1e-9, points=1)
    g.check_close(
        "a kernel as large as the image gives one number",
        "full",
        rtol=1e-6,
        atol=1e-9,
        points=1,
        hint="When the kernel has the image's shape the output has shape (1, 1): the inner product of the two",
    )
    g.check_close(
        "integer inputs",
        "integers",
        rtol=1e-9,
        atol=1e-9,
        points=1,
        hint="Convert to float, and do not let an integer output array truncate the sums",
    )
    g.check_close("edge detection on a disk", "edges", rtol=1e-6, atol=1e-9, points=1)


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
