import itertools

import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

GAMMA, ALPHA, EPSILON, STEPS = 0.8, 0.1, 0.3, 8000
# The optimal action beats the runner-up by at least this much in every state. A correct
# learner's table after STEPS steps is within about 0.35 of Q* (measured over thousands of
# runs), so its greedy policy is optimal whatever its random stream: no verdict by luck.
GAP = 0.6
# Two states, three actions: every action of state 0 leads to state 1 and back. Two steps of
# Q-learning from Q = 0 give a table that depends only on the two actions taken, so it can be
# checked exactly for any random stream.
CYCLE_P = np.zeros((2, 3, 2))
CYCLE_P[0, :, 1] = 1.0
CYCLE_P[1, :, 0] = 1.0
CYCLE_R = np.array([[0.3, 0.6, 0.9], [0.2, 0.5, 0.8]])
CLOSE_TO_Q_STAR = 1.0


def _optimal_q(P, R, gamma):
    V = np.zeros(P.shape[0])
    while True:
        Q = R + gamma * P @ V
        if np.abs(Q.max(axis=1) - V).max() < 1e-11:
            return Q
        V = Q.max(axis=1)


def _policy_value(P, R, gamma, policy):
    S = P.shape[0]
    idx = np.arange(S)
    return np.linalg.solve(np.eye(S) - gamma * P[idx, policy], R[idx, policy])


def _clear_mdp(rng, S=4, A=3):
    """A random MDP whose optimal action beats every other by at least GAP in every state.

    The optimal policy of random rewards is kept (at least one state's best action is not
    action 0) and the rewards of its actions are raised by the same amount until the gap holds:
    that shifts V* by a constant, so it widens every state's gap by exactly that amount.
    """
    P = rng.dirichlet(np.ones(S), size=(S, A))
    R = rng.uniform(0.0, 1.0, size=(S, A))
    best = _optimal_q(P, R, GAMMA).argmax(axis=1)
    if not best.any():
        best[rng.integers(S)] = rng.integers(1, A)
    idx = np.arange(S)
    Q = R + GAMMA * P @ _policy_value(P, R, GAMMA, best)
    others = np.where(np.arange(A) == best[:, None], -np.inf, Q).max(axis=1)
    R[idx, best] += max(0.0, GAP - float((Q[idx, best] - others).min()))
    return P, R


def cases(rng: np.random.Generator) -> list[Call]:
    P1, R1 = _clear_mdp(rng)
    P2, R2 = _clear_mdp(rng)
    seed1, seed2, seed3, seed4 = (int(x) for x in rng.integers(0, 2**31, size=4))
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
        Call(
            "two_steps",
            "q_learning",
            (CYCLE_P, CYCLE_R, GAMMA, ALPHA, EPSILON, 2, seed4),
            label="two steps on a two-state cycle (state 0 -> 1 -> 0)",
        ),
        Call(
            "greedy",
            "q_learning",
            (CYCLE_P, CYCLE_R, GAMMA, ALPHA, 0.0, 4, seed4),
            label="four purely greedy steps (epsilon = 0) on the two-state cycle",
        ),
    ]


# --- runs on the cycle, exactly: for each choice of actions, what each update rule gives ------
def _cycle_table(actions, rule):
    """Q after steps on the cycle from state 0 taking ``actions`` (state 0, 1, 0, 1, ...)."""
    Q = np.zeros((2, 3))
    for step, action in enumerate(actions):
        s, s_next = step % 2, (step + 1) % 2
        reward = CYCLE_R[s_next, action] if rule == "next-reward" else CYCLE_R[s, action]
        future = Q[s_next].mean() if rule == "mean-next" else Q[s_next].max()
        target = reward + GAMMA * future
        Q[s, action] = (
            target if rule == "no-alpha" else Q[s, action] + ALPHA * (target - Q[s, action])
        )
    return Q


