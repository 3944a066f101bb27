# mistake: returns the mean log-likelihood z_y - logsumexp(z) instead of its negative, so the loss is negative; return logsumexp(z) - z_y
# diagnosis: sign-flipped
import numpy as np


def cross_entropy(logits, labels):
    logits = np.asarray(logits, dtype=float)
    labels = np.asarray(labels, dtype=int)
    m = logits.max(axis=1, keepdims=True)
    lse = (m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True)))[:, 0]
    return float(np.mean(logits[np.arange(len(labels)), labels] - lse))
