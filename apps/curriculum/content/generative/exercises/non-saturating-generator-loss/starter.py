import numpy as np


def minimax_generator_loss(logits):
    """Mean of log(1 - D) with D = sigmoid(logit), and its gradient with respect to each logit."""
    logits = np.asarray(logits, dtype=float)
    D = 1.0 / (1.0 + np.exp(-logits))
    loss = float(np.mean(np.log(1.0 - D)))
    # TODO: a stable loss, and the gradient of the mean with respect to every logit
    return loss, np.zeros_like(logits)


def non_saturating_generator_loss(logits):
    """Mean of -log D with D = sigmoid(logit), and its gradient with respect to each logit."""
    logits = np.asarray(logits, dtype=float)
    # TODO: the loss -log D, computed stably, and its gradient
    return 0.0, np.zeros_like(logits)
