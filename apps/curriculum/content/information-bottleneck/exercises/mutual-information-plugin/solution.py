import numpy as np


def mutual_information(pxy):
    """I(X;Y) in nats for a joint table of shape (nx, ny)."""
    pxy = np.asarray(pxy, dtype=float)
    px = pxy.sum(axis=1, keepdims=True)
    py = pxy.sum(axis=0, keepdims=True)
    outer = px * py
    nz = pxy > 0
    return float(np.sum(pxy[nz] * np.log(pxy[nz] / outer[nz])))


def plugin_mutual_information(x, y):
    """Plug-in estimate of I(X;Y) in nats from paired samples of shape (N,)."""
    _, ix = np.unique(np.asarray(x), return_inverse=True)
    _, iy = np.unique(np.asarray(y), return_inverse=True)
    ix, iy = ix.ravel(), iy.ravel()
    counts = np.zeros((ix.max() + 1, iy.max() + 1))
    np.add.at(counts, (ix, iy), 1.0)
    return mutual_information(counts / counts.sum())
