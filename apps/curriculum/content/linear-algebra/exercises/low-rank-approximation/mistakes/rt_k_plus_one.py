# mistake: keeps k + 1 terms (s[:k + 1]) after confusing the 1-based sum with 0-based slices; the slice [:k] already holds the k largest
# diagnosis: one-term-too-many
import numpy as np


def low_rank_approximation(M, k):
    M = np.asarray(M, dtype=float)
    U, s, Vt = np.linalg.svd(M, full_matrices=False)
    return (U[:, : k + 1] * s[: k + 1]) @ Vt[: k + 1]
