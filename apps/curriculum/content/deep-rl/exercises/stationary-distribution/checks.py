import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots


def _sticky(rng, S, stay):
    P = rng.dirichlet(np.ones(S), size=S)
    P = (1 - stay) * P + stay * np.eye(S)
    return P


def cases(rng: np.random.Generator) -> list[Call]:
    S = int(rng.integers(4, 9))
    random = rng.dirichlet(np.full(S, 0.7), size=S)
    a, b = rng.uniform(0.05, 0.95, size=2)
    skew = rng.dirichlet(np.ones(6), size=6)
    skew[:, 0] += 3.0
    skew /= skew.sum(axis=1, keepdims=True)
    return [
        Call("random", "stationary_distribution", (random,), label=f"a random {S}-state chain"),
        Call(
            "two",
            "stationary_distribution",
            (np.array([[1 - a, a], [b, 1 - b]]),),
            label=f"the two-state chain with a = {a:.3f}, b = {b:.3f}",
        ),
        Call(
            "skewed",
            "stationary_distribution",
            (skew,),
            label="a 6-state chain that spends most of its time in state 0",
        ),
        Call(
            "sticky",
            "stationary_distribution",
            (_sticky(rng, 5, 0.998),),
            label="a slowly mixing 5-state chain that stays put with probability about 0.998",
        ),
    ]


KEYS = ("random", "two", "skewed", "sticky")


def grade(g: Grader) -> None:
    def is_distribution() -> str | None:
        for key in KEYS:
            got = g.array(key)
            if not np.all(np.isfinite(got)):
                return f"stationary_distribution() on {g.call(key).description} returned NaN or infinity"
            if np.any(got < -1e-10):
                return (
                    f"on {g.call(key).description} your vector has a negative entry {got.min():.4g}; an eigenvector "
                    "may come back with either sign, and dividing by its sum, so that it sums to 1, fixes that"
                )
            if abs(got.sum() - 1) > 1e-8:
                return (
                    f"a distribution must sum to 1, but on {g.call(key).description} yours sums to {got.sum():.6g} "
                    "(eigenvectors are returned with unit Euclidean length; divide by the sum instead)"
                )
        return None

    g.custom("a probability vector", is_distribution, points=2)

    def invariant(key, extra=""):
        def run() -> str | None:
            P = g.arg(key)
            got = g.array(key)
            gap = np.abs(got @ P - got).max()
            if not gap < 1e-9:
                want = g.expected(key)
                return (
                    f"on {g.call(key).description} your pi is not stationary: pi P differs from pi by {gap:.3g}; "
                    f"expected pi = {np.round(want, 4)}, got {np.round(got, 4)}{extra}"
                )
            return None

        return run

    g.custom(
        "pi P = pi on a random chain",
        invariant("random"),
        points=2,
        hint="the stationary vector is a left eigenvector of P: an eigenvector of P.T, not of P",
    )
    g.custom(
        "a chain far from uniform",
        invariant(
            "skewed",
            ". The right eigenvector of P for eigenvalue 1 is always the "
            "constant vector; you need the left eigenvector (eigenvector of P.T)",
        ),
        points=2,
    )
    g.check_close(
        "the two-state chain: pi = (b, a) / (a + b)", "two", rtol=1e-8, atol=1e-10, points=1
    )
    g.check_close(
        "a slowly mixing chain",
        "sticky",
        rtol=1e-6,
        atol=1e-9,
        points=2,
        hint="this chain mixes slowly (second eigenvalue near 1), so iterating mu P converges very slowly; "
        "solve the eigenvector equation directly",
    )


def figures(g: Grader) -> None:
    ref = g.expected("random")
    yours = g.try_array("random")
    labels = [f"state {i}" for i in range(ref.shape[0])]
    g.figure(
        plots.compare_bars(
            labels,
            yours,
            ref,
            title="stationary distribution π of a random chain",
            y_label="probability",
        )
    )
    P = g.arg("random")
    mu = np.zeros(P.shape[0])
    mu[0] = 1.0
    steps = np.arange(31)
    dist_ref, dist_yours = [], []
    for _ in steps:
        dist_ref.append(0.5 * np.abs(mu - ref).sum())
        if yours is not None:
            dist_yours.append(0.5 * np.abs(mu - yours).sum())
        mu = mu @ P
    fig = go.Figure()
    fig.add_scatter(
        x=steps,
        y=np.maximum(dist_ref, 1e-17),
        name="distance to reference π",
        line={"color": plots.REFERENCE, "width": 3},
    )
    if yours is not None:
        fig.add_scatter(
            x=steps,
            y=np.maximum(dist_yours, 1e-17),
            name="distance to your π",
            line={"color": plots.LEARNER, "dash": "dash"},
        )
    fig.update_yaxes(type="log")
    fig.update_layout(
        title={"text": "convergence of μ_t = μ_0 P^t from state 0 (total variation distance)"},
        xaxis_title="step t",
        yaxis_title="½ Σ |μ_t − π| (log scale)",
        height=380,
    )
    g.figure(fig)
