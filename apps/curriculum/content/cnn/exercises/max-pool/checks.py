import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots


def _feature_map(rng):
    """A ReLU'd vertical-edge response of a noisy picture of two squares: a plausible feature map."""
    img = np.zeros((24, 24))
    img[4:12, 3:10] = 1.0
    img[13:21, 12:20] = 0.6
    img += 0.05 * rng.normal(size=img.shape)
    edge = img[1:-1, 2:] - img[1:-1, :-2]
    return np.maximum(edge, 0.0)[None, :, :]


def cases(rng: np.random.Generator) -> list[Call]:
    c = int(rng.integers(2, 4))
    return [
        Call(
            "basic",
            "max_pool2d",
            (rng.normal(size=(c, 8, 8)), 2, 2),
            label=f"{c} channels of 8x8, size 2, stride 2",
        ),
        Call(
            "overlap",
            "max_pool2d",
            (rng.normal(size=(2, 9, 11)), 3, 2),
            label="2 channels of 9x11, size 3, stride 2 (overlapping)",
        ),
        Call(
            "leftover",
            "max_pool2d",
            (rng.normal(size=(1, 8, 11)), 3, 2),
            label="one 8x11 map, size 3, stride 2 (a border no full window covers)",
        ),
        Call(
            "gaps",
            "max_pool2d",
            (rng.normal(size=(2, 10, 8)), 2, 3),
            label="2 channels of 10x8, size 2, stride 3 (gaps between windows)",
        ),
        Call(
            "stride-one",
            "max_pool2d",
            (rng.normal(size=(2, 5, 6)), 2, 1),
            label="2 channels of 5x6, size 2, stride 1 (windows one pixel apart)",
        ),
        Call(
            "identity",
            "max_pool2d",
            (rng.normal(size=(2, 4, 5)), 1, 1),
            label="size 1, stride 1 (the identity)",
        ),
        Call(
            "negative",
            "max_pool2d",
            (-1.0 - rng.uniform(size=(2, 6, 6)), 2, 2),
            label="maps whose entries are all negative",
        ),
        Call(
            "feature",
            "max_pool2d",
            (_feature_map(rng), 2, 2),
            label="a 22x22 edge feature map, size 2, stride 2",
        ),
    ]


def grade(g: Grader) -> None:
    g.check_close("size 2, stride 2", "basic", points=2)
    g.check_close("overlapping windows", "overlap", points=1)
    g.check_close("a leftover border is dropped", "leftover", points=2)
    g.check_close("gaps between windows", "gaps", points=1)
    g.check_close("stride 1, windows one pixel apart", "stride-one", points=1)
    g.check_close("size 1, stride 1 is the identity", "identity", points=1)
    g.check_close("all-negative maps", "negative", points=1)
    g.check_close("an edge feature map", "feature", points=1)


# --- known mistakes ------------------------------------------------------------------------
def _pool(x, rows, cols, size, start=None):
    """Max over windows whose top-left corners are rows x cols; ``start`` seeds the running max."""
    x = np.asarray(x, dtype=float)
    out = np.full((x.shape[0], len(rows), len(cols)), -np.inf)
    for i, r in enumerate(rows):
        for j, s in enumerate(cols):
            window = x[:, r : r + size, s : s + size]
            out[:, i, j] = window.max(axis=(1, 2))
            if start is not None:
                out[:, i, j] = np.maximum(out[:, i, j], start)
    return out


def _starts(stride, count):
    return [k * stride for k in range(count)]


def _zero_start(x, size, stride):
    _, h, w = np.shape(x)
    ho, wo = (h - size) // stride + 1, (w - size) // stride + 1
    return _pool(x, _starts(stride, ho), _starts(stride, wo), size, start=0.0)


