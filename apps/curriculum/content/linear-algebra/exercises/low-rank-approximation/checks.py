import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

RANKS = tuple(range(1, 9))


def _image(rng: np.random.Generator, m: int = 24, n: int = 32) -> np.ndarray:
    """A smooth picture: a few blobs and stripes, plus a little pixel noise."""
    rows, cols = np.meshgrid(np.linspace(-1, 1, m), np.linspace(-1, 1, n), indexing="ij")
    picture = np.zeros((m, n))
    for _ in range(3):
        cy, cx = rng.uniform(-0.7, 0.7, size=2)
        width = rng.uniform(0.15, 0.4)
        picture += np.exp(-((rows - cy) ** 2 + (cols - cx) ** 2) / (2 * width**2))
    picture += 0.3 * np.sin(rng.uniform(2, 5) * cols + rng.uniform(0, 3))
    return picture + 0.02 * rng.normal(size=(m, n))


def cases(rng: np.random.Generator) -> list[Call]:
    image = _image(rng)
    tall = rng.normal(size=(10, 4))
    k = int(rng.integers(2, 6))
    calls = [
        Call(
            "image",
            "low_rank_approximation",
            (image, k),
            label=f"a 24x32 image-like matrix with k={k}",
        ),
        Call("tall", "low_rank_approximation", (tall, 2), label="a random 10x4 matrix with k=2"),
        Call(
            "one",
            "low_rank_approximation",
            (rng.normal(size=(5, 7)), 1),
            label="a random 5x7 matrix with k=1",
        ),
        Call(
            "full",
            "low_rank_approximation",
            (tall, 4),
            label="a random 10x4 matrix with k=4 (full rank)",
        ),
    ]
    calls += [
        Call(f"rank{r}", "low_rank_approximation", (image, r), label=f"the image with k={r}")
        for r in RANKS
    ]
    return calls


def _rank_check(g: Grader, key: str):
    def run() -> str | None:
        got = g.array(key)
        k = int(g.args(key)[1])
        if not np.all(np.isfinite(got)):
            return f"low_rank_approximation() on {g.call(key).description} returned NaN or infinity"
        s = np.linalg.svd(got, compute_uv=False)
        # Relative 1e-5: a float32 result's rounding leaves singular values near 1e-7 s_1.
        rank = int(np.sum(s > 1e-5 * max(s[0], 1e-300)))
        if rank > k:
            return f"on {g.call(key).description} your matrix has rank {rank}, but it must have rank at most {k}"
        return None

    return run


def _error_check(g: Grader, key: str):
    def run() -> str | None:
        M, k = np.asarray(g.args(key)[0]), int(g.args(key)[1])
        got = g.array(key)
        s = np.linalg.svd(M, compute_uv=False)
        best = float(np.sqrt(np.sum(s[k:] ** 2)))
        error = float(np.linalg.norm(M - got))
        if not error <= best * (1 + 1e-5) + 1e-6 * float(s[0]):
            return (
                f"on {g.call(key).description} your error ||M - M_k||_F is {error:.6g}, but by "
                f"Eckart-Young the best rank-{k} error is sqrt(s_{k + 1}^2 + ...) = {best:.6g}"
            )
        return None

    return run


def grade(g: Grader) -> None:
    g.check_close("matches the truncated SVD on an image", "image", points=2)
    g.custom("has rank at most k", _rank_check(g, "image"), points=1)
    g.custom("reaches the Eckart-Young error", _error_check(g, "image"), points=2)
    g.check_close("works for a tall matrix", "tall", points=1)
    g.check_close("works for k = 1", "one", points=1)
    g.check_close("full rank returns M itself", "full", points=1)
    g.custom(
        "reaches the Eckart-Young error at every rank 1..8",
        lambda: next((msg for r in RANKS if (msg := _error_check(g, f"rank{r}")())), None),
        points=2,
    )


