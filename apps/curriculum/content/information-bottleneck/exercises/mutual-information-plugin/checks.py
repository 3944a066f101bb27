import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots
from apps.sandbox.grading.differences import format_pair

# Labels whose raw values, used as indices into a table of size max + 1 = 3, collide: -1 wraps
# around onto 2.
WRAP = np.tile(np.array([-1, 0, 2, 2, 0, -1, 2, 2]), 25)

# Where the answer is 0, the error of a correct float32 computation is about the rounding of
# the entropies it is made of (order 1), so the absolute tolerance is float32's, not 1e-8's.
ZERO_ATOL = 1e-6


def _noisy_copy(
    rng: np.random.Generator, n: int, k: int, flip: float
) -> tuple[np.ndarray, np.ndarray]:
    x = rng.integers(0, k, size=n)
    noise = rng.integers(0, k, size=n)
    y = np.where(rng.random(n) < flip, noise, x)
    return x, y


def cases(rng: np.random.Generator) -> list[Call]:
    nx, ny = int(rng.integers(2, 6)), int(rng.integers(2, 6))
    joint = rng.dirichlet(np.ones(nx * ny)).reshape(nx, ny)
    sparse = joint * (rng.random((nx, ny)) < 0.6)
    sparse[0, 0] += 0.05
    sparse /= sparse.sum()
    px, py = rng.dirichlet(np.ones(nx)), rng.dirichlet(np.ones(ny))
    diag = np.diag(rng.dirichlet(np.ones(nx)))
    x, y = _noisy_copy(rng, 2000, 4, 0.4)
    labels = np.array([-3, 7, 100])
    xs = labels[rng.integers(0, 3, size=500)]
    return [
        Call("joint", "mutual_information", (joint,), label=f"a random {nx}x{ny} joint table"),
        Call("sparse", "mutual_information", (sparse,), label="a joint table with zero cells"),
        Call(
            "indep",
            "mutual_information",
            (np.outer(px, py),),
            label="an independent table p(x) p(y)",
        ),
        Call("diag", "mutual_information", (diag,), label="a diagonal table (Y = X)"),
        Call("tiny", "mutual_information", (np.array([[1.0]]),), label="a 1x1 table"),
        Call(
            "samples",
            "plugin_mutual_information",
            (x, y),
            label="2000 samples of a noisy copy Y of X",
        ),
        Call(
            "labels",
            "plugin_mutual_information",
            (xs, xs.copy()),
            label="x = y with labels -3, 7, 100",
        ),
        Call(
            "wrap",
            "plugin_mutual_information",
            (WRAP, WRAP[::-1].copy()),
            label="labels -1, 0 and 2 (-1 is not an index)",
        ),
        Call(
            "swapped",
            "plugin_mutual_information",
            (y, x),
            label="the same samples with x and y swapped",
        ),
    ]


def _symmetric(g: Grader) -> str | None:
    forward, backward = g.scalar("samples"), g.scalar("swapped")
    if abs(forward - backward) <= ZERO_ATOL:
        return None
    forward_text, backward_text = format_pair(forward, backward)
    return (
        f"I(X;Y) should equal I(Y;X), but swapping the samples changed {forward_text} "
        f"to {backward_text}"
    )


def grade(g: Grader) -> None:
    g.check_close("a random joint table", "joint", points=2)
    g.check_close("a table with zero cells", "sparse", points=1.5)
    g.check_close("independence gives zero", "indep", atol=ZERO_ATOL, points=1)
    g.check_close("a diagonal table gives H(X)", "diag", points=1)
    g.check_close("a 1x1 table", "tiny", atol=ZERO_ATOL, points=0.5)
    g.check_close("plug-in estimate from samples", "samples", points=2)
    g.check_close("arbitrary integer labels", "labels", points=1)
    g.check_close("negative labels", "wrap", points=1)
    g.custom("symmetric in x and y", lambda: _symmetric(g), points=1)


# --- known mistakes ------------------------------------------------------------------------
def _mi(log=np.log, zeros_skipped=True):
    def mutual_information(pxy):
        pxy = np.asarray(pxy, dtype=float)
        px = pxy.sum(axis=1, keepdims=True)
        py = pxy.sum(axis=0, keepdims=True)
        outer = px * py
        if not zeros_skipped:
            return float(np.sum(pxy * log(pxy / outer)))
        nz = pxy > 0
        return float(np.sum(pxy[nz] * log(pxy[nz] / outer[nz])))

    return mutual_information


