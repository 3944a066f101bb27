import numpy as np


def distribution(p, x):
    """Distinct values of X (ascending) and P(X = value) for each."""
    p = np.asarray(p, dtype=float).ravel()
    x = np.asarray(x, dtype=float).ravel()
    # TODO: merge the outcomes that share a value and add up their probabilities.
    return x, p


def moments(p, x):
    """Mean and variance of X under P."""
    x = np.asarray(x, dtype=float).ravel()
    # TODO: weigh each outcome by its probability.
    return float(x.mean()), float(x.var())


def independent(p, x, y, tol=1e-9):
    """True if X and Y are independent under P."""
    # TODO: compare the joint distribution with the product of the marginals.
    return True
