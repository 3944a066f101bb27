# diagnosis: squared-distances
import math

import numpy as np


def nearest_farthest_ratio(X, q):
    sq = ((np.asarray(X) - np.asarray(q)) ** 2).sum(axis=1)
    return float(sq.min() / sq.max())


def log_ball_volume_fraction(d):
    return d / 2 * math.log(math.pi) - math.lgamma(d / 2 + 1) - d * math.log(2)
