# mistake: stores the start point x0 as the first row, returning n + 1 rows; row t must be the state after sweep t, without x0
# diagnosis: includes-start
import numpy as np


def gibbs_gaussian(mu, sigma, rho, x0, noise):
    mu = np.asarray(mu, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    noise = np.asarray(noise, dtype=float)
    x1, x2 = float(x0[0]), float(x0[1])
    rows = []
    rows.append((x1, x2))
    for t in range(len(noise)):
        x1 = (
            mu[0]
            + rho * sigma[0] / sigma[1] * (x2 - mu[1])
            + sigma[0] * np.sqrt(1 - rho**2) * noise[t, 0]
        )
        x2 = (
            mu[1]
            + rho * sigma[1] / sigma[0] * (x1 - mu[0])
            + sigma[1] * np.sqrt(1 - rho**2) * noise[t, 1]
        )
        rows.append((x1, x2))
    return np.array(rows)
