# mistake: returns the free energy F = -T log Z in place of log Z; the second output is log Z itself
# diagnosis: free-energy
import numpy as np


def boltzmann(energies, temperature):
    a = -np.asarray(energies, dtype=float) / temperature
    m = a.max()
    log_Z = m + np.log(np.exp(a - m).sum())
    return np.exp(a - log_Z), float(-temperature * log_Z)
