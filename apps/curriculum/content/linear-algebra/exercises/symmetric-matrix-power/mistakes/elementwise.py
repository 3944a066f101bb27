# diagnosis: entrywise-power-abs
import numpy as np


def sym_matrix_power(A, t):
    return np.abs(np.asarray(A, dtype=float)) ** t
