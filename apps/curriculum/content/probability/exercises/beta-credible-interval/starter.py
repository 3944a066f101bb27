import math

import numpy as np


def beta_cdf(t, a, b):
    """P(Theta <= t) for Theta ~ Beta(a, b), whole a, b >= 1; elementwise over t."""
    t = np.asarray(t, dtype=float)
    # TODO: the binomial tail of the lesson. This is only right for a = b = 1.
    return t


def beta_credible_interval(a, b, level=0.95):
    """Equal-tailed credible interval of Beta(a, b)."""
    # TODO: bisection on beta_cdf. This is mean +/- 2 standard deviations, a rough guess.
    mean = a / (a + b)
    sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    return mean - 2 * sd, mean + 2 * sd
