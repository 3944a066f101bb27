# mistake: distribution lists the values in the order they first appear (a dict) instead of ascending order; sort the distinct values.
# diagnosis: values-in-first-seen-order
import numpy as np


def distribution(p, x):
    p = np.asarray(p, dtype=float).ravel()
    x = np.asarray(x, dtype=float).ravel()
    acc = {}
    for v, pv in zip(x, p):
        acc[v] = acc.get(v, 0.0) + pv
    values = np.array(list(acc.keys()))
    pmf = np.array(list(acc.values()))
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
