# mistake: plugin_mutual_information builds the table with np.histogram2d(x, y) and its default 10 bins, which merges distinct labels into one bin when they span a wide range (such as -3 and 100 with others in between); count each distinct label pair instead
# diagnosis: histogram-bins
import numpy as np


def mutual_information(pxy):
    pxy = np.asarray(pxy, dtype=float)
    px = pxy.sum(axis=1, keepdims=True)
    py = pxy.sum(axis=0, keepdims=True)
    nz = pxy > 0
    return float(np.sum(pxy[nz] * np.log(pxy[nz] / (px * py)[nz])))


def plugin_mutual_information(x, y):
    counts, _, _ = np.histogram2d(np.asarray(x), np.asarray(y))
    return mutual_information(counts / counts.sum())
