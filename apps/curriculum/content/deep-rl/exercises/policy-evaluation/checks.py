import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots


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
            V = g.array(key)
            P_pi = np.einsum("sa,sat->st", policy, P)
            R_pi = (policy * R).sum(axis=1)
            residual = np.abs(R_pi + gamma * P_pi @ V - V).max()
            if not residual < 1e-7 * (1 + np.abs(V).max()):
                message = (
                    f"on {g.call(key).description} your V does not satisfy V = R_pi + gamma P_pi V: "
                    f"the two sides differ by up to {residual:.3g}"
                )
                transposed = np.abs(R_pi + gamma * P_pi.T @ V - V).max()
                if transposed < 1e-6 * (1 + np.abs(V).max()):
                    message += (
                        "; it solves the equation with P_pi transposed instead. Rows of P_pi are the current "
                        "state, so do not transpose it"
                    )
                uniform = np.abs(R.mean(axis=1) + gamma * P.mean(axis=1) @ V - V).max()
                if uniform < 1e-6 * (1 + np.abs(V).max()):
                    message += (
                        "; it is the value of the uniformly random policy: weight each action by "
                        "policy[s, a] when averaging"
                    )
                return message
            return None

        return run

    g.custom("satisfies the Bellman equation on a random MDP", bellman("random"), points=3)
    g.check_close("a deterministic policy", "deterministic", rtol=1e-8, atol=1e-10, points=1)
    g.check_close(
        "gamma = 0 gives the expected immediate reward",
        "myopic",
        rtol=1e-8,
        atol=1e-10,
        points=1,
        hint="with gamma = 0 the value is just sum_a policy[s, a] R[s, a]",
    )
    g.check_close(
        "gamma = 0.99",
        "far_sighted",
        rtol=1e-7,
        atol=1e-9,
        points=2,
        hint="with gamma = 0.99 errors shrink only by 0.99 per sweep; solve (I - gamma P_pi) V = R_pi exactly instead",
    )
    g.check_close(
        "a single state",
        "single",
        rtol=1e-8,
        atol=1e-10,
        points=1,
        hint="here V = (0.25 * 1 + 0.75 * 3) / (1 - 0.5) = 5",
    )


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
    fig = go.Figure()
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
