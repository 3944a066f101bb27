# mistake: bootstraps from the average of the next state's action values, Q[s_next].mean(), instead of their maximum; the Q-learning target is r + gamma * max_a' Q(s', a')
# diagnosis: mean-next-value
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
        Q[s, a] += alpha * (R[s, a] + gamma * Q[s_next].mean() - Q[s, a])
        s = s_next
    return Q
