# diagnosis: log-of-softmax
import numpy as np


def cross_entropy(logits, labels):
    logits = np.asarray(logits, dtype=float)
    probs = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    return float(-np.mean(np.log(probs[np.arange(len(labels)), labels])))
