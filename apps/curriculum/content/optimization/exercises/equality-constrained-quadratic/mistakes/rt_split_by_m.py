# mistake: splits the KKT solution at m instead of n (x = sol[:m], lam = sol[m:]), so x and lam get the wrong entries; the first n entries are x
# diagnosis: split-at-m
import numpy as np


def solve_equality_qp(Q, c, A, b):
    Q, c, A, b = (np.asarray(v, dtype=float) for v in (Q, c, A, b))
    n, m = Q.shape[0], A.shape[0]
    K = np.block([[Q, A.T], [A, np.zeros((m, m))]])
    sol = np.linalg.solve(K, np.concatenate([-c, b]))
    return sol[:m], sol[m:]
