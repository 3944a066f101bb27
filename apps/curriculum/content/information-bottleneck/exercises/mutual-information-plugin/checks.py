import numpy as np

from apps.sandbox.grading import Call, Grader, plots

NATS = "use the natural logarithm (np.log): the answer is in nats, not bits (log2)"
ZEROS = "cells with p(x, y) = 0 contribute 0 (0 log 0 = 0); sum only over the positive cells"


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
            "swapped",
            "plugin_mutual_information",
            (y, x),
            label="the same samples with x and y swapped",
        ),
    ]


def grade(g: Grader) -> None:
    g.check_close("a random joint table", "joint", rtol=1e-8, atol=1e-12, points=2, hint=NATS)
    g.check_close(
        "a table with zero cells", "sparse", rtol=1e-8, atol=1e-12, points=1.5, hint=ZEROS
    )
    g.check_close(
        "independence gives zero",
        "indep",
        atol=1e-10,
        points=1,
        hint="divide by the product of the marginals p(x) p(y), row sums times column sums",
    )
    g.check_close(
        "a diagonal table gives H(X)", "diag", rtol=1e-8, atol=1e-12, points=1, hint=ZEROS
    )
    g.check_close("a 1x1 table", "tiny", atol=1e-12, points=0.5)
    g.check_close(
        "plug-in estimate from samples",
        "samples",
        rtol=1e-8,
        atol=1e-12,
        points=2,
        hint="count pairs into a table, divide by N, and apply the formula",
    )
    g.check_close(
        "arbitrary integer labels",
        "labels",
        rtol=1e-8,
        atol=1e-12,
        points=1,
        hint="map labels to 0..K-1 first, e.g. np.unique(x, return_inverse=True)",
    )
    g.custom(
        "symmetric in x and y",
        lambda: (
            None
            if abs(g.scalar("swapped") - g.scalar("samples")) < 1e-9
            else f"I(X;Y) should equal I(Y;X), but swapping the samples changed {g.scalar('samples'):.6f} to {g.scalar('swapped'):.6f}"
        ),
        points=1,
    )


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
