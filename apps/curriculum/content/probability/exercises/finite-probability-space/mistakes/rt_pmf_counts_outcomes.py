# mistake: distribution counts outcomes (count / number of outcomes) instead of adding their probabilities, which is only right on a uniform space; sum p over the outcomes with each value.
# diagnosis: pmf-counts-outcomes
import numpy as np


def distribution(p, x):
    p = np.asarray(p, dtype=float).ravel()
    x = np.asarray(x, dtype=float).ravel()
    values = np.unique(x)
    pmf = np.array([(x == v).sum() / x.size for v in values])
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
