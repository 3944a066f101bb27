import numpy as np


def fit_gaussian(x):
    """Maximum-likelihood (mu, sigma) of a Gaussian."""
    x = np.asarray(x, dtype=float)
    return float(x.mean()), 1.0  # TODO: the maximum-likelihood sigma


def fit_exponential(x):
    """Maximum-likelihood rate of an exponential density."""
    return float(np.mean(x))  # TODO: is the rate the mean?


def fit_power_law(x, x_min):
    """Maximum-likelihood exponent alpha of a power law above x_min."""
    # TODO: set the derivative of the log-likelihood to zero and solve for alpha.
    return 2.0
