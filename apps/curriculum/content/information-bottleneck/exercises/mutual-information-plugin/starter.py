import numpy as np


def mutual_information(pxy):
    """I(X;Y) in nats for a joint table of shape (nx, ny)."""
    pxy = np.asarray(pxy, dtype=float)
    px = pxy.sum(axis=1, keepdims=True)
    py = pxy.sum(axis=0, keepdims=True)
    # TODO: cells with p(x, y) = 0 give 0 * log(0) = nan here
    return float(np.sum(pxy * np.log(pxy / (px * py))))


def plugin_mutual_information(x, y):
    """Plug-in estimate of I(X;Y) in nats from paired samples of shape (N,)."""
    # TODO: build the empirical joint table and call mutual_information
    return 0.0
