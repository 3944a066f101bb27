import numpy as np


def simulate_ar1(phi, sigma, x0, eps):
    """x_t = phi * x_{t-1} + sigma * eps_t for t = 1..T, from x_0 = x0 (not returned)."""
    eps = np.asarray(eps, dtype=float)
    x = np.empty_like(eps)
    prev = float(x0)
    for t in range(eps.shape[0]):
        prev = phi * prev + sigma * eps[t]
        x[t] = prev
    return x


def sample_autocorrelation(x, max_lag):
    """rho_hat_k for k = 0..max_lag, with one mean and the full sum of squares."""
    d = np.asarray(x, dtype=float)
    d = d - d.mean()
    n = d.shape[0]
    denom = d @ d
    return np.array([(d[: n - k] @ d[k:]) / denom for k in range(int(max_lag) + 1)])


def ar1_theory(phi, sigma, max_lag):
    """(stationary variance, autocorrelations phi^k) of a stationary AR(1) process."""
    variance = sigma**2 / (1.0 - phi**2)
    return float(variance), float(phi) ** np.arange(int(max_lag) + 1)
