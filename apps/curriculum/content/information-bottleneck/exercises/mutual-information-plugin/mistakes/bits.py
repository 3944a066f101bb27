# diagnosis: bits
import numpy as np


def mutual_information(pxy):
    pxy = np.asarray(pxy, dtype=float)
    outer = pxy.sum(axis=1, keepdims=True) * pxy.sum(axis=0, keepdims=True)
    nz = pxy > 0
    return float(np.sum(pxy[nz] * np.log2(pxy[nz] / outer[nz])))  # bits, not nats


def plugin_mutual_information(x, y):
    _, ix = np.unique(x, return_inverse=True)
    _, iy = np.unique(y, return_inverse=True)
    counts = np.zeros((ix.max() + 1, iy.max() + 1))
    np.add.at(counts, (ix.ravel(), iy.ravel()), 1.0)
    return mutual_information(counts / counts.sum())
