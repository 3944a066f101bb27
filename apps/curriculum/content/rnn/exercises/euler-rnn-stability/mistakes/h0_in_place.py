# diagnosis: h0-changed-in-place
import numpy as np


def euler_rnn(W_h, b, h0, dt, tau, steps):
    alpha = dt / tau
    h = h0  # the caller's array, updated in place below
    states = [h.copy()]
    for _ in range(steps):
        h[:] = (1 - alpha) * h + alpha * np.tanh(W_h @ h + b)
        states.append(h.copy())
    return np.array(states)


def euler_stability(W_h, b, h_star, dt, tau):
    n = len(h_star)
    A = -np.eye(n) + np.diag(1 - h_star**2) @ W_h
    mu = np.sort_complex(np.linalg.eigvals(A))
    nu = np.sort_complex(1 + dt / tau * mu)
    if np.any(mu.real >= 0):
        return mu, nu, 0.0
    return mu, nu, tau * np.min(-2 * mu.real / np.abs(mu) ** 2)
