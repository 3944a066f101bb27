import numpy as np


def _grid(size):
    c = np.arange(size) - (size - 1) / 2
    return np.meshgrid(c, c)  # x varies along columns, y along rows


def gabor(size, sigma, theta, wavelength, phase=0.0, aspect=1.0):
    """Gaussian-windowed cosine wave, oriented at theta, on a centred size x size grid."""
    x, y = _grid(int(size))
    xr = x * np.cos(theta) + y * np.sin(theta)
    yr = -x * np.sin(theta) + y * np.cos(theta)
    window = np.exp(-(xr**2 + aspect**2 * yr**2) / (2 * sigma**2))
    return window * np.cos(2 * np.pi * xr / wavelength + phase)


def orientation_tuning(kernel, thetas, wavelength):
    """|sum of kernel * exp(2 pi i (x cos phi + y sin phi) / wavelength)| for every phi."""
    kernel = np.asarray(kernel, dtype=float)
    x, y = _grid(kernel.shape[0])
    out = []
    for phi in np.asarray(thetas, dtype=float):
        wave = np.exp(2j * np.pi * (x * np.cos(phi) + y * np.sin(phi)) / wavelength)
        out.append(abs(np.sum(kernel * wave)))
    return np.array(out)
