# mistake: log_ball_volume_fraction uses lgamma(d / 2) instead of lgamma(d / 2 + 1), the log of Gamma at the wrong argument; V_d has Gamma(d/2 + 1) in the denominator
# diagnosis: gamma-argument
import math

import numpy as np


def nearest_farthest_ratio(X, q):
    dist = np.linalg.norm(np.asarray(X, dtype=float) - q, axis=1)
    return float(dist.min() / dist.max())


def log_ball_volume_fraction(d):
    return d / 2 * math.log(math.pi) - math.lgamma(d / 2) - d * math.log(2)
