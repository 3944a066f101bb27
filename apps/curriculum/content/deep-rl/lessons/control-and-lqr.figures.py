import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param

DT, N = 0.1, 80
A = np.array([[1.0, DT], [0.0, 1.0]])
B = np.array([[0.0], [DT]])
Q = np.diag([1.0, 0.1])
R = np.array([[0.1]])


def _riccati() -> tuple[np.ndarray, np.ndarray]:
    P = np.empty((N + 1, 2, 2))
    K = np.empty((N, 1, 2))
    P[N] = Q
    for t in range(N - 1, -1, -1):
        K[t] = np.linalg.solve(R + B.T @ P[t + 1] @ B, B.T @ P[t + 1] @ A)
        closed = A - B @ K[t]
        P[t] = Q + K[t].T @ R @ K[t] + closed.T @ P[t + 1] @ closed
    return K, P


def _rollout(gain, x0: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    xs, us, cost, x = [x0], [], 0.0, x0
    for t in range(N):
        u = -gain(t) @ x
        cost += float(x @ Q @ x + u @ R @ u)
        x = A @ x + B @ u
        xs.append(x)
        us.append(u)
    cost += float(x @ Q @ x)
    return np.array(xs), np.array(us)[:, 0], cost


# ----- explorable: the input cost R, the gains it gives and the closed loop -------------------
INPUT_COSTS = [round(float(r), 4) for r in 10.0 ** np.linspace(-3, 1, 13)]


def _riccati_for(input_cost: float) -> tuple[np.ndarray, np.ndarray]:
    cost = np.array([[input_cost]])
    P = Q.copy()
    K = np.empty((N, 1, 2))
    for t in range(N - 1, -1, -1):
        K[t] = np.linalg.solve(cost + B.T @ P @ B, B.T @ P @ A)
        closed = A - B @ K[t]
        P = Q + K[t].T @ cost @ K[t] + closed.T @ P @ closed
    return K, P


def _input_cost_frame(input_cost: float) -> dict:
    K, _ = _riccati_for(input_cost)
    x, xs, us = np.array([1.0, 0.0]), [], []
    for t in range(N):
        xs.append(x[0])
        u = float(-(K[t] @ x)[0])
        us.append(u)
        x = A @ x + B[:, 0] * u
    xs.append(x[0])
    modulus = np.abs(np.linalg.eigvals(A - B @ K[0])).max()
    t = np.arange(N)
    return {
        "data": [
            {
                "type": "scatter",
                "x": t,
                "y": K[:, 0, 0],
                "name": "K_t on position",
                "line": {"color": "#2563eb"},
            },
            {
                "type": "scatter",
                "x": t,
                "y": K[:, 0, 1],
                "name": "K_t on velocity",
                "line": {"color": "#f97316"},
            },
            {
                "type": "scatter",
                "x": np.arange(N + 1),
                "y": xs,
                "name": "position p_t",
                "line": {"color": "#16a34a", "width": 3},
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "x": t,
                "y": us,
                "name": "input u_t",
                "line": {"color": "#6b7280", "width": 1},
                "xaxis": "x2",
                "yaxis": "y2",
            },
        ],
        "layout": {
            "title": {
                "text": (
                    f"R = {input_cost:.3g}: K₀ = ({K[0, 0, 0]:.2f}, {K[0, 0, 1]:.2f}), "
                    f"closed-loop |eigenvalue| {modulus:.3f}, first input {us[0]:.2f}"
                )
            },
            "xaxis": {"domain": [0, 0.45], "range": [0, N], "title": {"text": "time step t"}},
            "yaxis": {"range": [0, 18], "title": {"text": "gain entry"}},
            "xaxis2": {"domain": [0.55, 1], "range": [0, N], "title": {"text": "time step t"}},
            "yaxis2": {"anchor": "x2", "range": [-18, 2], "title": {"text": "position / input"}},
            "height": 400,
        },
    }


def input_cost_explorable() -> Explorable:
    return Explorable(
        params=[Param("input_cost", "input cost $R$ (log scale)", INPUT_COSTS, initial=0.1)],
        build=_input_cost_frame,
    )


def figures() -> dict[str, go.Figure | Explorable]:
    K, P = _riccati()
    t = np.arange(N)
    gains = go.Figure()
    gains.add_scatter(x=t, y=K[:, 0, 0], name="K_t on position", line={"color": "#2563eb"})
    gains.add_scatter(x=t, y=K[:, 0, 1], name="K_t on velocity", line={"color": "#f97316"})
    gains.update_layout(
        title={"text": "LQR gains of the cart (Δ = 0.1, Q = diag(1, 0.1), R = 0.1, N = 80)"},
        xaxis_title="time step t",
        yaxis_title="gain entry",
        height=380,
    )
    x0 = np.array([1.0, 0.0])
    lqr_x, lqr_u, lqr_cost = _rollout(lambda step: K[step], x0)
    hand = np.array([[1.0, 1.0]])
    hand_x, _, hand_cost = _rollout(lambda step: hand, x0)
    check = float(x0 @ P[0] @ x0)
    traj = go.Figure()
    steps = np.arange(N + 1)
    traj.add_scatter(
        x=steps,
        y=lqr_x[:, 0],
        name=f"LQR position (cost {lqr_cost:.3f} = x₀ᵀP₀x₀ = {check:.3f})",
        line={"color": "#f97316", "width": 3},
    )
    traj.add_scatter(
        x=steps,
        y=hand_x[:, 0],
        name=f"hand-tuned K = (1, 1) (cost {hand_cost:.3f})",
        line={"color": "#6b7280", "dash": "dash"},
    )
    traj.add_scatter(x=t, y=lqr_u, name="LQR input u_t", line={"color": "#2563eb", "width": 1})
    traj.update_layout(
        title={"text": "returning the cart to the origin from p = 1"},
        xaxis_title="time step t",
        yaxis_title="position / input",
        height=400,
    )
    return {"gains": gains, "trajectories": traj, "input-cost": input_cost_explorable()}