def _cycle_tables(steps, rule):
    """Every table ``steps`` steps can give: any two actions, repeated when the agent is greedy."""
    pairs = itertools.product(range(3), repeat=2)
    if steps == 2:
        return [_cycle_table((a, b), rule) for a, b in pairs]
    return [_cycle_table((a, b) * (steps // 2), rule) for a, b in pairs]


def _follows(g: Grader, rule: str, key: str = "two_steps") -> bool:
    Q = g.array(key, shape=(2, 3))
    steps = int(g.args(key)[5])
    return any(np.allclose(Q, table, rtol=1e-5, atol=1e-8) for table in _cycle_tables(steps, rule))


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
                "two calls with the same seed returned different tables (largest difference "
                f"{np.abs(a - b).max():.3g})"
            )
        return None

    g.custom("the same seed gives the same table", reproducible, points=2)

    def two_steps() -> str | None:
        if _follows(g, "correct"):
            return None
        Q = g.array("two_steps", shape=(2, 3))
        table = "[" + ", ".join("[" + ", ".join(f"{x:.6g}" for x in row) + "]" for row in Q) + "]"
        return (
            f"after two steps on a two-state cycle (state 0 -> 1 -> 0) with rewards "
            f"R = {CYCLE_R.tolist()}, gamma = {GAMMA} and alpha = {ALPHA}, your table is "
            f"{table}; whichever two actions a and b the agent takes, the table holds exactly "
            "Q[0, a] = alpha R[0, a] and Q[1, b] = alpha (R[1, b] + gamma max Q[0]), zeros elsewhere"
        )

    g.custom("two steps on a two-state cycle, exactly", two_steps, points=2)

    def greedy() -> str | None:
        if _follows(g, "correct", "greedy"):
            return None
        Q = g.array("greedy", shape=(2, 3))
        table = "[" + ", ".join("[" + ", ".join(f"{x:.6g}" for x in row) + "]" for row in Q) + "]"
        return (
            f"with epsilon = 0 the agent is greedy: back in a state it takes the action whose Q "
            f"is already positive, so after four steps on the cycle each row has exactly one "
            f"nonzero entry, updated twice; your table is {table}"
        )

    g.custom("greedy when epsilon = 0", greedy, points=1)

    def optimal(key):
        def run() -> str | None:
            P, R, gamma = g.args(key)[:3]
            Q = g.array(key, shape=(P.shape[0], P.shape[1]))
            policy = np.argmax(Q, axis=1)
            mine = _policy_value(P, R, gamma, policy)
            star_q = _optimal_q(P, R, gamma)
            star = star_q.max(axis=1)
            gap = star - mine
            if gap.max() > 1e-8:
                s = int(np.argmax(gap))
                return (
                    f"on {g.call(key).description} the greedy policy of your table takes action "
                    f"{policy[s]} in state {s}, worth {mine[s]:.4f} there, but action "
                    f"{int(star_q[s].argmax())} is optimal with value {star[s]:.4f}; in every "
                    f"state the best action beats the others by at least {GAP}"
                )
            return None

        return run

    g.custom("the greedy policy is optimal on the first MDP", optimal("first"), points=2)
    g.custom("the greedy policy is optimal on the second MDP", optimal("second"), points=1)

    def close_to_q_star() -> str | None:
        P, R, gamma = g.args("first")[:3]
        Q = g.array("first", shape=R.shape)
        star = _optimal_q(P, R, gamma)
        err = np.abs(Q - star)
        if not err.max() < CLOSE_TO_Q_STAR:
            s, a = (int(i) for i in np.unravel_index(int(np.argmax(err)), err.shape))
            return (
                f"after {STEPS} steps Q should be within about {CLOSE_TO_Q_STAR:g} of Q* "
                f"everywhere, but Q[{s}, {a}] = {Q[s, a]:.4f} while Q*[{s}, {a}] = {star[s, a]:.4f}"
            )
        return None

    g.custom("the table approaches Q*", close_to_q_star, points=2)


# --- known mistakes: the random stream differs from the reference's, so they are recognised by
# what every run of them shows (predicates), not by reproducing a table.
def _unseeded(g: Grader) -> bool:
    return not np.array_equal(g.array("repeat_a"), g.array("repeat_b"))


def _untried_actions(g: Grader) -> bool:
    """In some visited state (a nonzero row) an action was never tried (an exact zero)."""
    for key in ("first", "second"):
        Q = g.array(key)
        visited = np.any(Q != 0, axis=1)
        if np.any(Q[visited] == 0):
            return True
    return False


def _stays_in_start(g: Grader) -> bool:
    Q = g.array("first")
    return bool(np.any(Q[0] != 0) and not np.any(Q[1:] != 0))


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "unseeded",
            diagnosis=(
                "Two calls with the same seed return different tables: some of your random "
                "numbers do not come from np.random.default_rng(seed) (an unseeded generator, "
                "or np.random.* functions)."
            ),
            fix="Create rng = np.random.default_rng(seed) once and draw every random number from it.",
            predicate=_unseeded,
        ),
        Mistake(
            "stays-in-start",
            diagnosis=(
                "Only the row of state 0 ever changes: after each step the agent stays in state 0 "
                "instead of moving to the state it drew."
            ),
            fix="End each step with s = s_next.",
            predicate=_stays_in_start,
        ),
        Mistake(
            "never-explores",
            diagnosis=(
                "In states your agent visits, some actions are never tried (their Q stays exactly "
                "0): it always acts greedily, so it keeps the first action that earned a reward."
            ),
            fix=(
                "With probability epsilon take a uniformly random action: "
                "if rng.random() < epsilon: a = int(rng.integers(A)); otherwise the argmax."
            ),
            predicate=_untried_actions,
        ),
        Mistake(
            "no-step-size",
            diagnosis=(
                "You replace Q(s, a) by the one-sample target r + gamma max Q(s') instead of "
                "moving a fraction alpha towards it, so the table jumps from sample to sample."
            ),
            fix="Q[s, a] += alpha * (r + gamma * Q[s_next].max() - Q[s, a]).",
            predicate=lambda g: _follows(g, "no-alpha"),
        ),
        Mistake(
            "mean-next-value",
            diagnosis=(
                "Your target averages the next state's action values, Q[s_next].mean(), instead "
                "of taking their maximum: that learns another policy's values, not Q*."
            ),
            fix="The Q-learning target is r + gamma * Q[s_next].max().",
            predicate=lambda g: _follows(g, "mean-next"),
        ),
        Mistake(
            "next-state-reward",
            diagnosis=(
                "Your target uses the reward of the next state, R[s_next, a], instead of the "
                "reward of the action just taken in the current state, R[s, a]."
            ),
            fix="r = R[s, a], read before moving on to s_next.",
            predicate=lambda g: _follows(g, "next-reward"),
        ),
    ]


