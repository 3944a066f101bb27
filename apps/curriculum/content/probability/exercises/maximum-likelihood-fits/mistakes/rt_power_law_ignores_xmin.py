# mistake: fit_power_law divides by sum log(x_i) instead of sum log(x_i / x_min), ignoring the cut-off; use np.log(x / x_min)
# diagnosis: power-law-ignores-xmin
import numpy as np


def fit_gaussian(x):
    x = np.asarray(x, dtype=float)
    return float(x.mean()), float(x.std())


def fit_exponential(x):
    x = np.asarray(x, dtype=float)
    return float(1.0 / x.mean())


def fit_power_law(x, x_min):
    x = np.asarray(x, dtype=float)
    return float(1 + len(x) / np.sum(np.log(x)))
