# diagnosis: marginal-spread
import numpy as np


def gibbs_gaussian(mu, sigma, rho, x0, noise):
    mu, sigma, noise = (np.asarray(a, dtype=float) for a in (mu, sigma, noise))
    x1, x2 = (float(v) for v in np.asarray(x0, dtype=float))
    out = np.empty((noise.shape[0], 2))
    for t in range(noise.shape[0]):
        # conditional spread taken as the marginal sigma, missing sqrt(1 - rho^2)
        x1 = mu[0] + rho * sigma[0] / sigma[1] * (x2 - mu[1]) + sigma[0] * noise[t, 0]
        x2 = mu[1] + rho * sigma[1] / sigma[0] * (x1 - mu[0]) + sigma[1] * noise[t, 1]
        out[t] = x1, x2
    return out
