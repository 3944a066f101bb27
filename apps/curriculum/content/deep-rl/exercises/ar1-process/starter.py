import numpy as np


def simulate_ar1(phi, sigma, x0, eps):
    """x_t = phi * x_{t-1} + sigma * eps_t for t = 1..T, from x_0 = x0 (not returned)."""
    eps = np.asarray(eps, dtype=float)
    x = np.empty_like(eps)
    prev = float(x0)
    for t in range(eps.shape[0]):
        # TODO: advance prev by one step of the AR(1) recursion
        x[t] = prev
    return x


def sample_autocorrelation(x, max_lag):
    """rho_hat_k for k = 0..max_lag, with one mean and the full sum of squares."""
    x = np.asarray(x, dtype=float)
    # TODO: remove the mean, then divide each lagged sum of products by the sum of squares
    return np.ones(int(max_lag) + 1)


def ar1_theory(phi, sigma, max_lag):
    """(stationary variance, autocorrelations phi^k) of a stationary AR(1) process."""
    # TODO: derive both from x_t = phi x_{t-1} + sigma eps_t
    return 0.0, np.zeros(int(max_lag) + 1)
