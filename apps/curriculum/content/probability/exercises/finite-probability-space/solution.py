import numpy as np


def distribution(p, x):
    """Distinct values of X (ascending) and P(X = value) for each."""
    p = np.asarray(p, dtype=float).ravel()
    values, inverse = np.unique(np.asarray(x, dtype=float).ravel(), return_inverse=True)
    pmf = np.bincount(inverse, weights=p, minlength=values.size)
    return values, pmf


def moments(p, x):
    """Mean and variance of X under P, variance by the two-pass formula."""
    p = np.asarray(p, dtype=float).ravel()
    x = np.asarray(x, dtype=float).ravel()
    mean = float(np.sum(p * x))
    variance = float(np.sum(p * (x - mean) ** 2))
    return mean, variance


def independent(p, x, y, tol=1e-9):
    """True if every joint probability equals the product of its marginals within tol."""
    p = np.asarray(p, dtype=float).ravel()
    _, ix = np.unique(np.asarray(x, dtype=float).ravel(), return_inverse=True)
    _, iy = np.unique(np.asarray(y, dtype=float).ravel(), return_inverse=True)
    joint = np.zeros((ix.max() + 1, iy.max() + 1))
    np.add.at(joint, (ix, iy), p)
    product = np.outer(joint.sum(axis=1), joint.sum(axis=0))
    return bool(np.all(np.abs(joint - product) <= tol))