# --- known mistakes ------------------------------------------------------------------------
def _svd(M, full=False):
    return np.linalg.svd(np.asarray(M, dtype=float), full_matrices=full)


def _no_values(M, k):
    U, _, Vt = _svd(M)
    return U[:, :k] @ Vt[:k]


def _smallest(M, k):
    U, s, Vt = _svd(M)
    return (U[:, -k:] * s[-k:]) @ Vt[-k:]


def _one_more(M, k):
    U, s, Vt = _svd(M)
    return (U[:, : k + 1] * s[: k + 1]) @ Vt[: k + 1]


def _vt_columns(M, k):
    U, s, Vt = _svd(M)
    return (U[:, :k] * s[:k]) @ Vt[:, :k].T


def _u_rows(M, k):
    M = np.asarray(M, dtype=float)
    U, s, Vt = _svd(M, full=True)
    return sum(s[i] * np.outer(U[i, : M.shape[0]], Vt[i]) for i in range(k))


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "no-singular-values",
            diagnosis=(
                "You multiply U_k by V_k^T without the singular values in between: every term "
                "u_i v_i^T needs its weight s_i."
            ),
            fix="Scale the columns of U_k by s_1..s_k: (U[:, :k] * s[:k]) @ Vt[:k].",
            wrong=_no_values,
        ),
        Mistake(
            "smallest-values",
            diagnosis=(
                "You keep the last k singular values and vectors, the smallest ones: "
                "np.linalg.svd returns them in decreasing order, largest first."
            ),
            fix="Keep the first k: U[:, :k], s[:k], Vt[:k].",
            wrong=_smallest,
        ),
        Mistake(
            "one-term-too-many",
            diagnosis=(
                "You keep k + 1 terms: the slice [:k] already holds the k largest (it stops "
                "before index k), so [:k + 1] adds one."
            ),
            fix="Slice with [:k]: U[:, :k], s[:k], Vt[:k].",
            wrong=_one_more,
        ),
        Mistake(
            "vt-columns",
            diagnosis=(
                "You take the right singular vectors as columns of Vt (Vt[:, :k].T): the v_i "
                "are the rows of Vt, since Vt is V transposed."
            ),
            fix="Use the first k rows: Vt[:k].",
            wrong=_vt_columns,
        ),
        Mistake(
            "u-rows",
            diagnosis=(
                "You take u_i as the row U[i] instead of the column U[:, i], so each term "
                "s_i u_i v_i^T is built from the wrong vector."
            ),
            fix="The left singular vectors are the columns of U: U[:, i], or U[:, :k] at once.",
            wrong=_u_rows,
        ),
    ]


def figures(g: Grader) -> None:
    image = np.asarray(g.args("image")[0])
    s = np.linalg.svd(image, compute_uv=False)
    ranks = np.array(RANKS)
    reference = np.array(
        [np.linalg.norm(image - np.asarray(g.expected(f"rank{r}"))) for r in RANKS]
    )
    yours = []
    for r in RANKS:
        got = g.try_array(f"rank{r}")
        yours.append(np.nan if got is None else float(np.linalg.norm(image - got)))
    fig = plots.compare_lines(
        ranks,
        np.array(yours),
        reference,
        title="Reconstruction error ||M - M_k||_F against k",
        x_label="rank k",
        y_label="Frobenius error",
        log_y=True,
    )
    fig.add_bar(
        x=np.arange(1, 13),
        y=s[:12],
        name="singular values s_k",
        marker_color=plots.NEUTRAL,
        opacity=0.35,
    )
    g.figure(fig)
    fig = plots.heatmap_pair(
        g.try_array("image"),
        np.asarray(g.expected("image")),
        title=f"The image at rank k = {int(g.args('image')[1])}",
        colorscale="Greys",
    )
    reference = np.asarray(g.expected("image"))
    fig.update_traces(
        zmin=float(reference.min()), zmax=float(reference.max())
    )  # one colour scale for both
    g.figure(fig)
