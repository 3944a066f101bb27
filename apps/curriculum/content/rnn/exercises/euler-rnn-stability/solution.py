import numpy as np


def euler_rnn(W_h, b, h0, dt, tau, steps):
    """States h_0, ..., h_steps of the leaky RNN, Euler steps of tau dh/dt = -h + tanh(W_h h + b)."""
    W_h = np.asarray(W_h, dtype=float)
    b = np.asarray(b, dtype=float)
    alpha = dt / tau
    h = np.array(h0, dtype=float)
    states = [h]
    for _ in range(int(steps)):
        h = (1 - alpha) * h + alpha * np.tanh(W_h @ h + b)
        states.append(h)
    return np.array(states)


def euler_stability(W_h, b, h_star, dt, tau):
    """(mu, nu, dt_max) at the fixed point h_star."""
    W_h = np.asarray(W_h, dtype=float)
    h_star = np.asarray(h_star, dtype=float)
    n = len(h_star)
    A = -np.eye(n) + (1 - h_star**2)[:, None] * W_h
    mu = np.sort_complex(np.linalg.eigvals(A))
    nu = np.sort_complex(1 + (dt / tau) * mu)
    if np.any(mu.real >= 0):
        return mu, nu, 0.0
    dt_max = float(tau * np.min(-2 * mu.real / np.abs(mu) ** 2))
    return mu, nu, dt_max
