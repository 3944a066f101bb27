import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, conditioned, plots


def _sticky(rng, S, stay):
    P = rng.dirichlet(np.ones(S), size=S)
    P = (1 - stay) * P + stay * np.eye(S)
    return P


# A fixed chain for which np.linalg.eig(P.T) returns its eigenvector for eigenvalue 1 with
# every entry negative: only dividing by the signed sum turns it into a distribution.
NEGATED = np.array(
    [[0.1, 0.1, 0.3, 0.5], [0.3, 0.2, 0.4, 0.1], [0.2, 0.1, 0.1, 0.6], [0.1, 0.3, 0.1, 0.5]]
)
STAY = 0.998


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
            (_sticky(rng, 5, STAY),),
            label="a slowly mixing 5-state chain that stays put with probability about 0.998",
        ),
        Call(
            "fixed",
            "stationary_distribution",
            (NEGATED,),
            label="the 4-state chain with rows (0.1, 0.1, 0.3, 0.5), (0.3, 0.2, 0.4, 0.1), "
            "(0.2, 0.1, 0.1, 0.6), (0.1, 0.3, 0.1, 0.5)",
        ),
    ]


KEYS = ("random", "two", "skewed", "sticky", "fixed")


def grade(g: Grader) -> None:
    def real_values() -> str | None:
        for key in KEYS:
            dtype = np.asarray(g.output(key)).dtype
            if np.issubdtype(dtype, np.complexfloating):
                return f"on {g.call(key).description} pi has the complex dtype {dtype}; expected real numbers"
        return None

    g.custom("a real vector", real_values, points=0.5)

    def is_distribution() -> str | None:
        for key in KEYS:
            got = g.array(key)
            if not np.all(np.isfinite(got)):
                return f"stationary_distribution() on {g.call(key).description} returned NaN or infinity"
            if np.any(got < -1e-6):
                return (
                    f"on {g.call(key).description} your vector has a negative entry {got.min():.6g}"
                )
            # float32 rounds each of a few entries by about 6e-8.
            if abs(got.sum() - 1) > 1e-6:
                return f"a distribution must sum to 1, but on {g.call(key).description} yours sums to {got.sum():.8g}"
        return None

    g.custom("a probability vector", is_distribution, points=2)

    def invariant(key):
        def run() -> str | None:
            P = g.arg(key)
            got = g.array(key, shape=(P.shape[0],))
            gap = np.abs(got @ P - got).max()
            if not gap < 1e-6:
                want = g.expected(key)
                return (
                    f"on {g.call(key).description} your pi is not stationary: pi P differs from pi by {gap:.6g}; "
                    f"expected pi = {np.round(want, 6)}, got {np.round(got, 6)}"
                )
            return None

        return run

    g.custom("pi P = pi on a random chain", invariant("random"), points=2)
    g.custom("a chain far from uniform", invariant("skewed"), points=2)
    g.check_close("the two-state chain: pi = (b, a) / (a + b)", "two", points=1)
    g.check_close("a chain whose eigenvector comes back negated", "fixed", points=1)
    # The sticky chain's spectral gap is about 1 - 0.998: pi is conditioned by its inverse.
    g.check_close("a slowly mixing chain", "sticky", rtol=conditioned(1 / (1 - STAY)), points=2)


# --- known mistakes ------------------------------------------------------------------------
def _eigenvector(M):
    w, V = np.linalg.eig(np.asarray(M, dtype=float))
    return V[:, np.argmin(np.abs(w - 1.0))]


def _few_iterations(P):
    P = np.asarray(P, dtype=float)
    mu = np.full(P.shape[0], 1.0 / P.shape[0])
    for _ in range(200):
        mu = mu @ P
    return mu


def _right_eigenvector(P):
    v = np.real(_eigenvector(P))
    return v / v.sum()


def _abs_sum(P):
    v = np.real(_eigenvector(np.asarray(P, dtype=float).T))
    return v / np.abs(v).sum()


def _unit_norm(P):
    return np.real(_eigenvector(np.asarray(P, dtype=float).T))


def _eigh(P):
    w, V = np.linalg.eigh(np.asarray(P, dtype=float).T)
    v = V[:, np.argmin(np.abs(w - 1))]
    return v / v.sum()


def _complex(g: Grader) -> bool:
    return any(np.iscomplexobj(np.asarray(g.output(key))) for key in KEYS)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "complex-result",
            diagnosis=(
                "You return the eigenvector straight from np.linalg.eig, which has a complex dtype "
                "(with zero imaginary parts)."
            ),
            fix="Take the real part, v.real, before normalising.",
            predicate=_complex,
        ),
        Mistake(
            "right-eigenvector",
            diagnosis=(
                "You take an eigenvector of P: the right eigenvector for eigenvalue 1 is always the "
                "constant vector (rows sum to 1), so you return the uniform distribution. pi is a "
                "left eigenvector, pi P = pi."
            ),
            fix="Use the eigenvector of P.T for the eigenvalue closest to 1.",
            wrong=_right_eigenvector,
        ),
        Mistake(
            "abs-sum-normalisation",
            diagnosis=(
                "You divide the eigenvector by the sum of its absolute values: an eigenvector that "
                "comes back negated (all entries negative) stays negative, summing to -1."
            ),
            fix="Divide by the plain sum, v / v.sum(), which also fixes the sign.",
            wrong=_abs_sum,
        ),
        Mistake(
            "unit-length",
            diagnosis=(
                "You return the eigenvector as np.linalg.eig gives it, with unit Euclidean length "
                "(and an arbitrary sign), not as a distribution summing to 1."
            ),
            fix="Divide by its sum: v / v.sum().",
            wrong=_unit_norm,
        ),
        Mistake(
            "eigh-on-nonsymmetric",
            diagnosis=(
                "You call np.linalg.eigh, which assumes a symmetric matrix and reads only one "
                "triangle of P.T: for a general chain it returns eigenpairs of another matrix."
            ),
            fix="Use np.linalg.eig for a non-symmetric matrix.",
            wrong=_eigh,
        ),
        Mistake(
            "too-few-iterations",
            diagnosis=(
                "You iterate mu <- mu P a fixed number of times: on a chain that stays put with "
                "probability 0.998 the distance to pi shrinks only by about 0.998 per step, so a "
                "few hundred steps are far from enough."
            ),
            fix="Solve for the eigenvector of P.T with eigenvalue 1 directly.",
            wrong=_few_iterations,
        ),
    ]


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
    fig = PlainFigure()
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
