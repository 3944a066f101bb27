import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

# Deterministic zero cells: a channel with zero entries (0 log 0 must be 0) under every seed.
FIXED_PX = np.array([0.5, 0.3, 0.2])
FIXED_A = np.array([[0.8, 0.2, 0.0], [0.0, 0.5, 0.5], [0.1, 0.0, 0.9]])
FIXED_B = np.array([[1.0, 0.0], [0.3, 0.7], [0.0, 1.0]])


def _channel(rng: np.random.Generator, n: int, m: int, sparse: bool = False) -> np.ndarray:
    c = rng.dirichlet(np.ones(m) * 0.7, size=n)
    if sparse:
        c = c * (rng.random((n, m)) < 0.7)
        c[np.arange(n), rng.integers(0, m, size=n)] += 0.2
        c /= c.sum(axis=1, keepdims=True)
    return c


def cases(rng: np.random.Generator) -> list[Call]:
    nx, ny, nz = int(rng.integers(3, 6)), int(rng.integers(3, 6)), int(rng.integers(2, 5))
    px = rng.dirichlet(np.ones(nx) * 2)
    A = _channel(rng, nx, ny, sparse=True)
    B = _channel(rng, ny, nz)
    perm = np.eye(ny)[rng.permutation(ny)]
    const = np.tile(rng.dirichlet(np.ones(nz)), (ny, 1))
    px0 = px.copy()
    px0[-1] = 0.0
    px0 /= px0.sum()
    calls = [
        Call("random", "chain_informations", (px, A, B), label="random channels A and B"),
        Call("perm", "chain_informations", (px, A, perm), label="B a permutation matrix"),
        Call("const", "chain_informations", (px, A, const), label="B with identical rows"),
        Call("zero_px", "chain_informations", (px0, A, B), label="p(x) with a zero entry"),
        Call(
            "fixed",
            "chain_informations",
            (FIXED_PX, FIXED_A, FIXED_B),
            label="p(x) = (0.5, 0.3, 0.2) and channels with zero entries",
        ),
    ]
    for k, noise in enumerate((0.0, 0.1, 0.2, 0.3, 0.45)):
        flip = np.array([[1 - noise, noise], [noise, 1 - noise]])
        calls.append(
            Call(
                f"noise{k}",
                "chain_informations",
                (np.array([0.5, 0.5]), np.eye(2) * 0.9 + 0.05, flip),
                label=f"a binary chain with second flip probability {noise}",
            )
        )
    return calls


def _inequality(g: Grader) -> str | None:
    i_xy, i_xz = g.scalar("random", 0), g.scalar("random", 1)
    if i_xz > i_xy * (1 + 1e-5) + 1e-8:  # float32 rounding may not reverse it, only a mistake
        return (
            f"on random channels you report I(X;Z) = {i_xz:.8f} > I(X;Y) = {i_xy:.8f}, which the "
            "data processing inequality forbids"
        )
    return None


def grade(g: Grader) -> None:
    g.check_close("I(X;Y) for random channels", "random", 0, points=2)
    g.check_close("I(X;Z) for random channels", "random", 1, points=2)
    g.custom("the data processing inequality holds", lambda: _inequality(g), points=1)
    g.check_close("I(X;Y) with zero cells", "fixed", 0, points=0.5)
    g.check_close("I(X;Z) with zero cells", "fixed", 1, points=0.5)
    g.check_close(
        "a permutation loses nothing", "perm", 1, points=1, expected=g.expected("perm", 0)
    )
    # The answer is 0, made of order-1 terms: their float32 error sets the absolute tolerance.
    g.check_close("identical rows destroy everything", "const", 1, atol=1e-6, points=1)
    g.check_close("a zero-probability input", "zero_px", 0, points=1)
    g.check_close("I(X;Z) with a zero-probability input", "zero_px", 1, points=0.5)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _mi(joint, log=np.log, masked=True):
    outer = joint.sum(axis=1, keepdims=True) * joint.sum(axis=0, keepdims=True)
    if not masked:
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(np.sum(joint * log(joint / outer)))
    nz = joint > 0
    return float(np.sum(joint[nz] * log(joint[nz] / outer[nz])))


def _as_arrays(px, A, B):
    return (np.asarray(v, dtype=float) for v in (px, A, B))


def _no_prior(px, A, B):
    _, A, B = _as_arrays(px, A, B)
    return _mi(A / A.sum()), _mi(A @ B / (A @ B).sum())


def _bits(px, A, B):
    px, A, B = _as_arrays(px, A, B)
    return _mi(px[:, None] * A, log=np.log2), _mi(px[:, None] * (A @ B), log=np.log2)


def _i_yz(px, A, B):
    px, A, B = _as_arrays(px, A, B)
    return _mi(px[:, None] * A), _mi((px @ A)[:, None] * B)


def _unmasked(px, A, B):
    px, A, B = _as_arrays(px, A, B)
    return _mi(px[:, None] * A, masked=False), _mi(px[:, None] * (A @ B), masked=False)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "no-prior",
            diagnosis=(
                "You treat the channel matrix as the joint table (normalised): the joint is "
                "p(x, y) = p(x) p(y|x), so each row of A must be weighted by p(x). With a "
                "uniform p(x) the two agree, which is why some cases pass."
            ),
            fix="Use the joint px[:, None] * A for I(X;Y) and px[:, None] * (A @ B) for I(X;Z).",
            wrong=_no_prior,
        ),
        Mistake(
            "bits",
            diagnosis=(
                "Your informations are in bits (np.log2); the task asks for nats, the natural "
                "logarithm: every value is 1/log(2) = 1.4427 times too large."
            ),
            fix="Use np.log.",
            wrong=_bits,
        ),
        Mistake(
            "i-yz",
            diagnosis=(
                "Your second number is I(Y;Z), from the joint p(y) p(z|y), not I(X;Z): Z must "
                "be compared with X through both channels."
            ),
            fix="The channel from X to Z is A @ B: use the joint px[:, None] * (A @ B).",
            wrong=_i_yz,
        ),
        Mistake(
            "unmasked-zero-cells",
            diagnosis=(
                "You sum p log(p / (p_x p_y)) over every cell, so a cell with probability 0 "
                "gives 0 * log 0 = NaN."
            ),
            fix="Sum only over the cells with p(x, y) > 0 (0 log 0 = 0).",
            wrong=_unmasked,
        ),
    ]


def figures(g: Grader) -> None:
    labels = ["0", "0.1", "0.2", "0.3", "0.45"]
    yours = [g.try_array(f"noise{k}", 1, shape=()) for k in range(5)]
    ref_xz = np.array([g.expected(f"noise{k}", 1) for k in range(5)])
    ref_xy = g.expected("noise0", 0)
    fig = plots.compare_bars(
        labels,
        None if any(v is None for v in yours) else np.array([float(v) for v in yours]),
        ref_xz,
        title="I(X;Z) as the second channel gets noisier (dashed: I(X;Y))",
        y_label="nats",
    )
    fig.add_hline(y=ref_xy, line={"color": plots.NEUTRAL, "dash": "dash"})
    fig.update_xaxes(title="flip probability of the second channel")
    g.figure(fig)
