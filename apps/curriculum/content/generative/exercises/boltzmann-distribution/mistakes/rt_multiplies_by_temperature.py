# mistake: multiplies the energies by the temperature, -E * T, instead of dividing, -E / T, so a small T flattens the distribution and a large T sharpens it
# diagnosis: times-temperature
import numpy as np


def boltzmann(energies, temperature):
    a = -np.asarray(energies, dtype=float) * temperature
    m = a.max()
    log_Z = m + np.log(np.exp(a - m).sum())
    return np.exp(a - log_Z), float(log_Z)
