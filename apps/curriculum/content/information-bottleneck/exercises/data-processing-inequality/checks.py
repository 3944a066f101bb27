import numpy as np

from apps.sandbox.grading import Call, Grader, plots

JOINT = "the joint is p(x) p(y|x): multiply its rows by p(x) before applying the mutual-information formula"


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
    if i_xz > i_xy + 1e-12:
        return f"on random channels you report I(X;Z) = {i_xz:.6f} > I(X;Y) = {i_xy:.6f}, which the data processing inequality forbids"
    return None


def grade(g: Grader) -> None:
    g.check_close(
        "I(X;Y) for random channels", "random", 0, rtol=1e-8, atol=1e-12, points=2, hint=JOINT
    )
    g.check_close(
        "I(X;Z) for random channels",
        "random",
        1,
        rtol=1e-8,
        atol=1e-12,
        points=2,
        hint="the channel from X to Z is the product A @ B (rows: x, columns: z); " + JOINT,
    )
    g.custom("the data processing inequality holds", lambda: _inequality(g), points=1)
    g.check_close(
        "a permutation loses nothing",
        "perm",
        1,
        rtol=1e-8,
        atol=1e-12,
        points=1,
        expected=g.expected("perm", 0),
    )
    g.check_close("identical rows destroy everything", "const", 1, atol=1e-10, points=1)
    g.check_close(
        "a zero-probability input",
        "zero_px",
        0,
        rtol=1e-8,
        atol=1e-12,
        points=1,
        hint="cells with probability 0 contribute 0 (0 log 0 = 0)",
    )


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
