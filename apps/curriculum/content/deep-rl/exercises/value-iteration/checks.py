import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots, subplots

ARROWS = "↑→↓←"


def grid_world(rows, cols, goal, swamps):
    """Actions 0..3 = up, right, down, left; walls keep you in place; the goal is absorbing."""
    S = rows * cols
    P = np.zeros((S, 4, S))
    R = np.full((S, 4), -1.0)
    moves = [(-1, 0), (0, 1), (1, 0), (0, -1)]
    for s in range(S):
        r, c = divmod(s, cols)
        for a, (dr, dc) in enumerate(moves):
            if s == goal:
                P[s, a, s] = 1.0
                R[s, a] = 0.0
                continue
            nr, nc = min(max(r + dr, 0), rows - 1), min(max(c + dc, 0), cols - 1)
            P[s, a, nr * cols + nc] = 1.0
            if s in swamps:
                R[s, a] = -5.0
    return P, R


def _mdp(rng, S, A):
    return rng.dirichlet(np.full(S, 0.5), size=(S, A)), rng.normal(size=(S, A))


def cases(rng: np.random.Generator) -> list[Call]:
    S, A = int(rng.integers(5, 11)), int(rng.integers(2, 5))
    P, R = _mdp(rng, S, A)
    gamma = float(rng.uniform(0.8, 0.95))
    P2, R2 = _mdp(rng, 6, 3)
    rows, cols = 5, 6
    goal = int(rng.integers(0, rows * cols))
    swamps = set(
        int(s)
        for s in rng.choice([s for s in range(rows * cols) if s != goal], size=4, replace=False)
    )
    Pg, Rg = grid_world(rows, cols, goal, swamps)
    return [
        Call(
            "random",
            "value_iteration",
            (P, R, gamma),
            label=f"a random MDP with S={S}, A={A}, gamma={gamma:.3f}",
        ),
        Call(
            "far_sighted",
            "value_iteration",
            (P2, R2, 0.99),
            label="a random 6-state MDP with gamma = 0.99",
        ),
        Call("myopic", "value_iteration", (P, R, 0.0), label="gamma = 0"),
        Call(
            "single",
            "value_iteration",
            (np.ones((1, 3, 1)), np.array([[0.5, 2.0, 1.0]]), 0.9),
            label="one state with three actions paying 0.5, 2 and 1, gamma = 0.9",
        ),
        Call(
            "grid",
            "value_iteration",
            (Pg, Rg, 0.95),
            label=f"a {rows}x{cols} grid world (reward -1 per step, -5 in swamps, goal at cell {goal}), gamma = 0.95",
        ),
    ]


KEYS = ("random", "far_sighted", "myopic", "single", "grid")


def _exact_value(P, R, gamma, policy):
    S = P.shape[0]
    idx = np.arange(S)
    return np.linalg.solve(np.eye(S) - gamma * P[idx, policy], R[idx, policy])


def _v_star(g, key):
    P, R, gamma = g.args(key)
    return _exact_value(P, R, gamma, np.asarray(g.expected(key, 1), dtype=int))


