import math

import numpy as np


def nearest_farthest_ratio(X, q):
    """Nearest over farthest Euclidean distance from q to the rows of X."""
    X = np.asarray(X, dtype=float)
    # TODO: distances from q, not from the origin.
    dist = np.linalg.norm(X, axis=1)
    return float(dist.min() / dist.max())


def log_ball_volume_fraction(d):
    """log(volume of the unit ball in R^d / volume of [-1, 1]^d)."""
    # TODO: divide by the volume of the cube too, and avoid overflow for large d.
    return math.log(math.pi ** (d / 2) / math.gamma(d / 2 + 1))
