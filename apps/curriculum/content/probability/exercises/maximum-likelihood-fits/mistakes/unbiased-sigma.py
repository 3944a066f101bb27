# diagnosis: unbiased-sigma
import numpy as np


def fit_gaussian(x):
    return float(np.mean(x)), float(np.std(x, ddof=1))


def fit_exponential(x):
    return float(1.0 / np.mean(x))


def fit_power_law(x, x_min):
    x = np.asarray(x, dtype=float)
    return float(1.0 + x.size / np.sum(np.log(x / x_min)))
