# diagnosis: plus-sign
import numpy as np


def boltzmann(energies, temperature):
    a = np.asarray(energies, dtype=float) / float(temperature)  # forgot the minus sign
    m = a.max()
    log_z = m + np.log(np.exp(a - m).sum())
    return np.exp(a - log_z), float(log_z)
