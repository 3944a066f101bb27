# mistake: sample_autocorrelation forgets to subtract the sample mean (d = x instead of x - x.mean()), which breaks on series with an offset; centre the series first.
# diagnosis: acf-no-mean
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
    d = x
    denom = np.sum(d * d)
    return np.array([np.sum(d[: T - k] * d[k:]) / denom for k in range(max_lag + 1)])


def ar1_theory(phi, sigma, max_lag):
    C0 = sigma**2 / (1 - phi**2)
    rho = np.array([phi**k for k in range(max_lag + 1)], dtype=float)
    return float(C0), rho
