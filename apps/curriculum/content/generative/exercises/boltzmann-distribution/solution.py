import numpy as np


def boltzmann(energies, temperature):
    """Boltzmann probabilities p_k ∝ exp(-E_k / T) and log Z. Returns (p, log_Z)."""
    a = -np.asarray(energies, dtype=float) / float(temperature)
    m = a.max()
    log_z = m + np.log(np.exp(a - m).sum())
    return np.exp(a - log_z), float(log_z)
