# diagnosis: never-explores
import numpy as np


def q_learning(P, R, gamma, alpha, epsilon, steps, seed):
    S, A = R.shape
    rng = np.random.default_rng(seed)
    Q = np.zeros((S, A))
    s = 0
    for _ in range(steps):
        a = int(np.argmax(Q[s]))
        s_next = int(rng.choice(S, p=P[s, a]))
        Q[s, a] += alpha * (R[s, a] + gamma * Q[s_next].max() - Q[s, a])
        s = s_next
    return Q
