# mistake: nearest_farthest_ratio returns max / min instead of min / max, a number >= 1; the nearest distance goes on top
# diagnosis: farthest-over-nearest
import math

import numpy as np


def nearest_farthest_ratio(X, q):
    dist = np.linalg.norm(np.asarray(X, dtype=float) - q, axis=1)
    return float(dist.max() / dist.min())


def log_ball_volume_fraction(d):
    return d / 2 * math.log(math.pi) - math.lgamma(d / 2 + 1) - d * math.log(2)
