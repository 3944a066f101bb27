# mistake: drops the imaginary part with np.abs instead of .real, which also flips every negative entry of the convolution to positive; return np.fft.ifft2(...).real
# diagnosis: abs-not-real
import numpy as np


def fft_convolve2d(image, kernel):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    s = (image.shape[0] + kernel.shape[0] - 1, image.shape[1] + kernel.shape[1] - 1)
    return np.abs(np.fft.ifft2(np.fft.fft2(image, s=s) * np.fft.fft2(kernel, s=s)))
