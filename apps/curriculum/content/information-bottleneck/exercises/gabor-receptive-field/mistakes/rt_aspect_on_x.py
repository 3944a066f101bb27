# mistake: the aspect ratio multiplies x'^2 instead of y'^2 in the Gaussian window; the window is exp(-(x'^2 + gamma^2 y'^2) / (2 sigma^2)).
# diagnosis: aspect-on-x
import numpy as np


def _grid(size):
    c = np.arange(size, dtype=np.float64) - (size - 1) / 2
    return np.meshgrid(c, c)


def gabor(size, sigma, theta, wavelength, phase=0.0, aspect=1.0):
    x, y = _grid(size)
    xr = x * np.cos(theta) + y * np.sin(theta)
    yr = -x * np.sin(theta) + y * np.cos(theta)
    env = np.exp(-(aspect**2 * xr**2 + yr**2) / (2 * sigma**2))
    return (env * np.cos(2 * np.pi * xr / wavelength + phase)).astype(np.float64)


def orientation_tuning(kernel, thetas, wavelength):
    kernel = np.asarray(kernel, dtype=np.float64)
    x, y = _grid(kernel.shape[0])
    out = []
    for phi in thetas:
        z = np.sum(kernel * np.exp(2j * np.pi * (x * np.cos(phi) + y * np.sin(phi)) / wavelength))
        out.append(abs(z))
    return np.array(out, dtype=np.float64)
