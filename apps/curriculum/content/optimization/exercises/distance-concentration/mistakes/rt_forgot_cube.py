# mistake: log_ball_volume_fraction returns log V_d, the log volume of the ball, and forgets to divide by the cube's volume 2^d; subtract d * log(2)
# diagnosis: forgot-the-cube
import math

import numpy as np


def nearest_farthest_ratio(X, q):
    dist = np.linalg.norm(np.asarray(X, dtype=float) - q, axis=1)
    return float(dist.min() / dist.max())


def log_ball_volume_fraction(d):
    return d / 2 * math.log(math.pi) - math.lgamma(d / 2 + 1)
