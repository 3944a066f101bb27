# mistake: uses sigma_2 / sigma_1 in the conditional mean of x1 (and sigma_1 / sigma_2 for x2), the ratios the wrong way round; x1 | x2 has mean mu_1 + rho (sigma_1 / sigma_2)(x2 - mu_2)
# diagnosis: inverted-ratio
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
            + rho * sigma[1] / sigma[0] * (x2 - mu[1])
            + sigma[0] * np.sqrt(1 - rho**2) * noise[t, 0]
        )
        x2 = (
            mu[1]
            + rho * sigma[0] / sigma[1] * (x1 - mu[0])
            + sigma[1] * np.sqrt(1 - rho**2) * noise[t, 1]
        )
        rows.append((x1, x2))
    return np.array(rows)
