# diagnosis: plus-sign
import numpy as np


def _mi(joint):
    outer = joint.sum(axis=1, keepdims=True) * joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / outer[nz])))


def _marginal_and_decoder(px, p_y_x, encoder):
    q_t = px @ encoder
    q_y_t = (encoder * px[:, None]).T @ p_y_x / q_t[:, None]
    return q_t, q_y_t


def information_bottleneck(pxy, beta, q0, n_iter):
    """Iterative IB. Returns (encoder q(t|x) of shape (nx, nt), I(X;T), I(T;Y)) in nats."""
    pxy = np.asarray(pxy, dtype=float)
    px = pxy.sum(axis=1)
    p_y_x = pxy / px[:, None]
    encoder = np.asarray(q0, dtype=float).copy()
    for _ in range(int(n_iter)):
        q_t, q_y_t = _marginal_and_decoder(px, p_y_x, encoder)
        kl = np.sum(
            p_y_x[:, None, :] * (np.log(p_y_x)[:, None, :] - np.log(q_y_t)[None, :, :]), axis=-1
        )
        logits = np.log(q_t)[None, :] + beta * kl  # wrong sign
        logits -= logits.max(axis=1, keepdims=True)
        encoder = np.exp(logits)
        encoder /= encoder.sum(axis=1, keepdims=True)
    q_t, q_y_t = _marginal_and_decoder(px, p_y_x, encoder)
    i_xt = _mi(encoder * px[:, None])
    i_ty = _mi(q_y_t * q_t[:, None])
    return encoder, i_xt, i_ty
