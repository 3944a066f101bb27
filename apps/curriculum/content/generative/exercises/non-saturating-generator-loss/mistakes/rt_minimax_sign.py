# mistake: the minimax loss is written as the mean of -log(1 - sigma(l)) = mean softplus(l) with gradient +sigma/N (the discriminator's loss on fakes), the opposite sign of L_mm; L_mm = mean log(1 - sigma(l)) = -mean softplus(l).
# diagnosis: minimax-sign
import numpy as np


def _sigmoid(x):
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def minimax_generator_loss(logits):
    l = np.asarray(logits, dtype=float)
    N = l.shape[0]
    loss = np.mean(np.logaddexp(0.0, l))
    grad = _sigmoid(l) / N
    return float(loss), grad


def non_saturating_generator_loss(logits):
    l = np.asarray(logits, dtype=float)
    N = l.shape[0]
    loss = np.mean(np.logaddexp(0.0, -l))
    grad = -_sigmoid(-l) / N
    return float(loss), grad
