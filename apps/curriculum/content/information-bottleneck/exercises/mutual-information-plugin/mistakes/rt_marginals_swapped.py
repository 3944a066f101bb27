# mistake: mutual_information takes p(x) as the column sums and p(y) as the row sums (axis 0 and 1 swapped), so the product p(x) p(y) is paired with the wrong cells; p(x) = pxy.sum(axis=1), p(y) = pxy.sum(axis=0)
# diagnosis: swapped-marginals
import numpy as np


def mutual_information(pxy):
    pxy = np.asarray(pxy, dtype=float)
    px = pxy.sum(axis=0)
    py = pxy.sum(axis=1)
    total = 0.0
    for i in range(pxy.shape[0]):
        for j in range(pxy.shape[1]):
            if pxy[i, j] > 0:
                total += pxy[i, j] * np.log(
                    pxy[i, j] / (px[min(i, len(px) - 1)] * py[min(j, len(py) - 1)])
                )
    return float(total)


def plugin_mutual_information(x, y):
    _, ix = np.unique(np.asarray(x), return_inverse=True)
    _, iy = np.unique(np.asarray(y), return_inverse=True)
    counts = np.zeros((ix.max() + 1, iy.max() + 1))
    np.add.at(counts, (ix, iy), 1)
    return mutual_information(counts / len(ix))
