import numpy as np

from apps.sandbox.grading import Call, Grader, plots
from apps.sandbox.grading.grader import CheckFailed


def _direct(image, kernel):
    """Full linear convolution by the definition: a sum of shifted, scaled copies of the image."""
    h, w = image.shape
    kh, kw = kernel.shape
    out = np.zeros((h + kh - 1, w + kw - 1))
    for u in range(kh):
        for v in range(kw):
            out[u : u + h, v : v + w] += kernel[u, v] * image
    return out


def _circular(image, kernel):
    h, w = image.shape
    out = np.zeros((h, w))
    for u in range(kernel.shape[0]):
        for v in range(kernel.shape[1]):
            out += kernel[u, v] * np.roll(image, (u, v), axis=(0, 1))
    return out


def _gaussian(size, width):
    r = np.arange(size) - (size - 1) / 2
    g = np.exp(-0.5 * (r / width) ** 2)
    k = np.outer(g, g)
    return k / k.sum()


def cases(rng: np.random.Generator) -> list[Call]:
    h, w = int(rng.integers(6, 11)), int(rng.integers(7, 12))
    delta = np.zeros((3, 3))
    delta[0, 0] = 1.0
    y, x = np.mgrid[0:64, 0:64]
    picture = ((x // 8 + y // 8) % 2).astype(float) + 0.1 * rng.normal(size=(64, 64))
    return [
        Call(
            "random",
            "fft_convolve2d",
            (rng.normal(size=(h, w)), rng.normal(size=(3, 4))),
            label=f"a random {h}x{w} image and a random 3x4 kernel",
        ),
        Call(
            "delta",
            "fft_convolve2d",
            (rng.normal(size=(5, 6)), delta),
            label="a 3x3 kernel whose only nonzero entry is K[0, 0] = 1",
        ),
        Call(
            "big-kernel",
            "fft_convolve2d",
            (rng.normal(size=(3, 3)), rng.normal(size=(5, 4))),
            label="a 5x4 kernel on a 3x3 image",
        ),
        Call(
            "row",
            "fft_convolve2d",
            (rng.normal(size=(1, 12)), rng.normal(size=(1, 5))),
            label="a 1x12 image and a 1x5 kernel",
        ),
        Call(
            "blur",
            "fft_convolve2d",
            (picture, _gaussian(9, 1.5)),
            label="a 64x64 checkerboard and a 9x9 Gaussian blur",
        ),
    ]


def _linear(g: Grader, key: str):
    def run():
        image, kernel = (np.asarray(a, dtype=float) for a in g.args(key))
        got = np.asarray(g.output(key))
        if got.shape == image.shape and np.allclose(
            np.real(got), _circular(image, kernel), rtol=1e-6, atol=1e-8
        ):
            raise CheckFailed(
                f"on {g.call(key).description} you returned the circular convolution, which wraps around the "
                f"edges; zero-pad both arrays to shape (H + kh - 1, W + kw - 1) = "
                f"{(image.shape[0] + kernel.shape[0] - 1, image.shape[1] + kernel.shape[1] - 1)} before the FFT"
            )
        got = g.array(key)
        direct = _direct(image, kernel)
        if not np.allclose(got, direct, rtol=1e-6, atol=1e-8):
            error = np.abs(got - direct)
            i, j = np.unravel_index(int(np.argmax(error)), error.shape)
            raise CheckFailed(
                f"on {g.call(key).description} entry ({i}, {j}) should be {direct[i, j]:.6f} by the direct sum, "
                f"but is {np.real(got[i, j]):.6f}"
            )
        return None

    return run


def _real(g: Grader, key: str):
    def run():
        # The returned dtype itself: g.array compares a complex result in the reals when its
        # imaginary parts are rounding noise, which the other checks rightly accept.
        if np.iscomplexobj(g.output(key)):
            raise CheckFailed(
                "the result is a complex array; the convolution of real arrays is real, so return the real part "
                "of the inverse FFT (np.fft.ifft2(...).real)"
            )
        g.array(key)  # numbers of the reference's shape
        return None

    return run


def grade(g: Grader) -> None:
    g.custom("equals the direct linear convolution", _linear(g, "random"), points=3)
    g.custom("returns a real array", _real(g, "random"), points=1)
    g.check_close(
        "a delta kernel reproduces the image",
        "delta",
        rtol=1e-6,
        atol=1e-9,
        points=1,
        hint="Convolving with a kernel that is 1 at (0, 0) gives the image itself, padded with zeros",
    )
    g.custom("a kernel larger than the image", _linear(g, "big-kernel"), points=1)
    g.custom("a one-row image", _linear(g, "row"), points=1)
    g.custom("a 64x64 image with a Gaussian blur", _linear(g, "blur"), points=1)


def _log_spectrum(a):
    return np.log10(np.abs(np.fft.fftshift(np.fft.fft2(a))) + 1e-6)


def figures(g: Grader) -> None:
    ref = np.asarray(g.expected("blur"))
    yours = g.try_array("blur")
    if yours is not None and np.iscomplexobj(yours):
        yours = yours.real
    g.figure(
        plots.heatmap_pair(
            yours,
            ref,
            title="a checkerboard blurred by a 9x9 Gaussian (full convolution)",
            colorscale="Greys",
        )
    )
    fig = plots.heatmap_pair(
        None if yours is None else _log_spectrum(yours),
        _log_spectrum(ref),
        title="log₁₀ |DFT| of the blurred image: the blur removes high frequencies",
        colorscale="Viridis",
    )
    g.figure(fig)
