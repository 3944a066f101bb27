import numpy as np


def cross_entropy(logits, labels):
    """Mean negative log-likelihood (nats) of integer labels under softmax(logits)."""
    logits = np.asarray(logits, dtype=float)
    labels = np.asarray(labels, dtype=int)
    m = logits.max(axis=-1, keepdims=True)
    log_norm = m[:, 0] + np.log(np.exp(logits - m).sum(axis=-1))
    picked = logits[np.arange(logits.shape[0]), labels]
    return float(np.mean(log_norm - picked))
