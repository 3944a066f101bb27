# mistake: sample_autocorrelation slices with d[:-k] * d[k:], which for k = 0 is d[:0] (empty) against the whole series; use d[:T - k].
# diagnosis: acf-lag0-slice
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
    return np.array([np.sum(d[:-k] * d[k:]) / denom for k in range(max_lag + 1)])


def ar1_theory(phi, sigma, max_lag):
    C0 = sigma**2 / (1 - phi**2)
    rho = np.array([phi**k for k in range(max_lag + 1)], dtype=float)
    return float(C0), rho
