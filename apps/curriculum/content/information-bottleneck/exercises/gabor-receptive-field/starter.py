import numpy as np


def gabor(size, sigma, theta, wavelength, phase=0.0, aspect=1.0):
    """Gaussian-windowed cosine wave, oriented at theta, on a centred size x size grid."""
    c = np.arange(size) - (size - 1) / 2
    x, y = np.meshgrid(c, c)
    # TODO: rotate the coordinates by theta and multiply the window by the wave
    return np.exp(-(x**2 + y**2) / (2 * sigma**2))


def orientation_tuning(kernel, thetas, wavelength):
    """|sum of kernel * exp(2 pi i (x cos phi + y sin phi) / wavelength)| for every phi."""
    # TODO: one complex sum per orientation
    return np.zeros(len(thetas))
