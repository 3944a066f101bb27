import numpy as np

from apps.sandbox.grading import Call, Grader, plots


def _h(p):
    p = np.asarray(p, dtype=float).ravel()
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def cases(rng: np.random.Generator) -> list[Call]:
    k, n = int(rng.integers(3, 7)), int(rng.integers(4, 8))
    p, q = rng.dirichlet(np.ones(k)), rng.dirichlet(np.ones(k))
    pz = rng.dirichlet(np.ones(k), size=n)
    pz[:, 0] = 0.0
    pz /= pz.sum(axis=1, keepdims=True)
    qz = rng.dirichlet(np.ones(k))
    qz[1] = 0.0
    qz /= qz.sum()
    m, c = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    joint = rng.dirichlet(np.ones(m * c)).reshape(m, c)
    px, py = rng.dirichlet(np.ones(m)), rng.dirichlet(np.ones(c))
    det = np.zeros((m, c))
    det[np.arange(m), rng.integers(0, c, size=m)] = px
    zero_row = joint.copy()
    zero_row[0] = 0.0
    zero_row /= zero_row.sum()
    return [
        Call("kl", "kl_divergence", (p, q), label=f"two random distributions over {k} outcomes"),
        Call(
            "kl-batch",
            "kl_divergence",
            (rng.dirichlet(np.ones(k), size=n), rng.dirichlet(np.ones(k), size=n)),
            label=f"batches of shape ({n}, {k})",
        ),
        Call(
            "kl-zeros",
            "kl_divergence",
            (pz, rng.dirichlet(np.ones(k), size=n)),
            label="p with a zero entry in every row",
        ),
        Call("kl-self", "kl_divergence", (p, p), label="p against itself"),
        Call(
            "kl-inf",
            "kl_divergence",
            (rng.dirichlet(np.ones(k)), qz),
            label="a q that is zero where p is positive",
        ),
        Call(
            "ce", "conditional_entropy", (joint,), label=f"a random joint table of shape ({m}, {c})"
        ),
        Call(
            "ce-indep",
            "conditional_entropy",
            (np.outer(px, py),),
            label="an independent pair, p(x, y) = p(x) p(y)",
        ),
        Call("ce-det", "conditional_entropy", (det,), label="a Y determined by X"),
        Call(
            "ce-zero-row",
            "conditional_entropy",
            (zero_row,),
            label="a table whose first row is all zeros",
        ),
    ]


def grade(g: Grader) -> None:
    def kl_direction():
        p, q = g.args("kl")
        got, ref = g.scalar("kl"), g.expected("kl")
        reverse = float(np.sum(q * np.log(q / p)))
        if np.isclose(got, reverse, rtol=1e-9) and not np.isclose(reverse, ref, rtol=1e-6):
            return (
                f"on two random distributions you returned {got:.6g}, which is D_KL(q || p); "
                f"the first argument weights the log-ratio, and D_KL(p || q) = {ref:.6g}"
            )
        return (
            None
            if np.isclose(got, ref, rtol=1e-9)
            else f"on two random distributions D_KL(p || q) = {ref:.6g}, got {got:.6g}"
        )

    g.custom("D_KL(p || q) on two random distributions", kl_direction, points=2)
    g.check_close(
        "applies over the last axis of a batch",
        "kl-batch",
        rtol=1e-9,
        hint="Sum with axis=-1: one divergence per row, shape (N,)",
    )
    g.check_close(
        "zero entries of p contribute nothing",
        "kl-zeros",
        rtol=1e-9,
        hint="0 * log(0 / q) is 0 by convention, but NumPy computes 0 * -inf = nan",
    )
    g.check_close("D_KL(p || p) = 0", "kl-self", atol=1e-12)

    def infinite():
        got = g.scalar("kl-inf")
        if np.isposinf(got):
            return None
        return (
            f"when q is 0 at an outcome where p is positive the divergence is +inf, but you returned {got}; "
            "log(p / 0) is +inf, so keep it (only terms with p = 0 are dropped)"
        )

    g.custom("+inf when q misses a possible outcome", infinite)
    for key, name in (
        ("ce", "H(Y | X) on a random joint table"),
        ("ce-indep", "H(Y | X) = H(Y) for an independent pair"),
        ("ce-det", "H(Y | X) = 0 when Y is determined by X"),
        ("ce-zero-row", "a value of X that never occurs"),
    ):

        def run(key=key):
            joint = np.asarray(g.arg(key))
            got, ref = g.scalar(key), g.expected(key)
            if not np.isfinite(got):
                return f"conditional_entropy() on {g.call(key).description} returned {got}; 0 log 0 counts as 0"
            h_x_given_y = _h(joint) - _h(joint.sum(axis=0))
            if np.isclose(got, h_x_given_y, rtol=1e-9) and not np.isclose(
                ref, h_x_given_y, rtol=1e-6
            ):
                return (
                    f"on {g.call(key).description} you returned {got:.6g} = H(X | Y): rows index X and columns "
                    f"index Y, so condition on the row sums p(x); H(Y | X) = {ref:.6g}"
                )
            return (
                None
                if np.isclose(got, ref, rtol=1e-9, atol=1e-12)
                else (f"on {g.call(key).description} H(Y | X) = {ref:.6g}, got {got:.6g}")
            )

        g.custom(name, run)


def figures(g: Grader) -> None:
    ref = np.asarray(g.expected("kl-batch"))
    yours = g.try_array("kl-batch")
    g.figure(
        plots.compare_bars(
            [f"row {i}" for i in range(ref.size)],
            yours,
            ref,
            title="D_KL(p || q) for each row of the batch",
            y_label="nats",
        )
    )
    keys = ("ce", "ce-indep", "ce-det", "ce-zero-row")
    names = ["random table", "independent", "Y determined by X", "a zero row"]
    got = [g.try_array(k, shape=()) for k in keys]
    mine = None if any(v is None for v in got) else np.array([float(v) for v in got])
    fig = plots.compare_bars(
        names,
        mine,
        np.array([g.expected(k) for k in keys]),
        title="H(Y | X) for four joint tables",
        y_label="nats",
    )
    fig.add_scatter(
        x=names,
        y=[_h(np.asarray(g.arg(k)).sum(axis=0)) for k in keys],
        mode="markers",
        name="H(Y), the upper bound",
        marker={"color": plots.NEUTRAL, "symbol": "line-ew-open", "size": 30},
    )
    g.figure(fig)
