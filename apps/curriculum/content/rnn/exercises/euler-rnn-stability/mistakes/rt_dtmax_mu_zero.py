# mistake: euler_stability tests only Re(mu) > 0 (strict) before the dt_max formula, so the stated edge case mu = 0 gives 0/0 = nan instead of 0.0.
# diagnosis: zero-eigenvalue-not-zero
import numpy as np


def euler_rnn(W_h, b, h0, dt, tau, steps):
    W_h = np.asarray(W_h, dtype=float)
    b = np.asarray(b, dtype=float)
    alpha = float(dt) / float(tau)
    h = np.array(h0, dtype=float)
    states = [h.copy()]
    for _ in range(int(steps)):
        h = (1.0 - alpha) * h + alpha * np.tanh(W_h @ h + b)
        states.append(h.copy())
    return np.array(states)


def euler_stability(W_h, b, h_star, dt, tau):
    W_h = np.asarray(W_h, dtype=float)
    b = np.asarray(b, dtype=float)
    h_star = np.asarray(h_star, dtype=float)
    n = h_star.shape[0]
    d = 1.0 - np.tanh(W_h @ h_star + b) ** 2
    A = -np.eye(n) + d[:, None] * W_h
    mu = np.sort_complex(np.linalg.eigvals(A))
    alpha = float(dt) / float(tau)
    nu = np.sort_complex(1.0 + alpha * mu)
    if np.any(mu.real > 0):
        dt_max = 0.0
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            dt_max = float(tau * np.min(-2.0 * mu.real / np.abs(mu) ** 2))
    return mu, nu, dt_max
