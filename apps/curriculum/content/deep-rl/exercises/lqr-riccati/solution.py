import numpy as np


def lqr_gains(A, B, Q, R, Qf, N):
    """Finite-horizon LQR by the backward Riccati recursion: gains K[t] and value matrices P[t]."""
    A, B, Q, R, Qf = (np.asarray(M, dtype=float) for M in (A, B, Q, R, Qf))
    n, m = B.shape
    N = int(N)
    P = np.empty((N + 1, n, n))
    K = np.empty((N, m, n))
    P[N] = Qf
    for t in range(N - 1, -1, -1):
        K[t] = np.linalg.solve(R + B.T @ P[t + 1] @ B, B.T @ P[t + 1] @ A)
        closed = A - B @ K[t]
        P[t] = Q + K[t].T @ R @ K[t] + closed.T @ P[t + 1] @ closed
    return K, P


def lqr_rollout(A, B, Q, R, Qf, K, x0):
    """States, inputs and total cost of the closed loop u_t = -K[t] x_t from x0."""
    A, B, Q, R, Qf, K = (np.asarray(M, dtype=float) for M in (A, B, Q, R, Qf, K))
    x = np.asarray(x0, dtype=float)
    states, inputs, cost = [x], [], 0.0
    for t in range(K.shape[0]):
        u = -K[t] @ x
        cost += float(x @ Q @ x + u @ R @ u)
        x = A @ x + B @ u
        states.append(x)
        inputs.append(u)
    cost += float(x @ Qf @ x)
    return np.array(states), np.array(inputs).reshape(K.shape[0], B.shape[1]), cost
