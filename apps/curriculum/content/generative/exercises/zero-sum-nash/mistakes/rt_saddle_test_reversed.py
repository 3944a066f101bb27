# mistake: solve_2x2 looks for an entry that is the MAXIMUM of its row and the MINIMUM of its column, the reverse of a saddle point for a maximising row player; a saddle is the minimum of its row and the maximum of its column
# diagnosis: saddle-test-reversed
import numpy as np


def exploitability(A, p, q):
    A, p, q = (np.asarray(v, dtype=float) for v in (A, p, q))
    return float(np.max(A @ q) - np.min(p @ A))


def solve_2x2(A):
    A = np.asarray(A, dtype=float)
    for i in range(2):
        for j in range(2):
            if A[i, j] == A[i].max() and A[i, j] == A[:, j].min():
                return np.eye(2)[i], np.eye(2)[j], float(A[i, j])
    (a, b), (c, d) = A
    s = a - b - c + d
    p = np.array([(d - c) / s, (a - b) / s])
    q = np.array([(d - b) / s, (a - c) / s])
    return p, q, float((a * d - b * c) / s)
