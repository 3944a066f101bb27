# mistake: crops the full convolution back to the image's shape (H, W) as a "same" convolution would; the full convolution has shape (H + kh - 1, W + kw - 1)
# diagnosis: cropped-to-image
import numpy as np


def fft_convolve2d(image, kernel):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    H, W = image.shape
    s = (H + kernel.shape[0] - 1, W + kernel.shape[1] - 1)
    full = np.fft.ifft2(np.fft.fft2(image, s=s) * np.fft.fft2(kernel, s=s)).real
    return full[:H, :W]
