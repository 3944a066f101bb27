import numpy as np


def fft_convolve2d(image, kernel):
    """Full linear 2-D convolution via the FFT, shape (H + kh - 1, W + kw - 1), real."""
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    shape = (image.shape[0] + kernel.shape[0] - 1, image.shape[1] + kernel.shape[1] - 1)
    spectrum = np.fft.fft2(image, s=shape) * np.fft.fft2(kernel, s=shape)
    return np.fft.ifft2(spectrum).real
