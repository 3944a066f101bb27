import numpy as np


def gibbs_gaussian(mu, sigma, rho, x0, noise):
    """Gibbs sweeps for a bivariate Gaussian; row t is the state after sweep t, shape (n, 2)."""
    mu = np.asarray(mu, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    noise = np.asarray(noise, dtype=float)
    rho = float(rho)
    scale = np.sqrt(1.0 - rho**2)
    x1, x2 = (float(v) for v in np.asarray(x0, dtype=float))
    out = np.empty((noise.shape[0], 2))
    for t in range(noise.shape[0]):
        x1 = mu[0] + rho * sigma[0] / sigma[1] * (x2 - mu[1]) + sigma[0] * scale * noise[t, 0]
        x2 = mu[1] + rho * sigma[1] / sigma[0] * (x1 - mu[0]) + sigma[1] * scale * noise[t, 1]
        out[t] = x1, x2
    return out
