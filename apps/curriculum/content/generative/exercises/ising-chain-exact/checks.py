import itertools

import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots

RTOL, ATOL = 1e-5, 1e-6
FIG_BETA = np.linspace(0.05, 3.0, 60)
FIG_H, FIG_N = 0.01, 10


def _ring(N, beta, J, h, variant=""):
    S = np.array(list(itertools.product([-1.0, 1.0], repeat=int(N))))
    neighbours = np.roll(S, -1, axis=1)
    bonds = S[:, :-1] * neighbours[:, :-1] if variant == "open" else S * neighbours
    energy = -J * bonds.sum(axis=1) - h * S.sum(axis=1)
    observable = S.sum(axis=1) if variant == "total" else S.mean(axis=1)
    out = []
    for b in np.atleast_1d(beta):
        logw = (b if variant == "sign" else -b) * energy
        if variant == "field-unscaled":
            logw = b * J * bonds.sum(axis=1) + h * S.sum(axis=1)
        w = np.exp(logw - logw.max())
        out.append(float(w @ observable / w.sum()))
    return np.array(out)


def _chain(beta, J, h, variant=""):
    beta = np.asarray(beta, dtype=float)
    a = np.abs(beta * h)
    with np.errstate(divide="ignore", over="ignore"):
        log_sinh = a + np.log1p(-np.exp(-2.0 * a)) - np.log(2.0)
        factor = {"exp-2": 1.0, "exp-8": 4.0}.get(variant, 2.0)
        L = log_sinh + factor * beta * J
        return np.sign(h) / np.sqrt(1.0 + np.exp(-2.0 * L))


RING_SLIPS = {
    "open": "the ring closes: spin N is also bonded to spin 1 (np.roll does this)",
    "total": "return the mean spin (1/N) sum s_i, not the total",
    "sign": "the Boltzmann weight is exp(-beta E): low energy is likely",
    "field-unscaled": "beta multiplies the whole energy, the field term included",
}
CHAIN_SLIPS = {
    "exp-2": "the formula has exp(-4 beta J) under the square root, not exp(-2 beta J)",
    "exp-8": "the formula has exp(-4 beta J) under the square root, not exp(-8 beta J)",
}


def _mean_field(beta, J, h, z=2, iters=3000):
    m = np.ones_like(beta)
    for _ in range(iters):
        m = np.tanh(beta * (J * z * m + h))
    return m


def cases(rng: np.random.Generator) -> list[Call]:
    betas = np.sort(rng.uniform(0.1, 2.0, size=6))
    h = float(rng.uniform(0.05, 0.5) * rng.choice([-1.0, 1.0]))
    N = int(rng.integers(5, 10))
    return [
        Call(
            "ring",
            "ring_magnetisation",
            (N, betas, 1.0, h),
            label=f"a ring of {N} spins, h = {h:.3f}",
        ),
        Call(
            "ring-zero",
            "ring_magnetisation",
            (8, betas, 1.0, 0.0),
            label="h = 0 (m = 0 by symmetry)",
        ),
        Call(
            "ring-cold",
            "ring_magnetisation",
            (8, np.array([50.0, 200.0]), 1.0, 0.1),
            label="beta = 50 and 200",
        ),
        Call(
            "ring-three",
            "ring_magnetisation",
            (3, betas, 0.7, 0.2),
            label="the smallest ring, N = 3",
        ),
        Call(
            "ring-anti",
            "ring_magnetisation",
            (7, betas, -1.0, 0.3),
            label="an antiferromagnetic ring of 7 spins, J = -1",
        ),
        Call(
            "ring-fig",
            "ring_magnetisation",
            (FIG_N, FIG_BETA, 1.0, FIG_H),
            label=f"a ring of {FIG_N} spins, h = 0.01",
        ),
        Call("chain", "chain_magnetisation", (betas, 1.0, h), label=f"h = {h:.3f}"),
        Call(
            "chain-zero-cold",
            "chain_magnetisation",
            (np.array([1.0, 1000.0]), 1.0, 0.0),
            label="h = 0 at beta = 1 and 1000",
        ),
        Call(
            "chain-huge",
            "chain_magnetisation",
            (np.array([1000.0]), 1.0, 1.0),
            label="beta h = 1000",
        ),
        Call(
            "chain-negative",
            "chain_magnetisation",
            (betas, 1.0, -0.2),
            label="a negative field, h = -0.2",
        ),
        Call("chain-anti", "chain_magnetisation", (betas, -1.0, 0.3), label="J = -1"),
        Call(
            "chain-fig",
            "chain_magnetisation",
            (FIG_BETA, 1.0, FIG_H),
            label="h = 0.01, beta from 0.05 to 3",
        ),
    ]


