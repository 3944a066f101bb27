import numpy as np


def q_learning(P, R, gamma, alpha, epsilon, steps, seed):
    """Epsilon-greedy tabular Q-learning on one trajectory from state 0; returns Q (S, A)."""
    P = np.asarray(P, dtype=float)
    R = np.asarray(R, dtype=float)
    S, A = R.shape
    rng = np.random.default_rng(seed)
    cumulative = P.cumsum(axis=2)
    Q = np.zeros((S, A))
    s = 0
    for _ in range(steps):
        a = int(rng.integers(A)) if rng.random() < epsilon else int(np.argmax(Q[s]))
        s_next = min(int(np.searchsorted(cumulative[s, a], rng.random(), side="right")), S - 1)
        Q[s, a] += alpha * (R[s, a] + gamma * Q[s_next].max() - Q[s, a])
        s = s_next
    return Q
