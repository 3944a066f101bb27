# mistake: inverts with np.fft.irfft2 without passing the shape s, so an odd output width comes back one column short (irfft2 assumes an even length); pass s=(P, Q) to irfft2 as well
# diagnosis: irfft-without-shape
import numpy as np


def fft_convolve2d(image, kernel):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    s = (image.shape[0] + kernel.shape[0] - 1, image.shape[1] + kernel.shape[1] - 1)
    return np.fft.irfft2(np.fft.rfft2(image, s) * np.fft.rfft2(kernel, s))
