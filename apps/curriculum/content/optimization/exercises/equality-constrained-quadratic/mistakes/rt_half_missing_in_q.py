# mistake: differentiates 1/2 x^T Q x as 2 Q x (forgetting the 1/2), putting 2Q in the top-left block; the gradient of 1/2 x^T Q x is Q x for symmetric Q
# diagnosis: gradient-doubled
import numpy as np


def solve_equality_qp(Q, c, A, b):
    Q, c, A, b = (np.asarray(v, dtype=float) for v in (Q, c, A, b))
    n, m = Q.shape[0], A.shape[0]
    K = np.block([[2 * Q, A.T], [A, np.zeros((m, m))]])
    sol = np.linalg.solve(K, np.concatenate([-c, b]))
    return sol[:n], sol[n:]
