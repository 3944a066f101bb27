import numpy as np


def fft_convolve2d(image, kernel):
    """Full linear 2-D convolution via the FFT, shape (H + kh - 1, W + kw - 1), real."""
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    # TODO: zero-pad both to the full output shape before transforming.
    spectrum = np.fft.fft2(image) * np.fft.fft2(kernel, s=image.shape)
    return np.fft.ifft2(spectrum)
