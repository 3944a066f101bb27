# mistake: computes every target and old value from Q0 instead of the table left by the previous rows; apply the rows in order to one copy
# diagnosis: targets-from-q0
import numpy as np


def q_learning_updates(Q0, transitions, alpha, gamma):
    Q0 = np.array(Q0, dtype=float)
    Q = Q0.copy()
    T = np.asarray(transitions, dtype=float).reshape(-1, 4)
    s, a, s_next = T[:, 0].astype(int), T[:, 1].astype(int), T[:, 3].astype(int)
    targets = T[:, 2] + gamma * Q0[s_next].max(axis=1)
    for k in range(len(T)):
        Q[s[k], a[k]] += alpha * (targets[k] - Q0[s[k], a[k]])
    return Q