def grade(g: Grader) -> None:
    def values(keys):
        def run() -> str | None:
            for key in keys:
                V = g.array(key, 0)
                star = _v_star(g, key)
                tol = 1e-5 * (1 + np.abs(star).max())
                if not np.all(np.abs(V - star) < tol):
                    s = int(np.nanargmax(np.abs(V - star)))
                    return f"on {g.call(key).description} V[{s}] should be {star[s]:.8g}, but you returned {V[s]:.8g}"
            return None

        return run

    g.custom(
        "optimal values on a random MDP",
        values(("random",)),
        points=2,
    )
    g.custom(
        "optimal values with gamma = 0.99 and in a grid world",
        values(("far_sighted", "grid")),
        points=2,
    )
    g.custom(
        "gamma = 0 and a single state",
        values(("myopic", "single")),
        points=1,
    )

    def integer_policy() -> str | None:
        for key in KEYS:
            P = g.arg(key, 0)
            policy = g.array(
                key, 1, shape=(P.shape[0],), what=f"the policy on {g.call(key).description}"
            )
            if (
                not np.all(policy == np.round(policy))
                or policy.min() < 0
                or policy.max() >= P.shape[1]
            ):
                return (
                    f"the policy on {g.call(key).description} should hold integer actions in 0..{P.shape[1] - 1}, "
                    f"got {np.round(policy, 3)}"
                )
        return None

    g.custom("the policy is one integer action per state", integer_policy, points=1)

    def integer_dtype() -> str | None:
        for key in KEYS:
            dtype = np.asarray(g.output(key, 1)).dtype
            if not np.issubdtype(dtype, np.integer):
                return (
                    f"the policy on {g.call(key).description} has dtype {dtype}; "
                    "expected an integer array"
                )
        return None

    g.custom("the policy is an integer array", integer_dtype, points=0.5)

    def optimal_policy(keys):
        def run() -> str | None:
            for key in keys:
                P, R, gamma = g.args(key)
                policy = np.asarray(g.array(key, 1, shape=(P.shape[0],)), dtype=int)
                if policy.min() < 0 or policy.max() >= P.shape[1]:
                    return f"the policy on {g.call(key).description} contains an action outside 0..{P.shape[1] - 1}"
                mine = _exact_value(P, R, gamma, policy)
                star = _v_star(g, key)
                gap = star - mine
                if gap.max() > 1e-6 * (1 + np.abs(star).max()):
                    s = int(np.argmax(gap))
                    best = np.asarray(g.expected(key, 1))[s]
                    return (
                        f"on {g.call(key).description} your policy is not optimal: following it from state {s} "
                        f"(action {policy[s]}) is worth {mine[s]:.5f}, but the optimal value is {star[s]:.5f} "
                        f"(for example with action {best})"
                    )
            return None

        return run

    g.custom(
        "the greedy policy is optimal on random MDPs",
        optimal_policy(("random", "far_sighted", "myopic")),
        points=2,
    )
    g.custom(
        "the greedy policy is optimal in the grid world (ties allowed)",
        optimal_policy(("grid", "single")),
        points=2,
    )


# --- known mistakes ------------------------------------------------------------------------
def _floats(P, R):
    return np.asarray(P, dtype=float), np.asarray(R, dtype=float)


def _ignores_gamma(P, R, gamma, tol=1e-8):
    P, R = _floats(P, R)
    V = np.zeros(P.shape[0])
    with np.errstate(all="ignore"):
        for _ in range(2000):
            Q = R + P @ V
            V_new = Q.max(axis=1)
            if np.abs(V_new - V).max() < tol:
                break
            V = V_new
    return V_new, Q.argmax(axis=1)


def _converged(P, R, gamma, tol, backup):
    V = np.zeros(P.shape[0])
    while True:
        V_new = backup(V).max(axis=1)
        if np.abs(V_new - V).max() < tol:
            return V_new
        V = V_new


def _reward_greedy(P, R, gamma, tol=1e-8):
    P, R = _floats(P, R)
    return _converged(P, R, gamma, tol, lambda V: R + gamma * P @ V), R.argmax(axis=1)


def _discounts_reward(P, R, gamma, tol=1e-8):
    P, R = _floats(P, R)
    V = _converged(P, R, gamma, tol, lambda V: gamma * (R + P @ V))
    return V, (gamma * (R + P @ V)).argmax(axis=1)


def _fixed_sweeps(P, R, gamma, tol=1e-8):
    P, R = _floats(P, R)
    V = np.zeros(P.shape[0])
    for _ in range(100):
        V = (R + gamma * P @ V).max(axis=1)
    return V, (R + gamma * P @ V).argmax(axis=1)


