# mistake: subtracts m = max(-E/T) to stabilise but forgets to add it back to log Z, returning log sum exp(a - m) instead of m + log sum exp(a - m); the probabilities are right
# diagnosis: shift-not-added-back
import numpy as np


def boltzmann(energies, temperature):
    a = -np.asarray(energies, dtype=float) / temperature
    m = a.max()
    w = np.exp(a - m)
    return w / w.sum(), float(np.log(w.sum()))
