import numpy as np


def euler_rnn(W_h, b, h0, dt, tau, steps):
    """States h_0, ..., h_steps of the leaky RNN, Euler steps of tau dh/dt = -h + tanh(W_h h + b).

    Returns an array of shape (steps + 1, n); row 0 is h0, which is left unchanged.
    """
    W_h = np.asarray(W_h, dtype=float)
    h = np.array(h0, dtype=float)
    states = [h]
    for _ in range(int(steps)):
        # TODO: one Euler step with alpha = dt / tau (this is the Elman RNN, alpha = 1)
        h = np.tanh(W_h @ h + b)
        states.append(h)
    return np.array(states)


def euler_stability(W_h, b, h_star, dt, tau):
    """(mu, nu, dt_max) at the fixed point h_star.

    mu: eigenvalues of A, the Jacobian of -h + tanh(W_h h + b) at h_star, np.sort_complex order;
    nu: eigenvalues of the leaky RNN's Jacobian I + (dt / tau) A, same order;
    dt_max: the largest stable step (0.0 when no positive step is stable).
    """
    W_h = np.asarray(W_h, dtype=float)
    # TODO: the Jacobian of the right-hand side has a -I and a factor from tanh'
    mu = np.sort_complex(np.linalg.eigvals(W_h))
    nu = 1 + mu  # TODO: the Euler map's eigenvalues for this step
    dt_max = 0.0  # TODO: the largest step with every |nu| < 1
    return mu, nu, dt_max
