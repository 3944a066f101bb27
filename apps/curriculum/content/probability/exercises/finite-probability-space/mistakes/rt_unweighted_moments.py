# mistake: moments averages the values without weighting by their probabilities (x.mean(), x.var()), which is only right on a uniform space; weight each outcome by p.
# diagnosis: unweighted-moments
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
    mean = x.mean()
    var = x.var()
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
