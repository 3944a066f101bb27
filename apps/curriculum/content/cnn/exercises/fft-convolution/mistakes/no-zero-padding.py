# diagnosis: no-zero-padding
import numpy as np


def fft_convolve2d(image, kernel):
    spectrum = np.fft.fft2(image) * np.fft.fft2(kernel, s=image.shape)
    return np.fft.ifft2(spectrum).real
