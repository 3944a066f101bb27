# diagnosis: sum-not-mean
import numpy as np


def cross_entropy(logits, labels):
    logits = np.asarray(logits, dtype=float)
    m = logits.max(axis=-1, keepdims=True)
    log_probs = logits - m - np.log(np.exp(logits - m).sum(axis=-1, keepdims=True))
    return float(-log_probs[np.arange(len(labels)), labels].sum())
