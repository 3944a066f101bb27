# mistake: carries the minus sign onto b as well, right-hand side (-c, -b), so the solution satisfies A x = -b; the feasibility row is A x = b
# diagnosis: rhs-minus-b
import numpy as np


def solve_equality_qp(Q, c, A, b):
    Q, c, A, b = (np.asarray(v, dtype=float) for v in (Q, c, A, b))
    n, m = Q.shape[0], A.shape[0]
    K = np.block([[Q, A.T], [A, np.zeros((m, m))]])
    sol = np.linalg.solve(K, -np.concatenate([c, b]))
    return sol[:n], sol[n:]
