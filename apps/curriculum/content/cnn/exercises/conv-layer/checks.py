import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

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


def grade(g: Grader) -> None:
    g.check_close("sums over input channels and adds the bias", "basic", points=2)
    g.check_close("padding 1 keeps the size", "same", points=2)
    g.check_close("stride 2 with padding 1", "strided", points=2)
    g.check_close("a 1x1 convolution mixes channels per pixel", "pointwise", points=1)
    g.check_close("a single-channel layer", "single", points=1)
    g.check_close("a bank of edge detectors", "edges", points=1)


# --- known mistakes ------------------------------------------------------------------------
def _both_sides(x, p):
    return np.pad(x, ((0, 0), (p, p), (p, p)))


def _layer(pad=_both_sides, *, flip=False, add_bias=True, first_channels=False):
    """A loop implementation with one step done the wrong way."""

    def conv_layer(x, weight, bias, stride=1, padding=0):
        x, weight = np.asarray(x, dtype=float), np.asarray(weight, dtype=float)
        bias = np.asarray(bias, dtype=float)
        c_out, c_in, kh, kw = weight.shape
        xp = pad(x, padding)
        if first_channels:
            xp = xp[:c_in]
        ho, wo = (xp.shape[1] - kh) // stride + 1, (xp.shape[2] - kw) // stride + 1
        kernels = weight[:, :, ::-1, ::-1] if flip else weight
        out = np.zeros((c_out, ho, wo))
        for i in range(ho):
            for j in range(wo):
                window = xp[:, i * stride : i * stride + kh, j * stride : j * stride + kw]
                out[:, i, j] = np.tensordot(kernels, window, axes=3)
        return out + bias[:, None, None] if add_bias else out

    return conv_layer


def _stride_one_size(x, weight, bias, stride=1, padding=0):
    x, weight = np.asarray(x, dtype=float), np.asarray(weight, dtype=float)
    c_out, _, kh, kw = weight.shape
    xp = _both_sides(x, padding)
    out = np.zeros((c_out, xp.shape[1] - kh + 1, xp.shape[2] - kw + 1))
    for i in range(out.shape[1]):
        for j in range(out.shape[2]):
            window = xp[:, i * stride : i * stride + kh, j * stride : j * stride + kw]
            if window.shape[1:] == (kh, kw):
                out[:, i, j] = np.tensordot(weight, window, axes=3) + np.asarray(bias)
    return out


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "no-bias",
            diagnosis="You never add the bias: output channel o must get bias[o] added everywhere.",
            fix="Add bias[:, None, None] to the (C_out, H_out, W_out) result.",
            wrong=_layer(add_bias=False),
        ),
        Mistake(
            "padding-ignored",
            diagnosis=(
                "You ignore the padding argument: the kernels slide over the unpadded input, so "
                "the output is smaller than it should be whenever padding > 0."
            ),
            fix="Pad first: np.pad(x, ((0, 0), (padding, padding), (padding, padding))).",
            wrong=_layer(pad=lambda x, p: x),
        ),
        Mistake(
            "flipped-kernel",
            diagnosis=(
                "You rotate each kernel by 180 degrees (a true convolution); a convolution layer "
                "computes a cross-correlation."
            ),
            fix="Use weight[o] as it is: no [::-1, ::-1].",
            wrong=_layer(flip=True),
        ),
        Mistake(
            "padding-one-side",
            diagnosis=(
                "You put all 2 * padding rows and columns at the bottom and right: the output is "
                "shifted by padding pixels."
            ),
            fix="Pad padding rows and columns on each side: ((0, 0), (p, p), (p, p)).",
            wrong=_layer(pad=lambda x, p: np.pad(x, ((0, 0), (0, 2 * p), (0, 2 * p)))),
        ),
        Mistake(
            "padded-channels",
            diagnosis=(
                "np.pad(x, padding) pads the channel axis too: zero channels appear in front, "
                "and the layer reads them in place of the real ones."
            ),
            fix="Pad only the spatial axes: np.pad(x, ((0, 0), (p, p), (p, p))).",
            wrong=_layer(pad=lambda x, p: np.pad(x, p), first_channels=True),
        ),
        Mistake(
            "stride-ignored-in-size",
            diagnosis=(
                "Your output has the stride-1 size, H + 2p - kh + 1, and uses the stride only to "
                "place the windows: with stride 2 the windows run past the border."
            ),
            fix="H_out = (H + 2 * padding - kh) // stride + 1, and the same for the width.",
            wrong=_stride_one_size,
        ),
    ]


def figures(g: Grader) -> None:
    ref = np.asarray(g.expected("edges"))
    yours = g.try_array("edges")
    for o, name in enumerate(("Sobel x (vertical edges)", "Sobel y (horizontal edges)")):
        g.figure(
            plots.heatmap_pair(
                None if yours is None else yours[o], ref[o], title=f"feature map {o}: {name}"
            )
        )
