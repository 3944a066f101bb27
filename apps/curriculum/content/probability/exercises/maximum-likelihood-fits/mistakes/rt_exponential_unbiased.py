# mistake: fit_exponential uses the unbiased rate (n - 1) / sum(x) instead of the maximum-likelihood n / sum(x) = 1 / mean(x), which gives 0 for a single sample
# diagnosis: rate-unbiased
import numpy as np


def fit_gaussian(x):
    x = np.asarray(x, dtype=float)
    return float(x.mean()), float(x.std())


def fit_exponential(x):
    x = np.asarray(x, dtype=float)
    return float((len(x) - 1) / x.sum())


def fit_power_law(x, x_min):
    x = np.asarray(x, dtype=float)
    return float(1 + len(x) / np.sum(np.log(x / x_min)))
