# mistake: plugin_mutual_information passes the raw counts to mutual_information without dividing by N, so the "joint" sums to N instead of 1; divide the counts by N first
# diagnosis: counts-not-normalised
import numpy as np


def mutual_information(pxy):
    pxy = np.asarray(pxy, dtype=float)
    px = pxy.sum(axis=1, keepdims=True)
    py = pxy.sum(axis=0, keepdims=True)
    nz = pxy > 0
    return float(np.sum(pxy[nz] * np.log(pxy[nz] / (px * py)[nz])))


def plugin_mutual_information(x, y):
    _, ix = np.unique(np.asarray(x), return_inverse=True)
    _, iy = np.unique(np.asarray(y), return_inverse=True)
    counts = np.zeros((ix.max() + 1, iy.max() + 1))
    np.add.at(counts, (ix, iy), 1)
    return mutual_information(counts)
