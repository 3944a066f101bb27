# mistake: nearest_farthest_ratio takes np.linalg.norm(X - q, axis=0), the norms of the d columns, instead of axis=1, the N distances from q to the points
# diagnosis: norms-of-columns
import math

import numpy as np


def nearest_farthest_ratio(X, q):
    dist = np.linalg.norm(np.asarray(X, dtype=float) - q, axis=0)
    return float(dist.min() / dist.max())


def log_ball_volume_fraction(d):
    return d / 2 * math.log(math.pi) - math.lgamma(d / 2 + 1) - d * math.log(2)
