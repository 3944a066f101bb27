import numpy as np


def fit_gaussian(x):
    """Maximum-likelihood (mu, sigma) of a Gaussian."""
    x = np.asarray(x, dtype=float)
    mu = x.mean()
    sigma = np.sqrt(np.mean((x - mu) ** 2))
    return float(mu), float(sigma)


def fit_exponential(x):
    """Maximum-likelihood rate of an exponential density."""
    return float(1.0 / np.mean(np.asarray(x, dtype=float)))


def fit_power_law(x, x_min):
    """Maximum-likelihood exponent alpha of a power law above x_min."""
    x = np.asarray(x, dtype=float)
    return float(1.0 + x.size / np.sum(np.log(x / x_min)))