def _plugin(mutual_information, table="unique", normalise=True):
    def plugin_mutual_information(x, y):
        x, y = np.asarray(x), np.asarray(y)
        if table == "histogram2d":
            counts = np.histogram2d(x, y)[0]
        else:
            if table == "unique":
                x, y = np.unique(x, return_inverse=True)[1], np.unique(y, return_inverse=True)[1]
            counts = np.zeros((x.max() + 1, y.max() + 1))
            np.add.at(counts, (x.ravel(), y.ravel()), 1.0)
        return mutual_information(counts / counts.sum() if normalise else counts)

    return plugin_mutual_information


def _both(mutual_information):
    return {
        "mutual_information": mutual_information,
        "plugin_mutual_information": _plugin(mutual_information),
    }


def _plugin_only(**kwargs):
    return {"plugin_mutual_information": _plugin(_mi(), **kwargs)}


def _swapped_marginals(pxy):
    """The red team's loop: p(x) from column sums, p(y) from row sums, indices clamped."""
    pxy = np.asarray(pxy, dtype=float)
    px, py = pxy.sum(axis=0), pxy.sum(axis=1)
    total = 0.0
    for i in range(pxy.shape[0]):
        for j in range(pxy.shape[1]):
            if pxy[i, j] > 0:
                total += pxy[i, j] * np.log(
                    pxy[i, j] / (px[min(i, len(px) - 1)] * py[min(j, len(py) - 1)])
                )
    return float(total)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "bits",
            diagnosis=(
                "You use log2, so your mutual information is in bits: every value is 1/ln 2 "
                "(about 1.443) times the answer in nats."
            ),
            fix="Use the natural logarithm, np.log.",
            wrong=_both(_mi(log=np.log2)),
        ),
        Mistake(
            "zero-cells",
            diagnosis=(
                "Cells with p(x, y) = 0 give 0 * log(0) = 0 * (-inf) = NaN in your sum, although "
                "their contribution is 0 (the limit of t log t)."
            ),
            fix="Sum only over the positive cells: nz = pxy > 0, then pxy[nz] * np.log(...[nz]).",
            wrong=_both(_mi(zeros_skipped=False)),
        ),
        Mistake(
            "swapped-marginals",
            diagnosis=(
                "You take p(x) from the column sums and p(y) from the row sums: rows index x, "
                "so p(x) = pxy.sum(axis=1) and p(y) = pxy.sum(axis=0)."
            ),
            fix="px = pxy.sum(axis=1), py = pxy.sum(axis=0), and divide p(x, y) by px[x] * py[y].",
            wrong=_both(_swapped_marginals),
        ),
        Mistake(
            "counts-not-normalised",
            diagnosis=(
                "Your plug-in estimate passes the raw counts to mutual_information: the table "
                "sums to N, not 1."
            ),
            fix="Divide the counts by N before computing the mutual information.",
            wrong=_plugin_only(normalise=False),
        ),
        Mistake(
            "labels-as-indices",
            diagnosis=(
                "Your plug-in estimate uses the raw labels as table indices: a negative label "
                "such as -3 wraps around to the end of the table, onto another label's cell."
            ),
            fix="Relabel first: np.unique(x, return_inverse=True) maps the labels to 0..K-1.",
            wrong=_plugin_only(table="raw"),
        ),
        Mistake(
            "histogram-bins",
            diagnosis=(
                "Your plug-in estimate bins the samples with np.histogram2d's 10 default bins, "
                "which merges distinct labels that share a bin (labels -3, 7 and 100 do)."
            ),
            fix="Count each distinct pair of labels: relabel with np.unique and use np.add.at.",
            wrong=_plugin_only(table="histogram2d"),
        ),
    ]


def figures(g: Grader) -> None:
    joint = np.asarray(g.arg("sparse"), dtype=float)
    g.figure(
        plots.heatmap_pair(
            joint,
            joint,
            title="The joint table p(x, y) with zero cells (rows x, columns y)",
            colorscale="Blues",
        )
    )
    names = ["random table", "zero cells", "independent", "diagonal", "samples"]
    keys = ["joint", "sparse", "indep", "diag", "samples"]
    yours = [g.try_array(k, shape=()) for k in keys]
    g.figure(
        plots.compare_bars(
            names,
            None if any(v is None for v in yours) else np.array([float(v) for v in yours]),
            np.array([g.expected(k) for k in keys]),
            title="Mutual information of each case",
            y_label="nats",
        )
    )
