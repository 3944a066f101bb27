# mistake: both losses are computed as log(1 - sigmoid(l)) and -log(sigmoid(l)), which give -inf/inf when sigmoid rounds to 0 or 1 (logits of +-50, +-1000); write them with np.logaddexp(0, x).
# diagnosis: naive-logs
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
    loss = np.mean(np.log(1.0 - _sigmoid(l)))
    grad = -_sigmoid(l) / N
    return float(loss), grad


def non_saturating_generator_loss(logits):
    l = np.asarray(logits, dtype=float)
    N = l.shape[0]
    loss = np.mean(-np.log(_sigmoid(l)))
    grad = -_sigmoid(-l) / N
    return float(loss), grad
