import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, conditioned, plots


def _mdp(rng, S, A, concentration=0.5):
    P = rng.dirichlet(np.full(S, concentration), size=(S, A))
    R = rng.normal(size=(S, A))
    return P, R


def cases(rng: np.random.Generator) -> list[Call]:
    S, A = int(rng.integers(4, 9)), int(rng.integers(2, 5))
    P, R = _mdp(rng, S, A)
    policy = rng.dirichlet(np.ones(A), size=S)
    P2, R2 = _mdp(rng, 6, 3)
    det = np.eye(3)[rng.integers(0, 3, size=6)]
    P3, R3 = _mdp(rng, 5, 2, concentration=0.3)
    pol3 = rng.dirichlet(np.ones(2), size=5)
    gamma = float(rng.uniform(0.8, 0.95))
    return [
        Call(
            "random",
            "evaluate_policy",
            (P, R, policy, gamma),
            label=f"a random MDP with S={S}, A={A}, a stochastic policy and gamma={gamma:.3f}",
        ),
        Call(
            "deterministic",
            "evaluate_policy",
            (P2, R2, det, 0.9),
            label="a deterministic (one-hot) policy, S=6, A=3, gamma=0.9",
        ),
        Call("myopic", "evaluate_policy", (P, R, policy, 0.0), label="gamma = 0"),
        Call("far_sighted", "evaluate_policy", (P3, R3 + 1.0, pol3, 0.99), label="gamma = 0.99"),
        Call(
            "single",
            "evaluate_policy",
            (np.ones((1, 2, 1)), np.array([[1.0, 3.0]]), np.array([[0.25, 0.75]]), 0.5),
            label="one state, two actions with rewards 1 and 3 taken with probabilities 0.25 and 0.75, gamma=0.5",
        ),
    ]


def grade(g: Grader) -> None:
    def bellman(key):
        def run() -> str | None:
            P, R, policy, gamma = g.args(key)
            V = g.array(key, shape=(P.shape[0],))
            P_pi = np.einsum("sa,sat->st", policy, P)
            R_pi = (policy * R).sum(axis=1)
            residual = np.abs(R_pi + gamma * P_pi @ V - V).max()
            # float32 leaves each side off by about 6e-8 of the values' size.
            if not residual < 1e-5 * (1 + np.abs(V).max()):
                return (
                    f"on {g.call(key).description} your V does not satisfy V = R_pi + gamma P_pi V: "
                    f"the two sides differ by up to {residual:.6g}"
                )
            return None

        return run

    g.custom("satisfies the Bellman equation on a random MDP", bellman("random"), points=3)
    g.check_close("a deterministic policy", "deterministic", points=1)
    g.check_close("gamma = 0 gives the expected immediate reward", "myopic", points=1)
    # I - 0.99 P_pi has condition number about 1 / (1 - gamma) = 100.
    g.check_close("gamma = 0.99", "far_sighted", rtol=conditioned(100), points=2)
    g.check_close("a single state", "single", points=1)


# --- known mistakes ------------------------------------------------------------------------
def _averaged(P, R, policy):
    P, R, policy = (np.asarray(a, dtype=float) for a in (P, R, policy))
    return np.einsum("sa,sat->st", policy, P), (policy * R).sum(axis=1)


def _few_sweeps(P, R, policy, gamma):
    P_pi, R_pi = _averaged(P, R, policy)
    V = np.zeros(P_pi.shape[0])
    for _ in range(300):
        V = R_pi + gamma * P_pi @ V
    return V


def _uniform_policy(P, R, policy, gamma):
    P, R = np.asarray(P, dtype=float), np.asarray(R, dtype=float)
    return np.linalg.solve(np.eye(P.shape[0]) - gamma * P.mean(axis=1), R.mean(axis=1))


