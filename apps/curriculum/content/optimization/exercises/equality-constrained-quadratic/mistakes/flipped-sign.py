# diagnosis: multiplier-sign
import numpy as np


def solve_equality_qp(Q, c, A, b):
    n, m = Q.shape[0], A.shape[0]
    kkt = np.block([[Q, -A.T], [A, np.zeros((m, m))]])
    solution = np.linalg.solve(kkt, np.concatenate([-c, b]))
    return solution[:n], solution[n:]
