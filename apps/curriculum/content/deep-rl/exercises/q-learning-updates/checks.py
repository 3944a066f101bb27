import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, changes_argument, plots

LONG_STEPS, LONG_ALPHA, LONG_GAMMA = 20_000, 0.05, 0.8
# After LONG_STEPS updates max_a Q(s, a) of a correct table is within NEAR_OPTIMAL of the optimal
# values of the model estimated from the same stream: over 400 seeds the largest error was 0.19,
# the median 0.04, so no correct table fails by luck.
NEAR_OPTIMAL = 0.5
# A table of negative values, two states and three actions (A > S): the best next action is
# still the largest, here the least negative, entry of the row.
NEGATIVE_Q0 = np.array([[-2.0, -0.5, -1.25], [-3.0, -1.5, -0.75]])
NEGATIVE = np.array(
    [[0, 2, -1.0, 1], [1, 0, -0.5, 0], [0, 1, -2.0, 0], [1, 1, -1.0, 1], [0, 2, -0.25, 1]]
)
# alpha = 1 and gamma = 0: every visited entry ends as the last reward seen for it.
LAST = np.array([[0, 0, 0.5, 1], [1, 1, -1.0, 0], [0, 0, 2.0, 1], [2, 0, 3.0, 2]], dtype=float)


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
    long = _stream(rng, P, R, LONG_STEPS)
    r1, r2, r3, r4 = np.round(rng.uniform(-1, 2, size=4), 2)
    short = np.array(
        [[0, 1, r1, 2], [2, 0, r2, 0], [0, 1, r3, 0], [1, 1, r4, 1], [1, 0, 1.0, 0]], dtype=float
    )
    # Two actions of a state at least 0.5 apart, so the best and the worst next action (or
    # their mean) differ under every seed.
    low = np.round(rng.normal(size=3), 2)
    Q0 = np.stack([low, low + np.round(rng.uniform(0.5, 1.5, size=3), 2)], axis=1)
    Q0[1] = Q0[1, ::-1]
    return [
        Call(
            "short",
            "q_learning_updates",
            (Q0, short, 0.5, 0.9),
            label=(
                "a five-step stream on 3 states and 2 actions that revisits (s=0, a=1) and has "
                "a self-loop, alpha=0.5, gamma=0.9"
            ),
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
            (np.zeros((3, 2)), LAST, 1.0, 0.0),
            label="alpha = 1 and gamma = 0, where each visited entry ends as its last reward",
        ),
        Call(
            "negative",
            "q_learning_updates",
            (NEGATIVE_Q0, NEGATIVE, 0.25, 0.5),
            label="a table of negative values with 2 states and 3 actions, alpha=0.25, gamma=0.5",
        ),
        Call(
            "long",
            "q_learning_updates",
            (np.zeros((S, A)), long, LONG_ALPHA, LONG_GAMMA),
            label=(
                f"{LONG_STEPS} random transitions of a 4-state, 2-action MDP, "
                f"alpha={LONG_ALPHA}, gamma={LONG_GAMMA}"
            ),
        ),
    ]


def grade(g: Grader) -> None:
    # Default tolerances (NOTATION.md): each update is a few operations on numbers of order 1,
    # and the step size alpha forgets old rounding errors, so a float32 computation passes.
    g.check_close("a short stream, step by step", "short", points=3)
    g.check_close("an empty stream leaves Q0 unchanged", "empty", points=1)
    g.check_close("alpha = 1, gamma = 0 keeps the last reward", "last_reward", points=1)
    g.check_close("negative values, more actions than states", "negative", points=1)
    g.check_close("a long random stream", "long", points=2)

    def near_optimal() -> str | None:
        got = g.array("long")
        star = _empirical_optimal_q(g.arg("long", 1), *g.arg("long", 0).shape, g.arg("long", 3))
        err = np.abs(got.max(axis=1) - star.max(axis=1)).max()
        if not err < NEAR_OPTIMAL:
            return (
                f"after {LONG_STEPS} updates max_a Q(s, a) should be within {NEAR_OPTIMAL} of the "
                f"optimal values {np.round(star.max(axis=1), 3).tolist()} of the model estimated "
                f"from the stream, but yours are {np.round(got.max(axis=1), 3).tolist()}"
            )
        return None

    g.custom("the long stream approaches the optimal values", near_optimal, points=1)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _updates(Q0, transitions, alpha, gamma, *, target, from_q0=False):
    """Q-learning with the target ``target(Q, s, r, s_next, gamma)``; with ``from_q0`` every
    target and every old value is read from Q0 instead of the current table."""
    Q0 = np.array(Q0, dtype=float)
    Q = Q0.copy()
    for s, a, r, s_next in np.asarray(transitions, dtype=float).reshape(-1, 4):
        s, a, s_next = int(s), int(a), int(s_next)
        seen = Q0 if from_q0 else Q
        Q[s, a] += alpha * (target(seen, s, r, s_next, gamma) - seen[s, a])
    return Q


