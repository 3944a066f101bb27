# diagnosis: complex-result
import numpy as np


def fft_convolve2d(image, kernel):
    shape = (image.shape[0] + kernel.shape[0] - 1, image.shape[1] + kernel.shape[1] - 1)
    return np.fft.ifft2(np.fft.fft2(image, s=shape) * np.fft.fft2(kernel, s=shape))
