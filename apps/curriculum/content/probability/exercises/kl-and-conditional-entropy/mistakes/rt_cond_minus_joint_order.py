# mistake: in conditional_entropy subtracts the wrong way round, H(X) - H(X, Y), which is -H(Y | X); the chain rule gives H(Y | X) = H(X, Y) - H(X)
# diagnosis: chain-rule-reversed
import numpy as np


def kl_divergence(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore"):
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / q), 0.0)
    return terms.sum(axis=-1)


def _h(p):
    p = p[p > 0]
    return -(p * np.log(p)).sum()


def conditional_entropy(joint):
    joint = np.asarray(joint, dtype=float)
    return float(_h(joint.sum(axis=1)) - _h(joint.ravel()))
