# mistake: scales the noise by the conditional variance sigma^2 (1 - rho^2) instead of the conditional standard deviation sigma sqrt(1 - rho^2); a draw from N(m, s^2) is m + s * eps
# diagnosis: variance-as-spread
import numpy as np


def gibbs_gaussian(mu, sigma, rho, x0, noise):
    mu = np.asarray(mu, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    noise = np.asarray(noise, dtype=float)
    x1, x2 = float(x0[0]), float(x0[1])
    rows = []

    for t in range(len(noise)):
        x1 = (
            mu[0]
            + rho * sigma[0] / sigma[1] * (x2 - mu[1])
            + sigma[0] ** 2 * (1 - rho**2) * noise[t, 0]
        )
        x2 = (
            mu[1]
            + rho * sigma[1] / sigma[0] * (x1 - mu[0])
            + sigma[1] ** 2 * (1 - rho**2) * noise[t, 1]
        )
        rows.append((x1, x2))
    return np.array(rows)
