# mistake: fit_power_law drops the 1 in alpha = 1 + n / sum log(x_i / x_min), returning n / sum log(x_i / x_min), which estimates alpha - 1; add 1
# diagnosis: power-law-missing-one
import numpy as np


def fit_gaussian(x):
    x = np.asarray(x, dtype=float)
    return float(x.mean()), float(x.std())


def fit_exponential(x):
    x = np.asarray(x, dtype=float)
    return float(1.0 / x.mean())


def fit_power_law(x, x_min):
    x = np.asarray(x, dtype=float)
    return float(len(x) / np.sum(np.log(x / x_min)))
