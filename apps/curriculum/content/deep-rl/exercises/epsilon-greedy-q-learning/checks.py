import numpy as np

from apps.sandbox.grading import Call, Grader, plots

GAMMA, ALPHA, EPSILON, STEPS = 0.8, 0.1, 0.3, 8000


def _optimal_q(P, R, gamma):
    V = np.zeros(P.shape[0])
    while True:
        Q = R + gamma * P @ V
        if np.abs(Q.max(axis=1) - V).max() < 1e-11:
            return Q
        V = Q.max(axis=1)


def _clear_mdp(rng, S=4, A=3):
    """A small MDP whose best action beats the runner-up by at least 0.15 in every state."""
    while True:
        P = rng.dirichlet(np.ones(S), size=(S, A))
        R = rng.uniform(0.0, 1.0, size=(S, A))
        Q = _optimal_q(P, R, GAMMA)
        ranked = np.sort(Q, axis=1)
        if (ranked[:, -1] - ranked[:, -2]).min() > 0.15 and (Q.argmax(axis=1) != 0).any():
            return P, R


def cases(rng: np.random.Generator) -> list[Call]:
    P1, R1 = _clear_mdp(rng)
    P2, R2 = _clear_mdp(rng)
    seed1, seed2, seed3 = (int(x) for x in rng.integers(0, 2**31, size=3))
    return [
        Call(
            "first",
            "q_learning",
            (P1, R1, GAMMA, ALPHA, EPSILON, STEPS, seed1),
            label=f"a 4-state, 3-action MDP, gamma={GAMMA}, alpha={ALPHA}, epsilon={EPSILON}, {STEPS} steps",
        ),
        Call(
            "second",
            "q_learning",
            (P2, R2, GAMMA, ALPHA, EPSILON, STEPS, seed2),
            label="a second 4-state, 3-action MDP",
        ),
        Call(
            "repeat_a",
            "q_learning",
            (P1, R1, GAMMA, ALPHA, EPSILON, 300, seed3),
            label="300 steps with a fixed seed",
        ),
        Call(
            "repeat_b",
            "q_learning",
            (P1, R1, GAMMA, ALPHA, EPSILON, 300, seed3),
            label="the same call again",
        ),
    ]


def _policy_value(P, R, gamma, policy):
    S = P.shape[0]
    idx = np.arange(S)
    return np.linalg.solve(np.eye(S) - gamma * P[idx, policy], R[idx, policy])


def grade(g: Grader) -> None:
    def well_formed() -> str | None:
        for key in ("first", "second"):
            P = g.arg(key, 0)
            Q = g.array(key, shape=(P.shape[0], P.shape[1]))
            if not np.all(np.isfinite(Q)):
                return f"q_learning() on {g.call(key).description} returned NaN or infinite values"
        return None

    g.custom("a finite table of shape (S, A)", well_formed, points=1)

    def reproducible() -> str | None:
        a, b = g.array("repeat_a", shape=(4, 3)), g.array("repeat_b", shape=(4, 3))
        if not np.array_equal(a, b):
            return (
                f"two calls with the same seed returned different tables (largest difference "
                f"{np.abs(a - b).max():.3g}): draw every random number from np.random.default_rng(seed)"
            )
        return None

    g.custom("the same seed gives the same table", reproducible, points=2)

    def optimal(key):
        def run() -> str | None:
            P, R, gamma = g.args(key)[:3]
            Q = g.array(key, shape=(P.shape[0], P.shape[1]))
            policy = np.argmax(Q, axis=1)
            mine = _policy_value(P, R, gamma, policy)
            star = _optimal_q(P, R, gamma).max(axis=1)
            gap = star - mine
            if gap.max() > 1e-8:
                s = int(np.argmax(gap))
                best = int(_optimal_q(P, R, gamma)[s].argmax())
                return (
                    f"on {g.call(key).description} the greedy policy of your table takes action {policy[s]} in "
                    f"state {s}, which is worth {mine[s]:.4f} there, but action {best} is optimal with value "
                    f"{star[s]:.4f}. Make sure the agent explores (a random action with probability epsilon) "
                    "and that the target uses the next state"
                )
            return None

        return run

    g.custom("the greedy policy is optimal on the first MDP", optimal("first"), points=3)
    g.custom("the greedy policy is optimal on the second MDP", optimal("second"), points=2)

    def close_to_q_star() -> str | None:
        P, R, gamma = g.args("first")[:3]
        Q = g.array("first", shape=R.shape)
        star = _optimal_q(P, R, gamma)
        err = np.abs(Q - star)
        if not err.max() < 0.6:
            s, a = (int(i) for i in np.unravel_index(int(np.argmax(err)), err.shape))
            return (
                f"after {STEPS} steps Q should be within about 0.6 of Q* everywhere, but Q[{s}, {a}] = "
                f"{Q[s, a]:.4f} while Q*[{s}, {a}] = {star[s, a]:.4f}; check the update "
                "Q[s, a] += alpha * (r + gamma * max Q[s_next] - Q[s, a]) and that every action gets tried"
            )
        return None

    g.custom("the table approaches Q*", close_to_q_star, points=2)


def figures(g: Grader) -> None:
    P, R, gamma = g.args("first")[:3]
    star = _optimal_q(P, R, gamma)
    ref = g.expected("first")
    yours = g.try_array("first", shape=R.shape)
    labels = [f"s = {s}, a = {a}" for s in range(R.shape[0]) for a in range(R.shape[1])]
    fig = plots.compare_bars(
        labels,
        None if yours is None else yours.ravel(),
        ref.ravel(),
        title="learned Q (yours and reference, different random streams) against Q* (grey)",
        y_label="Q(s, a)",
    )
    fig.add_scatter(
        x=labels,
        y=star.ravel(),
        mode="markers",
        name="optimal Q*",
        marker={"color": plots.NEUTRAL, "size": 11, "symbol": "diamond"},
    )
    g.figure(fig)
    values = {
        "optimal V*": star.max(axis=1),
        "reference greedy policy": _policy_value(P, R, gamma, ref.argmax(axis=1)),
    }
    if yours is not None and np.all(np.isfinite(yours)):
        mine = _policy_value(P, R, gamma, yours.argmax(axis=1))
        g.figure(
            plots.compare_bars(
                [f"s = {s}" for s in range(R.shape[0])],
                mine,
                values["optimal V*"],
                title="value of your greedy policy (evaluated exactly) against V*",
                y_label="V(s)",
            )
        )
