# mistake: the gain is computed as (B^T P B)^{-1} B^T P A, dropping R from the matrix to invert; use (R + B^T P_{t+1} B)^{-1} B^T P_{t+1} A.
# diagnosis: gain-without-r
import numpy as np


def lqr_gains(A, B, Q, R, Qf, N):
    A, B, Q, R, Qf = (np.asarray(M, dtype=float) for M in (A, B, Q, R, Qf))
    n, m = B.shape
    P = np.zeros((N + 1, n, n))
    K = np.zeros((N, m, n))
    P[N] = Qf
    for t in reversed(range(N)):
        Pn = P[t + 1]
        K[t] = np.linalg.lstsq(B.T @ Pn @ B, B.T @ Pn @ A, rcond=None)[0]
        Acl = A - B @ K[t]
        P[t] = Q + K[t].T @ R @ K[t] + Acl.T @ Pn @ Acl
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
