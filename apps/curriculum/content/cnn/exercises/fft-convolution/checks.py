import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots


def _gaussian(size, width):
    r = np.arange(size) - (size - 1) / 2
    g = np.exp(-0.5 * (r / width) ** 2)
    k = np.outer(g, g)
    return k / k.sum()


def cases(rng: np.random.Generator) -> list[Call]:
    # An even width: with the 3x4 kernel the output is W + 3 columns wide, odd, where an
    # inverse real FFT without its shape comes back one column short.
    h, w = int(rng.integers(6, 11)), 2 * int(rng.integers(4, 6))
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


def _real(g: Grader, key: str):
    def run():
        # The returned dtype itself: check_close compares a complex result in the reals when
        # its imaginary parts are rounding noise.
        got = g.output(key)
        if np.iscomplexobj(got):
            return f"the result has dtype {np.asarray(got).dtype}; the convolution of real arrays is real"
        return None

    return run


def grade(g: Grader) -> None:
    g.check_close("equals the direct linear convolution", "random", points=3)
    g.custom("returns a real array", _real(g, "random"), points=1)
    g.check_close("a delta kernel reproduces the image", "delta", points=1)
    g.check_close("a kernel larger than the image", "big-kernel", points=1)
    g.check_close("a one-row image", "row", points=1)
    g.check_close("a 64x64 image with a Gaussian blur", "blur", points=1)


# --- known mistakes ------------------------------------------------------------------------
def _full_shape(image, kernel, extra=0):
    return (
        image.shape[0] + kernel.shape[0] - 1 + extra,
        image.shape[1] + kernel.shape[1] - 1 + extra,
    )


def _spectrum(image, kernel, shape):
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    return np.fft.fft2(image, s=shape) * np.fft.fft2(kernel, s=shape)


def _circular(image, kernel):
    image = np.asarray(image, dtype=float)
    return np.fft.ifft2(_spectrum(image, kernel, image.shape)).real


def _absolute(image, kernel):
    shape = _full_shape(np.asarray(image), np.asarray(kernel))
    return np.abs(np.fft.ifft2(_spectrum(image, kernel, shape)))


def _cropped(image, kernel):
    image = np.asarray(image, dtype=float)
    full = np.fft.ifft2(_spectrum(image, kernel, _full_shape(image, np.asarray(kernel)))).real
    return full[: image.shape[0], : image.shape[1]]


def _irfft_unshaped(image, kernel):
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    shape = _full_shape(image, kernel)
    return np.fft.irfft2(np.fft.rfft2(image, shape) * np.fft.rfft2(kernel, shape))


def _one_too_many(image, kernel):
    shape = _full_shape(np.asarray(image), np.asarray(kernel), extra=1)
    return np.fft.ifft2(_spectrum(image, kernel, shape)).real


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "complex-result",
            diagnosis=(
                "You return the inverse FFT as it comes, a complex array: its imaginary parts "
                "are rounding noise, and the convolution of real arrays is real."
            ),
            fix="Return the real part: np.fft.ifft2(...).real.",
            # Its values agree with the reference in the reals: only the dtype tells.
            predicate=lambda g: np.iscomplexobj(g.output("random")),
            cases=("random",),
        ),
        Mistake(
            "no-zero-padding",
            diagnosis=(
                "You transform at the image's own size, so the product of spectra is a circular "
                "convolution: what passes one edge wraps around to the opposite one, and the "
                "output has the image's shape."
            ),
            fix="Pad both to (H + kh - 1, W + kw - 1) first: np.fft.fft2(a, s=shape).",
            wrong=_circular,
        ),
        Mistake(
            "abs-not-real",
            diagnosis=(
                "You drop the imaginary part with np.abs, which also turns every negative entry "
                "of the convolution positive."
            ),
            fix="Take the real part instead: np.fft.ifft2(...).real.",
            wrong=_absolute,
        ),
        Mistake(
            "cropped-to-image",
            diagnosis=(
                "You crop the full convolution back to the image's shape (H, W); the full "
                "convolution has shape (H + kh - 1, W + kw - 1)."
            ),
            fix="Return the whole padded result: no cropping.",
            wrong=_cropped,
        ),
        Mistake(
            "irfft-without-shape",
            diagnosis=(
                "You invert with np.fft.irfft2 without its shape: irfft2 assumes an even last "
                "length, so an odd output width comes back one column short."
            ),
            fix="Pass the shape to the inverse too: np.fft.irfft2(..., s=shape).",
            wrong=_irfft_unshaped,
        ),
        Mistake(
            "padded-one-too-many",
            diagnosis=(
                "You pad to (H + kh, W + kw), one more than the full convolution needs, and "
                "return the whole array: it has an extra row and column of zeros."
            ),
            fix="Pad to (H + kh - 1, W + kw - 1).",
            wrong=_one_too_many,
        ),
    ]


def _log_spectrum(a):
    return np.log10(np.abs(np.fft.fftshift(np.fft.fft2(a))) + 1e-6)


def figures(g: Grader) -> None:
    returned = g.output("random") if g.outcome("random").ok else None
    if returned is not None and np.iscomplexobj(returned):
        # The one failure the values cannot show: draw the imaginary part that was kept.
        imaginary = np.asarray(returned).imag.ravel()
        g.figure(
            plots.compare_lines(
                np.arange(imaginary.size),
                imaginary,
                np.zeros(imaginary.size),
                title="imaginary parts of your result (row by row): rounding noise, not data",
                x_label="entry",
                y_label="imaginary part",
            )
        )
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
