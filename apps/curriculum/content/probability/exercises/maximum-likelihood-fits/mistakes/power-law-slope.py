# diagnosis: log-log-fit
import numpy as np


def fit_gaussian(x):
    return float(np.mean(x)), float(np.std(x))


def fit_exponential(x):
    return float(1.0 / np.mean(x))


def fit_power_law(x, x_min):
    # A least-squares line through the log-log histogram: the estimate the lesson warns about.
    x = np.asarray(x, dtype=float)
    counts, edges = np.histogram(np.log(x), bins=20)
    keep = counts > 0
    centres = (edges[:-1] + edges[1:]) / 2
    slope = np.polyfit(centres[keep], np.log(counts[keep]), 1)[0]
    return float(1.0 - slope)
