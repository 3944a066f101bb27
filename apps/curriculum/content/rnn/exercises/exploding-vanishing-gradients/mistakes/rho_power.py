# diagnosis: rho-power
import numpy as np


def gradient_norms(W, radii, T):
    radii = np.asarray(radii, dtype=float)
    return radii[:, None] ** np.arange(T + 1)[None, :]
