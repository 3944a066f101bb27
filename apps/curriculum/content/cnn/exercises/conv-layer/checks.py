import numpy as np

from apps.sandbox.grading import Call, Grader, plots
from apps.sandbox.grading.grader import CheckFailed

SOBEL_X = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])


def _picture(rng, size=24):
    y, x = np.mgrid[0:size, 0:size]
    img = ((x - 8) ** 2 + (y - 9) ** 2 < 25).astype(float)
    img[14:21, 12:22] = 0.7
    return img + 0.03 * rng.normal(size=img.shape)


def cases(rng: np.random.Generator) -> list[Call]:
    c_in, c_out = 3, int(rng.integers(2, 5))
    h, w = int(rng.integers(7, 10)), int(rng.integers(8, 11))

    def layer(ci, co, k):
        return rng.normal(scale=1 / np.sqrt(ci * k * k), size=(co, ci, k, k)), rng.normal(size=co)

    W, b = layer(c_in, c_out, 3)
    Wp, bp = layer(c_in, c_out, 3)
    Ws, bs = layer(2, 3, 3)
    W1, b1 = layer(4, 2, 1)
    Wc, bc = layer(1, 1, 2)
    edges = np.stack([SOBEL_X, SOBEL_X.T])[:, None, :, :]
    return [
        Call(
            "basic",
            "conv_layer",
            (rng.normal(size=(c_in, h, w)), W, b),
            {},
            label=f"{c_in} input and {c_out} output channels, {h}x{w}, 3x3 kernels, no padding, stride 1",
        ),
        Call(
            "same",
            "conv_layer",
            (rng.normal(size=(c_in, h, w)), Wp, bp),
            {"padding": 1},
            label=f"3x3 kernels with padding 1 on a {h}x{w} input",
        ),
        Call(
            "strided",
            "conv_layer",
            (rng.normal(size=(2, 9, 10)), Ws, bs),
            {"stride": 2, "padding": 1},
            label="a 2-channel 9x10 input, 3x3 kernels, stride 2, padding 1",
        ),
        Call(
            "pointwise",
            "conv_layer",
            (rng.normal(size=(4, 5, 6)), W1, b1),
            {},
            label="a 1x1 convolution from 4 to 2 channels",
        ),
        Call(
            "single",
            "conv_layer",
            (rng.normal(size=(1, 6, 5)), Wc, bc),
            {},
            label="one input and one output channel, 2x2 kernel",
        ),
        Call(
            "edges",
            "conv_layer",
            (_picture(rng)[None], edges, np.zeros(2)),
            {"padding": 1},
            label="a 24x24 picture through the Sobel x and y kernels, padding 1",
        ),
    ]


def _shape_rule(g: Grader, key: str):
    def run():
        x, weight, _ = g.args(key)
        kwargs = g.call(key).kwargs
        p, t = kwargs.get("padding", 0), kwargs.get("stride", 1)
        kh, kw = weight.shape[2:]
        want = (
            weight.shape[0],
            (x.shape[1] + 2 * p - kh) // t + 1,
            (x.shape[2] + 2 * p - kw) // t + 1,
        )
        got = np.asarray(g.output(key))
        if got.shape != want:
            raise CheckFailed(
                f"on {g.call(key).description} the output should have shape {want} = (C_out, "
                f"(H + 2*padding - kh) // stride + 1, (W + 2*padding - kw) // stride + 1), but yours has shape "
                f"{got.shape}; check the padding (zeros on both sides) and the stride"
            )
        return None

    return run


def _with_bias(g: Grader, key: str):
    def run():
        got = g.array(key)
        ref = np.asarray(g.expected(key))
        if np.allclose(got, ref, rtol=1e-6, atol=1e-9):
            return None
        bias = np.asarray(g.arg(key, 2))
        if np.allclose(got + bias[:, None, None], ref, rtol=1e-6, atol=1e-9):
            raise CheckFailed(
                "your output is exactly the bias short in every channel: add bias[o] to output channel o"
            )
        raise CheckFailed(f"conv_layer() on {g.call(key).description} does not match the reference")

    return run


def grade(g: Grader) -> None:
    g.custom("sums over input channels and adds the bias", _with_bias(g, "basic"), points=2)
    g.custom("padding 1 keeps the size", _shape_rule(g, "same"), points=1)
    g.check_close(
        "values with padding 1",
        "same",
        rtol=1e-6,
        atol=1e-9,
        points=1,
        hint="Pad with zeros on all four sides of each channel before sliding the kernels",
    )
    g.custom("stride 2 with padding: the shape", _shape_rule(g, "strided"), points=1)
    g.check_close(
        "stride 2 with padding: the values",
        "strided",
        rtol=1e-6,
        atol=1e-9,
        points=1,
        hint="Window (i, j) starts at row i*stride and column j*stride of the padded input",
    )
    g.check_close(
        "a 1x1 convolution mixes channels per pixel",
        "pointwise",
        rtol=1e-6,
        atol=1e-9,
        points=1,
        hint="With 1x1 kernels, Y[:, i, j] = W[:, :, 0, 0] @ X[:, i, j] + b",
    )
    g.check_close(
        "a single-channel layer",
        "single",
        rtol=1e-6,
        atol=1e-9,
        points=1,
        hint="No kernel flip: this is cross-correlation, as in conv2d",
    )
    g.check_close("a bank of edge detectors", "edges", rtol=1e-6, atol=1e-9, points=1)


def figures(g: Grader) -> None:
    ref = np.asarray(g.expected("edges"))
    yours = g.try_array("edges")
    for o, name in enumerate(("Sobel x (vertical edges)", "Sobel y (horizontal edges)")):
        g.figure(
            plots.heatmap_pair(
                None if yours is None else yours[o], ref[o], title=f"feature map {o}: {name}"
            )
        )
