# diagnosis: initial-state-missing
import numpy as np


def euler_rnn(W_h, b, h0, dt, tau, steps):
    alpha = dt / tau
    h = np.array(h0, dtype=float)
    states = [h]
    for _ in range(steps):
        h = (1 - alpha) * h + alpha * np.tanh(W_h @ h + b)
        states.append(h)
    return np.array(states)[1:]


def euler_stability(W_h, b, h_star, dt, tau):
    n = len(h_star)
    A = -np.eye(n) + np.diag(1 - h_star**2) @ W_h
    mu = np.sort_complex(np.linalg.eigvals(A))
    alpha = dt / tau
    nu = np.sort_complex(1 + alpha * mu)
    if np.any(mu.real >= 0):
        return mu, nu, 0.0
    return mu, nu, tau * np.min(-2 * mu.real / np.abs(mu) ** 2)
