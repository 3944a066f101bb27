# mistake: fit_gaussian returns the maximum-likelihood variance mean((x - mu)^2) as sigma instead of its square root; return np.sqrt of it (the standard deviation)
# diagnosis: variance-not-std
import numpy as np


def fit_gaussian(x):
    x = np.asarray(x, dtype=float)
    mu = x.mean()
    return float(mu), float(np.mean((x - mu) ** 2))


def fit_exponential(x):
    x = np.asarray(x, dtype=float)
    return float(1.0 / x.mean())


def fit_power_law(x, x_min):
    x = np.asarray(x, dtype=float)
    return float(1 + len(x) / np.sum(np.log(x / x_min)))
