# mistake: sample_autocorrelation uses np.corrcoef(x[:-k], x[k:]) per lag, i.e. a separate mean and a separate normalisation for each lag; use one mean and the full sum of squares.
# diagnosis: acf-corrcoef-per-lag
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
    out = [1.0]
    for k in range(1, max_lag + 1):
        out.append(np.corrcoef(x[: T - k], x[k:])[0, 1])
    return np.array(out)


def ar1_theory(phi, sigma, max_lag):
    C0 = sigma**2 / (1 - phi**2)
    rho = np.array([phi**k for k in range(max_lag + 1)], dtype=float)
    return float(C0), rho
