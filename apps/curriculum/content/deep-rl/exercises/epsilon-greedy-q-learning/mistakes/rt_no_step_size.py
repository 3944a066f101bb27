# mistake: replaces Q(s, a) by the one-sample target r + gamma max Q(s_next) (no step size alpha), so with random transitions the table jumps from sample to sample instead of averaging; move a fraction alpha toward the target
# diagnosis: no-step-size
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
        Q[s, a] = R[s, a] + gamma * Q[s_next].max()
        s = s_next
    return Q
