# mistake: sample_autocorrelation divides each lagged sum by T - k and the sum of squares by T (the "unbiased" autocovariance), so lag k is too large by T/(T - k); use the same full sum of squares as the only denominator.
# diagnosis: acf-lag-divisor
import numpy as np


def simulate_ar1(phi, sigma, x0, eps):
    eps = np.asarray(eps, dtype=np.float64)
    out = np.zeros(eps.shape[0])
    x = x0
    for t, e in enumerate(eps):
        x = phi * x + sigma * e
        out[t] = x
    return out


def sample_autocorrelation(x, max_lag):
    x = np.asarray(x, dtype=float)
    T = len(x)
    d = x - x.mean()
    denom = np.sum(d * d)
    return np.array(
        [(np.sum(d[: T - k] * d[k:]) / (T - k)) / (denom / T) for k in range(max_lag + 1)]
    )


def ar1_theory(phi, sigma, max_lag):
    C0 = sigma**2 / (1 - phi**2)
    rho = np.array([phi**k for k in range(max_lag + 1)], dtype=float)
    return float(C0), rho
