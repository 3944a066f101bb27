import numpy as np


def _sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -x))  # accurate for every x, no overflow


def minimax_generator_loss(logits):
    """Mean of log(1 - D) with D = sigmoid(logit), and its gradient with respect to each logit."""
    logits = np.asarray(logits, dtype=float)
    n = logits.shape[0]
    loss = float(np.mean(-np.logaddexp(0.0, logits)))
    return loss, -_sigmoid(logits) / n


def non_saturating_generator_loss(logits):
    """Mean of -log D with D = sigmoid(logit), and its gradient with respect to each logit."""
    logits = np.asarray(logits, dtype=float)
    n = logits.shape[0]
    loss = float(np.mean(np.logaddexp(0.0, -logits)))
    return loss, -_sigmoid(-logits) / n
