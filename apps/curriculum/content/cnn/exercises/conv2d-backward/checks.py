import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots


def _conv2d(X, K):
    kh, kw = K.shape
    oh, ow = X.shape[0] - kh + 1, X.shape[1] - kw + 1
    out = np.zeros((oh, ow))
    for u in range(kh):
        for v in range(kw):
            out += K[u, v] * X[u : u + oh, v : v + ow]
    return out


def _case(rng, h, w, kh, kw):
    return (
        rng.normal(size=(h, w)),
        rng.normal(size=(kh, kw)),
        rng.normal(size=(h - kh + 1, w - kw + 1)),
    )


def cases(rng: np.random.Generator) -> list[Call]:
    h, w = int(rng.integers(6, 9)), int(rng.integers(7, 10))
    X, _, G = _case(rng, 7, 8, 2, 3)
    asym = np.array([[1.0, 2.0, 0.0], [0.0, 0.0, -1.0]])
    return [
        Call(
            "random",
            "conv2d_backward",
            _case(rng, h, w, 3, 2),
            label=f"a {h}x{w} image and a random 3x2 kernel",
        ),
        Call(
            "asymmetric",
            "conv2d_backward",
            (X, asym, G),
            label="a 7x8 image and the kernel [[1, 2, 0], [0, 0, -1]]",
        ),
        Call("one", "conv2d_backward", _case(rng, 5, 4, 1, 1), label="a 1x1 kernel"),
        Call(
            "full", "conv2d_backward", _case(rng, 3, 4, 3, 4), label="a 3x4 kernel on a 3x4 image"
        ),
    ]


def _loss_fns(g: Grader, key: str):
    X, K, G = (np.asarray(a, dtype=float) for a in g.args(key))
    return (
        X,
        K,
        (lambda x: float(np.sum(G * _conv2d(x, K)))),
        (lambda k: float(np.sum(G * _conv2d(X, k)))),
    )


def grade(g: Grader) -> None:
    X, K, fx, fk = _loss_fns(g, "random")
    # The loss is linear in each argument: central differences are exact up to rounding.
    g.check_gradient(
        "d_kernel matches finite differences",
        "random",
        fk,
        K,
        1,
        eps=1e-5,
        rtol=1e-5,
        atol=1e-7,
        points=2,
    )
    g.check_gradient(
        "d_image matches finite differences",
        "random",
        fx,
        X,
        0,
        eps=1e-5,
        rtol=1e-5,
        atol=1e-7,
        points=2,
    )
    g.check_close("d_image with the asymmetric kernel", "asymmetric", 0, points=2)
    g.check_close("d_kernel with the asymmetric kernel", "asymmetric", 1, points=1)
    for part, name in ((0, "d_image"), (1, "d_kernel")):
        g.check_close(f"{name} with a 1x1 kernel", "one", part, points=0.5)
        g.check_close(f"{name} with a kernel as large as the image", "full", part, points=0.5)


# --- known mistakes ------------------------------------------------------------------------
def _arrays(image, kernel, grad_out):
    return (np.asarray(a, dtype=float) for a in (image, kernel, grad_out))


def _d_kernel(X, G, kh, kw):
    oh, ow = G.shape
    return np.array([[np.sum(G * X[u : u + oh, v : v + ow]) for v in range(kw)] for u in range(kh)])


def _unflipped(image, kernel, grad_out):
    X, K, G = _arrays(image, kernel, grad_out)
    kh, kw = K.shape
    padded = np.pad(G, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    return _conv2d(padded, K), _d_kernel(X, G, kh, kw)


def _assigned(image, kernel, grad_out):
    X, K, G = _arrays(image, kernel, grad_out)
    kh, kw = K.shape
    d_image = np.zeros_like(X)
    for i in range(G.shape[0]):
        for j in range(G.shape[1]):
            d_image[i : i + kh, j : j + kw] = G[i, j] * K
    return d_image, _d_kernel(X, G, kh, kw)


def _half_padded(image, kernel, grad_out):
    X, K, G = _arrays(image, kernel, grad_out)
    kh, kw = K.shape
    padded = np.pad(G, ((kh // 2, kh // 2), (kw // 2, kw // 2)))
    return _conv2d(padded, K[::-1, ::-1]), _conv2d(X, G)


def _transposed(image, kernel, grad_out):
    X, K, G = _arrays(image, kernel, grad_out)
    kt = K.T
    padded = np.pad(G, ((kt.shape[0] - 1, kt.shape[0] - 1), (kt.shape[1] - 1, kt.shape[1] - 1)))
    return _conv2d(padded, kt), _conv2d(X, G)


def _swapped(image, kernel, grad_out):
    X, K, G = _arrays(image, kernel, grad_out)
    d_image = np.zeros_like(X)
    for u in range(K.shape[0]):
        for v in range(K.shape[1]):
            d_image[u : u + G.shape[0], v : v + G.shape[1]] += K[u, v] * G
    return _d_kernel(X, G, *K.shape), d_image


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "kernel-not-flipped",
            diagnosis=(
                "Your image gradient cross-correlates the padded grad_out with the kernel as it "
                "is: dL/dX[a, b] = sum G[i, j] K[a - i, b - j] runs the kernel index backwards, "
                "a true convolution."
            ),
            fix="Flip the kernel by 180 degrees, kernel[::-1, ::-1], or scatter-add G[i, j] * kernel into d_image[i:i+kh, j:j+kw].",
            wrong=_unflipped,
        ),
        Mistake(
            "assigned-not-accumulated",
            diagnosis=(
                "You write d_image[i:i+kh, j:j+kw] = G[i, j] * kernel: where windows overlap, the "
                "last one overwrites the others instead of adding to them."
            ),
            fix="Accumulate: d_image[i:i+kh, j:j+kw] += G[i, j] * kernel.",
            wrong=_assigned,
        ),
        Mistake(
            "half-kernel-padding",
            diagnosis=(
                "You pad grad_out with kh // 2 and kw // 2 zeros (the 'same' padding) before the "
                "flipped correlation: the full convolution needs kh - 1 and kw - 1, so d_image "
                "comes out too small."
            ),
            fix="Pad with kh - 1 rows and kw - 1 columns on every side.",
            wrong=_half_padded,
        ),
        Mistake(
            "transpose-not-flip",
            diagnosis=(
                "You 'rotate' the kernel with kernel.T: a transpose reflects it about the "
                "diagonal; the rotation by 180 degrees is kernel[::-1, ::-1]."
            ),
            fix="Use kernel[::-1, ::-1] (and pad by kh - 1, kw - 1).",
            wrong=_transposed,
        ),
        Mistake(
            "outputs-swapped",
            diagnosis="You return (d_kernel, d_image): the function must return (d_image, d_kernel).",
            fix="return d_image, d_kernel",
            wrong=_swapped,
        ),
    ]


def figures(g: Grader) -> None:
    g.figure(
        plots.heatmap_pair(
            g.try_array("asymmetric", 0),
            np.asarray(g.expected("asymmetric", 0)),
            title="∂L/∂X for the kernel [[1, 2, 0], [0, 0, -1]]",
        )
    )
    g.figure(
        plots.heatmap_pair(
            g.try_array("asymmetric", 1),
            np.asarray(g.expected("asymmetric", 1)),
            title="∂L/∂K: the image cross-correlated with grad_out",
        )
    )
