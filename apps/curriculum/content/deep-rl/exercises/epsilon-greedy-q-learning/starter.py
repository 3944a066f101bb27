import numpy as np


def q_learning(P, R, gamma, alpha, epsilon, steps, seed):
    """Epsilon-greedy tabular Q-learning on one trajectory from state 0; returns Q (S, A)."""
    P = np.asarray(P, dtype=float)
    R = np.asarray(R, dtype=float)
    S, A = R.shape
    rng = np.random.default_rng(seed)
    Q = np.zeros((S, A))
    s = 0
    for _ in range(steps):
        a = int(np.argmax(Q[s]))  # TODO: explore with probability epsilon
        s_next = int(rng.choice(S, p=P[s, a]))
        # TODO: the Q-learning update is missing
        s = s_next
    return Q
