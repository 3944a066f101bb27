# mistake: pads to (H + kh, W + kw), one more than needed, and returns the whole array, which has an extra zero row and column; pad to (H + kh - 1, W + kw - 1)
# diagnosis: padded-one-too-many
import numpy as np


def fft_convolve2d(image, kernel):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    s = (image.shape[0] + kernel.shape[0], image.shape[1] + kernel.shape[1])
    return np.fft.ifft2(np.fft.fft2(image, s=s) * np.fft.fft2(kernel, s=s)).real
