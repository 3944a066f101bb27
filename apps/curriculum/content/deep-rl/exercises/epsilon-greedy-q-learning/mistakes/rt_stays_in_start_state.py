# mistake: never moves on (the s = s_next line is missing), so the agent keeps acting in state 0 and every other state's row stays at zero; continue from s = s_next
# diagnosis: stays-in-start
import numpy as np


def q_learning(P, R, gamma, alpha, epsilon, steps, seed):
    P = np.asarray(P, dtype=float)
    R = np.asarray(R, dtype=float)
    S, A = R.shape
    rng = np.random.default_rng(seed)
    Q = np.zeros((S, A))
    s = 0
    for _ in range(steps):
        if rng.random() < epsilon:
            a = int(rng.integers(A))
        else:
            a = int(np.argmax(Q[s]))
        s_next = int(rng.choice(S, p=P[s, a]))
        Q[s, a] += alpha * (R[s, a] + gamma * Q[s_next].max() - Q[s, a])
    return Q