def _check(g: Grader, key: str) -> str | None:
    call = g.call(key)
    want = np.asarray(g.expected(key))
    got = g.array(key, shape=want.shape)
    if np.allclose(got, want, rtol=RTOL, atol=ATOL):
        return None
    where = f"{call.func}() on {call.description}"
    if not np.all(np.isfinite(got)):
        if call.func == "ring_magnetisation":
            return (
                f"{where} returned NaN or an infinity: exp(-beta E) overflows for large beta; "
                "subtract the largest log-weight before exponentiating"
            )
        return (
            f"{where} returned NaN or an infinity: sinh(beta h) overflows for beta h > 710 and "
            "h = 0 with a large beta gives 0/0; use m = sign(h) / sqrt(1 + exp(-2L)) with "
            "L = log|sinh(beta h)| + 2 beta J"
        )
    model, slips = (
        (_ring, RING_SLIPS) if call.func == "ring_magnetisation" else (_chain, CHAIN_SLIPS)
    )
    for variant, diagnosis in slips.items():
        if np.allclose(got, model(*call.args, variant=variant), rtol=RTOL, atol=ATOL):
            return f"{where}: {diagnosis}"
    betas = call.args[1] if call.func == "ring_magnetisation" else call.args[0]
    i = int(np.argmax(np.abs(got - want)))
    return f"{where}: at beta = {float(betas[i]):.4g} the magnetisation should be {want[i]:.6g}, but is {got[i]:.6g}"


def grade(g: Grader) -> None:
    for key, name, points in [
        ("ring", "exact magnetisation of a ring", 2),
        ("ring-zero", "a ring in zero field has m = 0", 1),
        ("ring-cold", "a cold ring without overflow", 1),
        ("ring-three", "the smallest ring", 1),
        ("ring-anti", "an antiferromagnetic ring", 1),
        ("ring-fig", "a ring of 10 spins across temperatures", 1),
        ("chain", "the long-chain formula", 2),
        ("chain-zero-cold", "zero field at beta = 1000 gives 0, not NaN", 1),
        ("chain-huge", "beta h = 1000 gives 1, not NaN", 1),
        ("chain-negative", "a negative field", 1),
        ("chain-anti", "an antiferromagnetic chain", 1),
        ("chain-fig", "the chain across temperatures", 1),
    ]:
        g.custom(name, lambda key=key: _check(g, key), points=points)


def figures(g: Grader) -> None:
    fig = plots.compare_lines(
        FIG_BETA,
        g.try_array("chain-fig"),
        g.expected("chain-fig"),
        title="magnetisation of an Ising chain in a field h = 0.01 (J = 1)",
        x_label="inverse temperature β",
        y_label="m",
    )
    fig.add_trace(
        go.Scatter(
            x=FIG_BETA,
            y=_mean_field(FIG_BETA, 1.0, FIG_H),
            name="mean field, z = 2",
            line={"color": plots.NEUTRAL, "dash": "dot"},
        )
    )
    ring = g.try_array("ring-fig")
    if ring is not None:
        fig.add_trace(
            go.Scatter(
                x=FIG_BETA,
                y=ring,
                name=f"your ring of {FIG_N} spins",
                line={"color": "#10b981", "dash": "dash"},
            )
        )
    fig.add_vline(x=0.5, line={"color": plots.NEUTRAL, "dash": "dot"})
    g.figure(fig)
