# mistake: plugin_mutual_information uses the raw labels as table indices (np.add.at(counts, (x, y), 1) with a table of size max + 1), so negative labels wrap around to the end and labels are not compacted; relabel with np.unique(..., return_inverse=True) first
# diagnosis: labels-as-indices
import numpy as np


def mutual_information(pxy):
    pxy = np.asarray(pxy, dtype=float)
    px = pxy.sum(axis=1, keepdims=True)
    py = pxy.sum(axis=0, keepdims=True)
    nz = pxy > 0
    return float(np.sum(pxy[nz] * np.log(pxy[nz] / (px * py)[nz])))


def plugin_mutual_information(x, y):
    x = np.asarray(x)
    y = np.asarray(y)
    counts = np.zeros((x.max() + 1, y.max() + 1))
    np.add.at(counts, (x, y), 1)
    return mutual_information(counts / len(x))
