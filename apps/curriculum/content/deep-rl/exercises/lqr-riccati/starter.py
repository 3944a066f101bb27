import numpy as np


def lqr_gains(A, B, Q, R, Qf, N):
    """Finite-horizon LQR by the backward Riccati recursion: gains K[t] and value matrices P[t]."""
    A, B, Q, R, Qf = (np.asarray(M, dtype=float) for M in (A, B, Q, R, Qf))
    n, m = B.shape
    N = int(N)
    P = np.empty((N + 1, n, n))
    K = np.zeros((N, m, n))
    P[N] = Qf
    for t in range(N - 1, -1, -1):
        # TODO: the gain K[t] from P[t + 1], then P[t]
        P[t] = Q
    return K, P


def lqr_rollout(A, B, Q, R, Qf, K, x0):
    """States, inputs and total cost of the closed loop u_t = -K[t] x_t from x0."""
    A, B, Q, R, Qf, K = (np.asarray(M, dtype=float) for M in (A, B, Q, R, Qf, K))
    x = np.asarray(x0, dtype=float)
    states, inputs, cost = [x], [], 0.0
    for _t in range(K.shape[0]):
        u = np.zeros(B.shape[1])  # TODO: the feedback input from K[t]
        x = A @ x + B @ u
        states.append(x)
        inputs.append(u)
    # TODO: the running and final costs
    return np.array(states), np.array(inputs).reshape(K.shape[0], B.shape[1]), cost