def _states_summed(P, R, policy, gamma):
    P, R, policy = (np.asarray(a, dtype=float) for a in (P, R, policy))
    S = R.shape[0]
    mixed = (policy[:, :, None] * P).sum(axis=0)
    P_pi = mixed[:S] if P.shape[1] >= S else np.tile(mixed, (S // P.shape[1] + 1, 1))[:S]
    return np.linalg.solve(np.eye(S) - gamma * P_pi, (policy * R).sum(axis=1))


def _plus_gamma(P, R, policy, gamma):
    P_pi, R_pi = _averaged(P, R, policy)
    return np.linalg.solve(np.eye(len(R_pi)) + gamma * P_pi, R_pi)


def _reward_over_states(P, R, policy, gamma):
    P_pi, _ = _averaged(P, R, policy)
    R_pi = (np.asarray(policy, dtype=float) * np.asarray(R, dtype=float)).sum(axis=0)
    return np.linalg.solve(np.eye(P_pi.shape[0]) - gamma * P_pi, R_pi)


def _transposed(P, R, policy, gamma):
    P_pi, R_pi = _averaged(P, R, policy)
    return np.linalg.solve(np.eye(len(R_pi)) - gamma * P_pi.T, R_pi)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "too-few-sweeps",
            diagnosis=(
                "You iterate V <- R_pi + gamma P_pi V a fixed, too small number of times: the "
                "error shrinks only by the factor gamma per sweep, so at gamma = 0.99 hundreds of "
                "sweeps leave it far from V^pi, while the other cases look right."
            ),
            fix="Solve the linear system (I - gamma P_pi) V = R_pi with np.linalg.solve.",
            wrong=_few_sweeps,
        ),
        Mistake(
            "ignores-policy",
            diagnosis=(
                "You average the rewards and transitions over the actions with equal weights: "
                "that is the value of the uniformly random policy, not of the given one."
            ),
            fix="Weight action a in state s by policy[s, a]: (policy * R).sum(axis=1) and "
            'np.einsum("sa,sat->st", policy, P).',
            wrong=_uniform_policy,
        ),
        Mistake(
            "averaged-over-states",
            diagnosis=(
                "Your P_pi sums policy[s, a] P[s, a, s'] over the states s (axis 0) instead of the "
                "actions a, so its rows mix different states' transitions."
            ),
            fix="Sum over the actions: P_pi[s, s'] = sum_a policy[s, a] P[s, a, s'], axis 1.",
            wrong=_states_summed,
        ),
        Mistake(
            "plus-gamma",
            diagnosis=(
                "You solve (I + gamma P_pi) V = R_pi: moving gamma P_pi V to the left of "
                "V = R_pi + gamma P_pi V gives I - gamma P_pi."
            ),
            fix="np.linalg.solve(np.eye(S) - gamma * P_pi, R_pi).",
            wrong=_plus_gamma,
        ),
        Mistake(
            "reward-over-states",
            diagnosis=(
                "Your R_pi sums policy * R over axis 0, the states, giving one number per action; "
                "it should be one number per state."
            ),
            fix="R_pi = (policy * R).sum(axis=1), of shape (S,).",
            wrong=_reward_over_states,
        ),
        Mistake(
            "transposed-transitions",
            diagnosis=(
                "You use P_pi transposed: V(s) averages the values of the states s leads to, so "
                "row s of P_pi (the current state) multiplies V."
            ),
            fix="Solve (I - gamma P_pi) V = R_pi with P_pi as built, rows = current state.",
            wrong=_transposed,
        ),
    ]


def figures(g: Grader) -> None:
    ref = g.expected("far_sighted")
    yours = g.try_array("far_sighted")
    g.figure(
        plots.compare_bars(
            [f"s = {s}" for s in range(ref.shape[0])],
            yours,
            ref,
            title="V^π on the γ = 0.99 MDP",
            y_label="value",
        )
    )
    P, R, policy, gamma = g.args("far_sighted")
    P_pi = np.einsum("sa,sat->st", policy, P)
    R_pi = (policy * R).sum(axis=1)
    V = np.zeros_like(R_pi)
    sweeps = np.arange(0, 1501, 25)
    err_ref, err_yours = [], []
    for k in range(sweeps[-1] + 1):
        if k in sweeps:
            err_ref.append(np.abs(V - ref).max())
            if yours is not None:
                err_yours.append(np.abs(V - yours).max())
        V = R_pi + gamma * P_pi @ V
    fig = PlainFigure()
    fig.add_scatter(
        x=sweeps,
        y=np.maximum(err_ref, 1e-16),
        name="distance to reference V^π",
        line={"color": plots.REFERENCE, "width": 3},
    )
    if yours is not None:
        fig.add_scatter(
            x=sweeps,
            y=np.maximum(err_yours, 1e-16),
            name="distance to your V^π",
            line={"color": plots.LEARNER, "dash": "dash"},
        )
    fig.update_yaxes(type="log")
    fig.update_layout(
        title={
            "text": "iterative evaluation V_(k+1) = R_π + γ P_π V_k, γ = 0.99: error shrinks like γ^k"
        },
        xaxis_title="sweep k",
        yaxis_title="max_s |V_k − V^π| (log scale)",
        height=380,
    )
    g.figure(fig)
