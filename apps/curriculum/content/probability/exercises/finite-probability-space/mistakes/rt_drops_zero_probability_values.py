# mistake: distribution lists only values taken on outcomes of positive probability (np.unique(x[p > 0])), dropping values whose probability is 0; list every value of x.
# diagnosis: drops-zero-probability-values
import numpy as np


def distribution(p, x):
    p = np.asarray(p, dtype=float).ravel()
    x = np.asarray(x, dtype=float).ravel()
    values = np.unique(x[p > 0])
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
    for a in np.unique(x):
        pa = p[x == a].sum()
        for b in np.unique(y):
            pb = p[y == b].sum()
            pab = p[(x == a) & (y == b)].sum()
            if abs(pab - pa * pb) > tol:
                return False
    return True