def failure_figures(g: Grader, key: str) -> None:
    """The failing case drawn against what it should be (the reference's own table follows
    another random stream, so it is no yardstick)."""
    if key in ("repeat_a", "repeat_b"):
        first, again = g.try_array("repeat_a"), g.try_array("repeat_b")
        if first is not None and again is not None:
            labels = [f"s = {s}, a = {a}" for s in range(4) for a in range(3)]
            g.figure(
                plots.compare_bars(
                    labels,
                    again.ravel(),
                    first.ravel(),
                    title="one seed, two calls: your first table (orange), your second (blue)",
                    y_label="Q(s, a)",
                )
            )
        return
    if key in ("two_steps", "greedy"):
        Q = g.try_array(key, shape=(2, 3))
        if Q is None:
            return
        a, b = int(np.abs(Q[0]).argmax()), int(np.abs(Q[1]).argmax())
        steps = int(g.args(key)[5])
        exact = _cycle_table((a, b) * (steps // 2), "correct")
        labels = [f"s = {s}, a = {x}" for s in range(2) for x in range(3)]
        g.figure(
            plots.compare_bars(
                labels,
                Q.ravel(),
                exact.ravel(),
                title=f"{g.call(key).description}: your table against the exact one",
                y_label="Q(s, a)",
            )
        )
        return
    P, R, gamma = g.args(key)[:3]
    yours = g.try_array(key, shape=R.shape)
    if yours is None:
        return
    labels = [f"s = {s}, a = {a}" for s in range(R.shape[0]) for a in range(R.shape[1])]
    g.figure(
        plots.compare_bars(
            labels,
            yours.ravel(),
            _optimal_q(P, R, gamma).ravel(),
            title=f"{g.call(key).description}: your Q against the optimal Q*",
            y_label="Q(s, a)",
        )
    )


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
    if yours is not None and np.all(np.isfinite(yours)):
        mine = _policy_value(P, R, gamma, yours.argmax(axis=1))
        g.figure(
            plots.compare_bars(
                [f"s = {s}" for s in range(R.shape[0])],
                mine,
                star.max(axis=1),
                title="value of your greedy policy (evaluated exactly) against V*",
                y_label="V(s)",
            )
        )
