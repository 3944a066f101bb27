# mistake: subtracts the row max inside the log-sum-exp but forgets to add it back, computing log(sum exp(z - m)) - z_y; the stable form is m + log(sum exp(z - m)) - z_y
# diagnosis: no-add-back-max
import numpy as np


def cross_entropy(logits, labels):
    logits = np.asarray(logits, dtype=float)
    labels = np.asarray(labels, dtype=int)
    m = logits.max(axis=1, keepdims=True)
    lse = np.log(np.exp(logits - m).sum(axis=1))
    return float(np.mean(lse - logits[np.arange(len(labels)), labels]))
