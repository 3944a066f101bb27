# mistake: in conditional_entropy averages the row entropies H(Y | X = x) with equal weights 1/m instead of weighting each by p(x); sum -p(x, y) log p(y | x) over all entries
# diagnosis: unweighted-rows
import numpy as np


def kl_divergence(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore"):
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / q), 0.0)
    return terms.sum(axis=-1)


def conditional_entropy(joint):
    joint = np.asarray(joint, dtype=float)
    hs = []
    for row in joint:
        s = row.sum()
        if s == 0:
            hs.append(0.0)
            continue
        c = row[row > 0] / s
        hs.append(-(c * np.log(c)).sum())
    return float(np.mean(hs))
