# mistake: orientation_tuning returns the real part of the complex sum (the response at one phase) instead of its modulus; use abs(...).
# diagnosis: tuning-real-part
import numpy as np


def _grid(size):
    c = np.arange(size, dtype=np.float64) - (size - 1) / 2
    return np.meshgrid(c, c)


def gabor(size, sigma, theta, wavelength, phase=0.0, aspect=1.0):
    x, y = _grid(size)
    xr = x * np.cos(theta) + y * np.sin(theta)
    yr = -x * np.sin(theta) + y * np.cos(theta)
    env = np.exp(-(xr**2 + aspect**2 * yr**2) / (2 * sigma**2))
    return (env * np.cos(2 * np.pi * xr / wavelength + phase)).astype(np.float64)


def orientation_tuning(kernel, thetas, wavelength):
    kernel = np.asarray(kernel, dtype=np.float64)
    x, y = _grid(kernel.shape[0])
    out = []
    for phi in thetas:
        z = np.sum(kernel * np.exp(2j * np.pi * (x * np.cos(phi) + y * np.sin(phi)) / wavelength))
        out.append(z.real)
    return np.array(out, dtype=np.float64)