def _divided(x, size, stride):
    _, h, w = np.shape(x)
    return _pool(x, _starts(stride, h // stride), _starts(stride, w // stride), size)


def _rounded_up(x, size, stride):
    _, h, w = np.shape(x)
    ho, wo = -(-(h - size) // stride) + 1, -(-(w - size) // stride) + 1
    return _pool(x, _starts(stride, ho), _starts(stride, wo), size)


def _misses_last(x, size, stride):
    x = np.asarray(x, dtype=float)
    c, h, w = x.shape
    ho, wo = (h - size) // stride + 1, (w - size) // stride + 1
    out = np.full((c, ho, wo), -np.inf)
    inner = _pool(x, list(range(0, h - size, stride)), list(range(0, w - size, stride)), size)
    out[:, : inner.shape[1], : inner.shape[2]] = inner
    return out


def _one_short(x, size, stride):
    x = np.asarray(x, dtype=float)
    c, h, w = x.shape
    ho, wo = (h - size) // stride + 1, (w - size) // stride + 1
    out = np.empty((c, ho, wo))
    for i in range(ho):
        for j in range(wo):
            window = x[:, i * stride : i * stride + size - 1, j * stride : j * stride + size - 1]
            out[:, i, j] = window.max(axis=(1, 2))
    return out


def _across_channels(x, size, stride):
    _, h, w = np.shape(x)
    ho, wo = (h - size) // stride + 1, (w - size) // stride + 1
    pooled = _pool(x, _starts(stride, ho), _starts(stride, wo), size)
    return np.broadcast_to(pooled.max(axis=0), pooled.shape).copy()


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "zero-initial-max",
            diagnosis=(
                "Your running maximum starts at 0, so a window whose entries are all negative "
                "reports 0 instead of its (negative) maximum."
            ),
            fix="Start from -np.inf, or take each window's maximum directly: window.max(axis=(1, 2)).",
            wrong=_zero_start,
        ),
        Mistake(
            "size-divided-by-stride",
            diagnosis=(
                "Your output has H // stride rows and W // stride columns: that ignores the "
                "window size, so windows that stick out past the border are counted, or windows "
                "that fit are missing."
            ),
            fix="Count the windows that fit entirely: (H - size) // stride + 1, and the same for W.",
            wrong=_divided,
        ),
        Mistake(
            "partial-windows",
            diagnosis=(
                "You round the number of windows up, ceil((H - size) / stride) + 1, so a partial "
                "window sticking out past the border is pooled too."
            ),
            fix="Round down: (H - size) // stride + 1 windows fit entirely inside the map.",
            wrong=_rounded_up,
        ),
        Mistake(
            "range-misses-last",
            diagnosis=(
                "Your loop over window starts, range(0, H - size, stride), stops before the last "
                "valid start H - size, so the last row and column of the output keep their "
                "initial value."
            ),
            fix="Include the last start: range(0, H - size + 1, stride).",
            wrong=_misses_last,
        ),
        Mistake(
            "window-one-short",
            diagnosis=(
                "Your window is x[:, r : r + size - 1, ...]: one row and one column short, so the "
                "last row and column of every window are ignored."
            ),
            fix="The window starting at r covers rows r, ..., r + size - 1: slice r : r + size.",
            wrong=_one_short,
        ),
        Mistake(
            "max-over-channels",
            diagnosis=(
                "You take each window's maximum over all channels at once (.max() with no axis), "
                "so every channel gets the same value."
            ),
            fix="Pool each channel separately: window.max(axis=(1, 2)) on the (C, size, size) window.",
            wrong=_across_channels,
        ),
    ]


def figures(g: Grader) -> None:
    x = np.asarray(g.arg("feature", 0))[0]
    ref = np.asarray(g.expected("feature"))[0]
    yours = g.try_array("feature")
    g.figure(
        plots.heatmap_pair(
            None if yours is None else yours[0],
            ref,
            title=f"2x2 max pooling of a {x.shape[0]}x{x.shape[1]} edge feature map",
            colorscale="Viridis",
        )
    )
