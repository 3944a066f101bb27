import math

import numpy as np


def nearest_farthest_ratio(X, q):
    """Nearest over farthest Euclidean distance from q to the rows of X."""
    dist = np.linalg.norm(np.asarray(X, dtype=float) - np.asarray(q, dtype=float), axis=1)
    return float(dist.min() / dist.max())


def log_ball_volume_fraction(d):
    """log(volume of the unit ball in R^d / volume of [-1, 1]^d)."""
    return d / 2 * math.log(math.pi) - math.lgamma(d / 2 + 1) - d * math.log(2)
