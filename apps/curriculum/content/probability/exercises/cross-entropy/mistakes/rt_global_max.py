# mistake: shifts by the maximum of the whole batch instead of each row's maximum, so a row whose logits sit far below the batch max underflows to log(0); take the max per row with keepdims=True
# diagnosis: global-max
import numpy as np


def cross_entropy(logits, labels):
    logits = np.asarray(logits, dtype=float)
    labels = np.asarray(labels, dtype=int)
    m = logits.max()
    lse = m + np.log(np.exp(logits - m).sum(axis=1))
    return float(np.mean(lse - logits[np.arange(len(labels)), labels]))
