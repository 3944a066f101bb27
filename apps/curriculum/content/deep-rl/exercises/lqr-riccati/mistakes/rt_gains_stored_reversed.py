# mistake: the gains are stored in the order they are computed (K[0] is the last-step gain K_{N-1}); store K_t at index t.
# diagnosis: gains-reversed
import numpy as np


def lqr_gains(A, B, Q, R, Qf, N):
    A, B, Q, R, Qf = (np.asarray(M, dtype=float) for M in (A, B, Q, R, Qf))
    n, m = B.shape
    P = np.zeros((N + 1, n, n))
    K = np.zeros((N, m, n))
    P[N] = Qf
    for i, t in enumerate(reversed(range(N))):
        Pn = P[t + 1]
        Kt = np.linalg.solve(R + B.T @ Pn @ B, B.T @ Pn @ A)
        K[i] = Kt
        Acl = A - B @ Kt
        P[t] = Q + Kt.T @ R @ Kt + Acl.T @ Pn @ Acl
    return K, P


def lqr_rollout(A, B, Q, R, Qf, K, x0):
    A, B, Q, R, Qf, K = (np.asarray(M, dtype=float) for M in (A, B, Q, R, Qf, K))
    x = np.asarray(x0, dtype=float)
    N = K.shape[0]
    xs = [x]
    us = []
    J = 0.0
    for t in range(N):
        u = -K[t] @ x
        J += x @ Q @ x + u @ R @ u
        x = A @ x + B @ u
        xs.append(x)
        us.append(u)
    J += x @ Qf @ x
    return np.array(xs), np.array(us).reshape(N, B.shape[1]), float(J)
