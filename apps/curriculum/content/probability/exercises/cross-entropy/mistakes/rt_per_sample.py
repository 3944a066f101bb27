# mistake: returns the per-sample losses, an array of shape (N,), instead of their mean; finish with .mean() to return one float
# diagnosis: per-sample
import numpy as np


def cross_entropy(logits, labels):
    logits = np.asarray(logits, dtype=float)
    labels = np.asarray(labels, dtype=int)
    m = logits.max(axis=1, keepdims=True)
    lse = (m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True)))[:, 0]
    return lse - logits[np.arange(len(labels)), labels]