def _float_policy(g: Grader) -> bool:
    return any(not np.issubdtype(np.asarray(g.output(key, 1)).dtype, np.integer) for key in KEYS)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "ignores-gamma",
            diagnosis=(
                "Your backup is R + P V, without the discount: the iteration then sums rewards "
                "forever, and the values run away instead of converging."
            ),
            fix="Multiply the next-state values by gamma: Q = R + gamma * P @ V.",
            wrong=_ignores_gamma,
        ),
        Mistake(
            "reward-greedy",
            diagnosis=(
                "Your values are right, but the policy maximises the immediate reward R[s, a]: "
                "the greedy policy maximises the one-step lookahead R + gamma P V."
            ),
            fix="policy = (R + gamma * P @ V).argmax(axis=1).",
            wrong=_reward_greedy,
        ),
        Mistake(
            "discounts-reward",
            diagnosis=(
                "You discount the immediate reward too, Q = gamma (R + P V): only the value of the "
                "next state is discounted."
            ),
            fix="Q = R + gamma * P @ V.",
            wrong=_discounts_reward,
        ),
        Mistake(
            "fixed-sweeps",
            diagnosis=(
                "You run a fixed number of sweeps instead of iterating until the largest change "
                "is below tol: the error shrinks only by gamma per sweep, so 100 sweeps leave it "
                "far from V* (0.99^100 is about 0.37)."
            ),
            fix="Loop until np.abs(V_new - V).max() < tol.",
            wrong=_fixed_sweeps,
        ),
        Mistake(
            "float-policy",
            diagnosis=(
                "Your actions are right but come back as floats (2.0): the policy should be an "
                "integer array, for example when it is filled into np.zeros(S)."
            ),
            fix="Return Q.argmax(axis=1), which is already an integer array.",
            predicate=_float_policy,
        ),
    ]


def figures(g: Grader) -> None:
    ref_V = g.expected("random", 0)
    yours_V = g.try_array("random", 0)
    g.figure(
        plots.compare_bars(
            [f"s = {s}" for s in range(ref_V.shape[0])],
            yours_V,
            ref_V,
            title="optimal values V* on the random MDP",
            y_label="value",
        )
    )

    P, R, gamma = g.args("far_sighted")
    V = np.zeros(P.shape[0])
    residuals = []
    for _ in range(3000):
        TV = (R + gamma * P @ V).max(axis=1)
        residuals.append(np.abs(TV - V).max())
        if residuals[-1] < 1e-10:
            break
        V = TV
    fig = plots.compare_lines(
        np.arange(len(residuals)),
        None,
        np.maximum(residuals, 1e-16),
        title="Bellman residual ‖TV_k − V_k‖∞ per sweep (γ = 0.99)",
        x_label="sweep k",
        y_label="residual (log scale)",
        log_y=True,
    )
    mine = g.try_array("far_sighted", 0)
    if mine is not None and np.all(np.isfinite(mine)):
        final = np.abs((R + gamma * P @ mine).max(axis=1) - mine).max()
        fig.add_hline(
            y=max(final, 1e-16),
            line={"color": plots.LEARNER, "dash": "dash"},
            annotation_text="residual of your V",
        )
    g.figure(fig)

    Pg = g.arg("grid", 0)
    rows, cols = 5, 6
    ref_grid = g.expected("grid", 0).reshape(rows, cols)
    ref_pol = np.asarray(g.expected("grid", 1), dtype=int).reshape(rows, cols)
    fig = subplots(2, titles=("yours", "reference"))
    yours = g.try_array("grid", 0)
    your_pol = g.try_array("grid", 1, shape=(Pg.shape[0],))
    panels = [(yours, your_pol, 1), (g.expected("grid", 0), ref_pol, 2)]
    for values, policy, col in panels:
        if values is None:
            continue
        text = None
        if policy is not None and np.all(np.isfinite(policy)):
            pol = np.clip(np.asarray(policy).astype(int).reshape(rows, cols), 0, 3)
            text = [[ARROWS[a] for a in row] for row in pol]
        fig.add_heatmap(
            z=np.asarray(values).reshape(rows, cols),
            text=text,
            texttemplate="%{text}" if text else None,
            colorscale="Viridis",
            showscale=col == 2,
            zmin=float(ref_grid.min()),
            zmax=0.0,
            row=1,
            col=col,
        )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(
        title={"text": "grid world: optimal values V* with the greedy policy (arrows)"}, height=380
    )
    g.figure(fig)
