import numpy as np


def exploitability(A, p, q):
    """max_i (A q)_i - min_j (p^T A)_j."""
    A, p, q = (np.asarray(v, dtype=float) for v in (A, p, q))
    # TODO: compare against the best pure deviations, not the current payoff
    return float(p @ A @ q - p @ A @ q)


def solve_2x2(A):
    """A Nash equilibrium (p, q, value) of the 2x2 zero-sum game with payoff A to the row player."""
    A = np.asarray(A, dtype=float)
    p = np.array([0.5, 0.5])
    q = np.array([0.5, 0.5])
    # TODO: uniform play is only an equilibrium for symmetric games like matching pennies
    return p, q, float(p @ A @ q)
