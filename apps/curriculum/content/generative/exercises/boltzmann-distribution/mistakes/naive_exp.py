# diagnosis: naive-exp
import numpy as np


def boltzmann(energies, temperature):
    """Boltzmann probabilities p_k ∝ exp(-E_k / T) and log Z. Returns (p, log_Z)."""
    energies = np.asarray(energies, dtype=float)
    # TODO: this overflows for energies near -1000; use the log-sum-exp trick.
    weights = np.exp(-energies / temperature)
    Z = weights.sum()
    return weights / Z, float(np.log(Z))
