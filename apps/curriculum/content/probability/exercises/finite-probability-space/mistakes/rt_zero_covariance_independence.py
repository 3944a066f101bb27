# mistake: independent tests zero covariance instead of comparing every joint probability with the product of marginals; uncorrelated is not independent (Y = X^2).
# diagnosis: zero-covariance-independence
import numpy as np


def distribution(p, x):
    p = np.asarray(p, dtype=float).ravel()
    x = np.asarray(x, dtype=float).ravel()
    values = np.unique(x)
    pmf = np.array([p[x == v].sum() for v in values])
    return values, pmf


def moments(p, x):
    p = np.asarray(p, dtype=float).ravel()
    x = np.asarray(x, dtype=float).ravel()
    mean = np.sum(p * x)
    var = np.sum(p * (x - mean) ** 2)
    return float(mean), float(var)


def independent(p, x, y, tol=1e-9):
    p = np.asarray(p, dtype=float).ravel()
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    mx, my = np.sum(p * x), np.sum(p * y)
    return bool(abs(np.sum(p * (x - mx) * (y - my))) <= tol)
