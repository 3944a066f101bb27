import itertools

import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, conditioned, plots

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
        log_sinh = a + np.log(-np.expm1(-2.0 * a)) - np.log(2.0)
        factor = {"exp-2": 1.0, "exp-8": 4.0}.get(variant, 2.0)
        L = log_sinh + factor * beta * J
        return np.sign(h) / np.sqrt(1.0 + np.exp(-2.0 * L))


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
            "chain-huge-anti",
            "chain_magnetisation",
            (np.array([800.0, 1000.0]), -0.5, 1.0),
            label="beta h = 800 and 1000 against a coupling J = -0.5 (m = 1/sqrt(5))",
        ),
        Call(
            "chain-negative",
            "chain_magnetisation",
            (betas, 1.0, -0.2),
            label="a negative field, h = -0.2",
        ),
        Call("chain-anti", "chain_magnetisation", (betas, -1.0, 0.3), label="J = -1"),
        # m ~ beta h e^(2 beta J) = 0.11 at beta = 1: 1 - exp(-2 beta h) keeps only two or three
        # digits of 2 beta h = 2e-14, so log1p(-exp(-2a)) is off by 8e-4 (expm1 is exact).
        Call(
            "chain-tiny-field",
            "chain_magnetisation",
            (np.array([1.0, 1.1]), 15.0, 1e-14),
            label="a tiny field h = 1e-14 on a strongly coupled chain, J = 15 (m = 0.11 at beta = 1)",
        ),
        Call(
            "chain-fig",
            "chain_magnetisation",
            (FIG_BETA, 1.0, FIG_H),
            label="h = 0.01, beta from 0.05 to 3",
        ),
    ]


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
        ("chain-tiny-field", "a tiny field on a strongly coupled chain", 1),
        ("chain-fig", "the chain across temperatures", 1),
    ]:
        g.check_close(name, key, rtol=RTOL, atol=ATOL, points=points)
    # L = log sinh(beta h) + 2 beta J cancels two terms of size 1000 to about -0.7: a float32
    # computation loses about 1000 x 6e-8 of L, so the tolerance follows that condition.
    g.check_close(
        "beta h = 1000 against a coupling that almost cancels it",
        "chain-huge-anti",
        rtol=conditioned(1000),
        atol=ATOL,
    )


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _ring_variant(variant):
    def ring(N, beta, J, h):
        return _ring(N, np.asarray(beta, dtype=float), J, h, variant=variant)

    return ring


def _ring_unstabilised(N, beta, J, h):
    S = np.array(list(itertools.product([-1.0, 1.0], repeat=int(N))))
    energy = -J * (S * np.roll(S, -1, axis=1)).sum(axis=1) - h * S.sum(axis=1)
    out = []
    with np.errstate(over="ignore", invalid="ignore"):
        for b in np.atleast_1d(np.asarray(beta, dtype=float)):
            w = np.exp(-b * energy)
            out.append(float(w @ S.mean(axis=1) / w.sum()))
    return np.array(out)


def _chain_naive(beta, J, h):
    beta = np.asarray(beta, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        sh = np.sinh(beta * h)
        return sh / np.sqrt(sh**2 + np.exp(-4.0 * beta * J))


def _chain_log_of_sinh(beta, J, h):
    beta = np.asarray(beta, dtype=float)
    if h == 0:
        return np.zeros_like(beta)
    with np.errstate(over="ignore"):
        L = np.log(np.abs(np.sinh(beta * h))) + 2.0 * beta * J
        return np.sign(h) / np.sqrt(1.0 + np.exp(-2.0 * L))


def _chain_variant(variant):
    def chain(beta, J, h):
        return _chain(beta, J, h, variant=variant)

    return chain


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "weights-not-stabilised",
            diagnosis=(
                "ring_magnetisation exponentiates -beta E as it is: at beta = 200 the weights "
                "overflow to inf, and inf / inf is NaN."
            ),
            fix="Subtract the largest log-weight first: w = np.exp(logw - logw.max()).",
            wrong={"ring_magnetisation": _ring_unstabilised},
        ),
        Mistake(
            "boltzmann-sign",
            diagnosis=(
                "ring_magnetisation weights the configurations by exp(+beta E): that favours high "
                "energy, and the Boltzmann weight is exp(-beta E)."
            ),
            fix="logw = -beta * E.",
            wrong={"ring_magnetisation": _ring_variant("sign")},
        ),
        Mistake(
            "open-chain",
            diagnosis=(
                "ring_magnetisation leaves out the bond between spin N and spin 1: that is an open "
                "chain, and the ring closes."
            ),
            fix="Pair each spin with np.roll(S, -1, axis=1), which includes the pair (N, 1).",
            wrong={"ring_magnetisation": _ring_variant("open")},
        ),
        Mistake(
            "total-spin",
            diagnosis=(
                "ring_magnetisation averages the total spin sum_i s_i, N times the mean spin that "
                "defines m."
            ),
            fix="Average S.mean(axis=1), not S.sum(axis=1).",
            wrong={"ring_magnetisation": _ring_variant("total")},
        ),
        Mistake(
            "log-of-sinh-overflows",
            diagnosis=(
                "chain_magnetisation computes log|sinh(beta h)| as np.log(np.abs(np.sinh(...))): "
                "sinh overflows to inf for beta h > 710, so L is inf even where 2 beta J brings it "
                "back to a finite value."
            ),
            fix="log|sinh(a)| = |a| + log(-expm1(-2|a|)) - log 2.",
            wrong={"chain_magnetisation": _chain_log_of_sinh},
        ),
        Mistake(
            "chain-naive-formula",
            diagnosis=(
                "chain_magnetisation evaluates sinh(beta h) / sqrt(sinh(beta h)^2 + exp(-4 beta J)) "
                "as written: for beta h > 710 that is inf / inf, and with h = 0 at a large beta "
                "0 / 0, both NaN."
            ),
            fix="Write m = sign(h) / sqrt(1 + exp(-2L)) with L = log|sinh(beta h)| + 2 beta J.",
            wrong={"chain_magnetisation": _chain_naive},
        ),
        Mistake(
            "chain-exponent-2",
            diagnosis="chain_magnetisation has exp(-2 beta J) under the square root; the formula has exp(-4 beta J).",
            fix="L = log|sinh(beta h)| + 2 beta J, so that exp(-2L) carries exp(-4 beta J).",
            wrong={"chain_magnetisation": _chain_variant("exp-2")},
        ),
    ]


def figures(g: Grader) -> None:
    fig = plots.compare_lines(
        FIG_BETA,
        g.try_array("chain-fig"),
        g.expected("chain-fig"),
        title="magnetisation of an Ising chain in a field h = 0.01 (J = 1)",
        x_label="inverse temperature β",
        y_label="m",
    )
    fig.add_scatter(
        x=FIG_BETA,
        y=_mean_field(FIG_BETA, 1.0, FIG_H),
        name="mean field, z = 2",
        line={"color": plots.NEUTRAL, "dash": "dot"},
    )
    ring = g.try_array("ring-fig")
    if ring is not None:
        fig.add_scatter(
            x=FIG_BETA,
            y=ring,
            name=f"your ring of {FIG_N} spins",
            line={"color": "#10b981", "dash": "dash"},
        )
    fig.add_vline(x=0.5, line={"color": plots.NEUTRAL, "dash": "dot"})
    g.figure(fig)