def _max_next(Q, s, r, s_next, gamma):
    return r + gamma * Q[s_next].max()


def _from_q0(Q0, transitions, alpha, gamma):
    return _updates(Q0, transitions, alpha, gamma, target=_max_next, from_q0=True)


def _current_state(Q0, transitions, alpha, gamma):
    def target(Q, s, r, s_next, gamma):
        return r + gamma * Q[s].max()

    return _updates(Q0, transitions, alpha, gamma, target=target)


def _mean_next(Q0, transitions, alpha, gamma):
    def target(Q, s, r, s_next, gamma):
        return r + gamma * Q[s_next].mean()

    return _updates(Q0, transitions, alpha, gamma, target=target)


def _discounted_reward(Q0, transitions, alpha, gamma):
    def target(Q, s, r, s_next, gamma):
        return gamma * (r + Q[s_next].max())

    return _updates(Q0, transitions, alpha, gamma, target=target)


def _swapped(Q0, transitions, alpha, gamma):
    return _updates(Q0, transitions, gamma, alpha, target=_max_next)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "targets-from-q0",
            diagnosis=(
                "You compute every update from the initial table Q0 (its targets and its old "
                "values), so an update does not see what the earlier rows changed: a pair "
                "visited twice, or a next state updated earlier in the stream, comes out wrong."
            ),
            fix=(
                "Copy Q0 once, then apply the rows one after the other to that copy, reading "
                "Q[s, a] and Q[s_next].max() from the table as it is at that row."
            ),
            wrong=_from_q0,
        ),
        Mistake(
            "current-state-target",
            diagnosis=(
                "Your target bootstraps from the current state, r + gamma max_a' Q(s, a'), "
                "instead of the next state s' (the fourth column of the row)."
            ),
            fix="The target is r + gamma * Q[s_next].max(), with s_next = int(row[3]).",
            wrong=_current_state,
        ),
        Mistake(
            "mean-next-value",
            diagnosis=(
                "Your target averages the next state's action values, Q[s_next].mean(), "
                "instead of taking their maximum."
            ),
            fix="The Q-learning target is r + gamma * Q[s_next].max().",
            wrong=_mean_next,
        ),
        Mistake(
            "discounted-reward",
            diagnosis=(
                "Your target discounts the reward too, gamma (r + max_a' Q(s', a')): only the "
                "value of the next state is discounted."
            ),
            fix="The target is r + gamma * Q[s_next].max().",
            wrong=_discounted_reward,
        ),
        Mistake(
            "alpha-gamma-swapped",
            diagnosis=(
                "Your function uses the step size where the discount belongs and the discount "
                "where the step size belongs: its parameters are declared in another order than "
                "q_learning_updates(Q0, transitions, alpha, gamma), or used in swapped places."
            ),
            fix=(
                "Declare the parameters as (Q0, transitions, alpha, gamma); alpha multiplies the "
                "TD error, gamma the next state's best value."
            ),
            wrong=_swapped,
        ),
        Mistake(
            "modifies-q0",
            diagnosis=(
                "Your table is right, but you update the caller's Q0 in place: np.asarray(Q0) "
                "(or Q = Q0) is the same array, not a copy."
            ),
            fix="Start from a copy: Q = np.array(Q0, dtype=float).",
            predicate=changes_argument("Q0"),
        ),
    ]


def figures(g: Grader) -> None:
    ref = g.expected("long")
    star = _empirical_optimal_q(g.arg("long", 1), *g.arg("long", 0).shape, g.arg("long", 3))
    yours = g.try_array("long")
    labels = [f"s = {s}, a = {a}" for s in range(ref.shape[0]) for a in range(ref.shape[1])]
    fig = plots.compare_bars(
        labels,
        None if yours is None else yours.ravel(),
        ref.ravel(),
        title=f"Q after {LONG_STEPS} updates, against the optimal Q* (grey)",
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
