import numpy as np

from apps.sandbox.grading import Call, Grader, plots
from apps.sandbox.grading.grader import CheckFailed


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


def _shape_rule(g: Grader, key: str):
    def run():
        x, size, stride = g.args(key)
        _, h, w = np.asarray(x).shape
        want = (x.shape[0], (h - size) // stride + 1, (w - size) // stride + 1)
        got = np.asarray(g.output(key))
        if got.shape != want:
            raise CheckFailed(
                f"on {g.call(key).description} the output should have shape {want}, from "
                f"floor((H - size) / stride) + 1, which rounds down so only windows entirely inside the map count; "
                f"yours has shape {got.shape}"
            )
        return None

    return run


def grade(g: Grader) -> None:
    g.check_close(
        "size 2, stride 2",
        "basic",
        rtol=1e-12,
        atol=1e-12,
        points=2,
        hint="Each output is the maximum of a size x size window; pool each channel separately",
    )
    g.check_close(
        "overlapping windows",
        "overlap",
        rtol=1e-12,
        atol=1e-12,
        points=1,
        hint="Window (i, j) starts at row i * stride and column j * stride and is size wide; windows may overlap",
    )
    g.custom("the output shape rounds down", _shape_rule(g, "leftover"), points=1)
    g.check_close("a leftover border is dropped", "leftover", rtol=1e-12, atol=1e-12, points=1)
    g.check_close("gaps between windows", "gaps", rtol=1e-12, atol=1e-12, points=1)
    g.check_close("size 1, stride 1 is the identity", "identity", rtol=1e-12, atol=1e-12, points=1)
    g.check_close(
        "all-negative maps",
        "negative",
        rtol=1e-12,
        atol=1e-12,
        points=1,
        hint="Your maxima are too large on negative inputs: a running maximum started at 0 never "
        "drops below 0; start from -inf or take each window's max directly",
    )
    g.check_close("an edge feature map", "feature", rtol=1e-12, atol=1e-12, points=1)


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
