# mistake: expands the log but computes log(sum exp(z)) without subtracting the row max, so logits in the hundreds overflow to inf; compute m + log(sum exp(z - m)) with m the row max
# diagnosis: unshifted-logsumexp
import numpy as np


def cross_entropy(logits, labels):
    logits = np.asarray(logits, dtype=float)
    labels = np.asarray(labels, dtype=int)
    lse = np.log(np.exp(logits).sum(axis=1))
    return float(np.mean(lse - logits[np.arange(len(labels)), labels]))
