import numpy as np


def gibbs_gaussian(mu, sigma, rho, x0, noise):
    """Gibbs sweeps for a bivariate Gaussian; row t is the state after sweep t, shape (n, 2)."""
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    noise = np.asarray(noise, dtype=float)
    # TODO: this draws each coordinate from its marginal and ignores the correlation.
    return mu + sigma * noise
