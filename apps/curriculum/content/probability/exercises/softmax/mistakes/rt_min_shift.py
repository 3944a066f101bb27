# mistake: subtracts the row minimum instead of the row maximum, so widely spread logits still overflow exp; subtract z.max(axis=-1, keepdims=True)
# diagnosis: row-min-shift
import numpy as np


def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.min(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
