# mistake: computes the softmax stably but then the loss as -log(P[n, y_n]), which is log(0) = inf when the label's probability underflows (a logit dominated by hundreds); use the log-sum-exp form logsumexp(z) - z_y
# diagnosis: log-of-probability
import numpy as np


def softmax_cross_entropy_grad(Z, labels):
    Z = np.asarray(Z, dtype=float)
    labels = np.asarray(labels, dtype=int)
    N = Z.shape[0]
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(P[np.arange(N), labels]))
    dZ = P.copy()
    dZ[np.arange(N), labels] -= 1
    return loss, dZ / N
