# mistake: uses +c instead of -c in the right-hand side of the KKT system, solving Q x + A^T lam = c; stationarity Q x + c + A^T lam = 0 puts -c on the right
# diagnosis: rhs-plus-c
import numpy as np


def solve_equality_qp(Q, c, A, b):
    Q, c, A, b = (np.asarray(v, dtype=float) for v in (Q, c, A, b))
    n, m = Q.shape[0], A.shape[0]
    K = np.block([[Q, A.T], [A, np.zeros((m, m))]])
    sol = np.linalg.solve(K, np.concatenate([c, b]))
    return sol[:n], sol[n:]
