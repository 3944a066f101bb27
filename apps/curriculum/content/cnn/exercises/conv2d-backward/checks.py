import numpy as np

from apps.sandbox.grading import Call, Grader, plots
from apps.sandbox.grading.grader import CheckFailed


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


def _flip_check(g: Grader, key: str):
    def run():
        got = g.array(key, 0)
        ref = np.asarray(g.expected(key, 0))
        if np.allclose(got, ref, rtol=1e-6, atol=1e-9):
            return None
        _X, K, G = (np.asarray(a, dtype=float) for a in g.args(key))
        kh, kw = K.shape
        padded = np.pad(G, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
        unflipped = _conv2d(padded, K)
        if np.allclose(got, unflipped, rtol=1e-6, atol=1e-9):
            raise CheckFailed(
                f"on {g.call(key).description} your image gradient is the padded grad_out cross-correlated with the "
                "kernel as it is; the image gradient is a true convolution, so flip the kernel by 180 degrees "
                "(kernel[::-1, ::-1]), or scatter-add G[i, j] * kernel into d_image[i:i+kh, j:j+kw]"
            )
        raise CheckFailed(f"d_image on {g.call(key).description} does not match the reference")

    return run


def grade(g: Grader) -> None:
    X, K, fx, fk = _loss_fns(g, "random")
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
        hint="dL/dK[u, v] = sum over (i, j) of G[i, j] * X[i + u, j + v]: conv2d(image, grad_out)",
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
        hint="Every X[a, b] is used by several outputs; add up G[i, j] * K[a - i, b - j] over all of them",
    )
    g.custom("the image gradient uses the flipped kernel", _flip_check(g, "asymmetric"), points=2)
    g.check_close(
        "d_kernel with the asymmetric kernel", "asymmetric", 1, rtol=1e-6, atol=1e-9, points=1
    )
    for part, name in ((0, "d_image"), (1, "d_kernel")):
        g.check_close(f"{name} with a 1x1 kernel", "one", part, rtol=1e-6, atol=1e-9, points=0.5)
        g.check_close(
            f"{name} with a kernel as large as the image",
            "full",
            part,
            rtol=1e-6,
            atol=1e-9,
            points=0.5,
            hint="Here grad_out has shape (1, 1): d_kernel = G[0, 0] * image and d_image = G[0, 0] * kernel",
        )


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
