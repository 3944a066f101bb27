# diagnosis: naive-gamma
import math

import numpy as np


def nearest_farthest_ratio(X, q):
    dist = np.linalg.norm(np.asarray(X) - np.asarray(q), axis=1)
    return float(dist.min() / dist.max())


def log_ball_volume_fraction(d):
    return math.log(math.pi ** (d / 2) / math.gamma(d / 2 + 1) / 2**d)
