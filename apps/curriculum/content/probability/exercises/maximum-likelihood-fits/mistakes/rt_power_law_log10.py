# mistake: fit_power_law uses np.log10 instead of the natural log in sum log(x_i / x_min), so alpha - 1 comes out log(10) times too large; use np.log
# diagnosis: power-law-log10
import numpy as np


def fit_gaussian(x):
    x = np.asarray(x, dtype=float)
    return float(x.mean()), float(x.std())


def fit_exponential(x):
    x = np.asarray(x, dtype=float)
    return float(1.0 / x.mean())


def fit_power_law(x, x_min):
    x = np.asarray(x, dtype=float)
    return float(1 + len(x) / np.sum(np.log10(x / x_min)))
