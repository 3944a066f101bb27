import numpy as np

from apps.sandbox.grading import Call, Grader, plots


def _optimal_q(P, R, gamma):
    V = np.zeros(P.shape[0])
    while True:
        Q = R + gamma * P @ V
        if np.abs(Q.max(axis=1) - V).max() < 1e-10:
            return Q
        V = Q.max(axis=1)


def _empirical_optimal_q(transitions, S, A, gamma):
    """Q* of the model estimated from the stream: transition counts and mean rewards."""
    counts = np.zeros((S, A, S))
    rewards = np.zeros((S, A))
    for s, a, r, s_next in transitions:
        counts[int(s), int(a), int(s_next)] += 1
        rewards[int(s), int(a)] += r
    visits = np.maximum(counts.sum(axis=2), 1)
    return _optimal_q(counts / visits[:, :, None], rewards / visits, gamma)


def _stream(rng, P, R, n):
    S, A = R.shape
    rows = np.empty((n, 4))
    s = 0
    cumulative = P.cumsum(axis=2)
    for k in range(n):
        a = int(rng.integers(A))
        s_next = min(int(np.searchsorted(cumulative[s, a], rng.random())), S - 1)
        rows[k] = (s, a, R[s, a], s_next)
        s = s_next
    return rows


def cases(rng: np.random.Generator) -> list[Call]:
    S, A = 4, 2
    P = rng.dirichlet(np.ones(S), size=(S, A))
    R = rng.uniform(0.0, 1.0, size=(S, A))
    long = _stream(rng, P, R, 20_000)
    r1, r2, r3, r4 = np.round(rng.uniform(-1, 2, size=4), 2)
    short = np.array(
        [[0, 1, r1, 2], [2, 0, r2, 0], [0, 1, r3, 0], [1, 1, r4, 1], [1, 0, 1.0, 0]], dtype=float
    )
    Q0 = np.round(rng.normal(size=(3, 2)), 2)
    last = np.array([[0, 0, 0.5, 1], [1, 1, -1.0, 0], [0, 0, 2.0, 1], [2, 0, 3.0, 2]], dtype=float)
    return [
        Call(
            "short",
            "q_learning_updates",
            (Q0, short, 0.5, 0.9),
            label="a five-step stream that revisits (s=0, a=1) and has a self-loop, alpha=0.5, gamma=0.9",
        ),
        Call(
            "empty",
            "q_learning_updates",
            (Q0, np.zeros((0, 4)), 0.5, 0.9),
            label="an empty stream (N=0)",
        ),
        Call(
            "last_reward",
            "q_learning_updates",
            (np.zeros((3, 2)), last, 1.0, 0.0),
            label="alpha = 1 and gamma = 0",
        ),
        Call(
            "long",
            "q_learning_updates",
            (np.zeros((S, A)), long, 0.05, 0.8),
            label="20000 random transitions of a 4-state MDP, alpha=0.05, gamma=0.8",
        ),
    ]


def grade(g: Grader) -> None:
    def short_stream() -> str | None:
        Q0, T, alpha, gamma = g.args("short")
        got = g.array("short")
        want = g.expected("short")
        if np.allclose(got, want, rtol=1e-10, atol=1e-12):
            return None
        message = (
            f"on {g.call('short').description}, starting from Q0 = {Q0.tolist()}, the final table should be "
            f"{np.round(want, 4).tolist()} but yours is {np.round(got, 4).tolist()}"
        )
        # Diagnose two common slips by replaying them.
        wrong_state = np.array(Q0, dtype=float)
        for s, a, r, _ in T:
            s, a = int(s), int(a)
            wrong_state[s, a] += alpha * (r + gamma * wrong_state[s].max() - wrong_state[s, a])
        batched = np.array(Q0, dtype=float)
        for s, a, r, s2 in T:
            s, a, s2 = int(s), int(a), int(s2)
            batched[s, a] += alpha * (r + gamma * Q0[s2].max() - Q0[s, a])
        if np.allclose(got, wrong_state):
            message += "; your target uses max_a' Q(s, a') of the current state, but it must use the next state s'"
        elif np.allclose(got, batched):
            message += (
                "; you computed every update from Q0, but each update must see the table left by the previous "
                "one: apply the rows in order"
            )
        return message

    g.custom(
        "a short stream, step by step",
        short_stream,
        points=3,
        hint="update one entry per row, in order, with target r + gamma * Q[s_next].max()",
    )
    g.check_close("an empty stream leaves Q0 unchanged", "empty", rtol=0, atol=0, points=1)
    g.check_close(
        "alpha = 1, gamma = 0 keeps the last reward",
        "last_reward",
        rtol=1e-12,
        atol=1e-12,
        points=1,
    )
    g.check_close(
        "a long random stream",
        "long",
        rtol=1e-8,
        atol=1e-10,
        points=2,
        hint="bootstrap from the next state s' (the fourth column), and apply the rows in order",
    )

    def near_optimal() -> str | None:
        got = g.array("long")
        star = _empirical_optimal_q(g.arg("long", 1), *g.arg("long", 0).shape, g.arg("long", 3))
        err = np.abs(got.max(axis=1) - star.max(axis=1)).max()
        if not err < 0.5:
            return (
                f"after 20000 updates max_a Q(s, a) should be close to the optimal values "
                f"{np.round(star.max(axis=1), 3).tolist()}, but yours are {np.round(got.max(axis=1), 3).tolist()}"
            )
        return None

    g.custom("the long stream approaches the optimal values", near_optimal, points=1)


def figures(g: Grader) -> None:
    ref = g.expected("long")
    star = _empirical_optimal_q(g.arg("long", 1), *g.arg("long", 0).shape, g.arg("long", 3))
    yours = g.try_array("long")
    labels = [f"s = {s}, a = {a}" for s in range(ref.shape[0]) for a in range(ref.shape[1])]
    fig = plots.compare_bars(
        labels,
        None if yours is None else yours.ravel(),
        ref.ravel(),
        title="Q after 20000 updates, against the optimal Q* (grey)",
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
