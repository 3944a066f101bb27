# mistake: picks the correct-class logits with logits[:, labels], an (N, N) matrix of every row at every label, instead of logits[np.arange(N), labels]
# diagnosis: column-indexing
import numpy as np


def cross_entropy(logits, labels):
    logits = np.asarray(logits, dtype=float)
    labels = np.asarray(labels, dtype=int)
    m = logits.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return float(np.mean(lse - logits[:, labels]))
