import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param

# ----- explorable: the discount factor, the values it gives and how fast they converge ------
GAMMAS = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99]
SWEEPS = 300


def _grid_world() -> tuple[np.ndarray, np.ndarray, int, int, int]:
    """The 4 x 5 grid of the static figure: reward -1 per move until the absorbing goal."""
    rows, cols, goal = 4, 5, 4
    moves = [(-1, 0), (0, 1), (1, 0), (0, -1)]
    S = rows * cols
    P = np.zeros((S, 4, S))
    R = np.full((S, 4), -1.0)
    for s in range(S):
        r, c = divmod(s, cols)
        for a, (dr, dc) in enumerate(moves):
            if s == goal:
                P[s, a, s], R[s, a] = 1.0, 0.0
            else:
                P[s, a, min(max(r + dr, 0), rows - 1) * cols + min(max(c + dc, 0), cols - 1)] = 1.0
    return P, R, rows, cols, goal


def _random_mdp() -> tuple[np.ndarray, np.ndarray]:
    """Eight states, three actions, every transition possible: no state absorbs the error."""
    rng = np.random.default_rng(3)
    P = rng.dirichlet(np.ones(8), size=(8, 3))
    return P, rng.uniform(0.0, 1.0, size=(8, 3))


def _residuals(P: np.ndarray, R: np.ndarray, gamma: float) -> np.ndarray:
    v, out = np.zeros(P.shape[0]), []
    for _ in range(SWEEPS):
        new = (R + gamma * P @ v).max(axis=1)
        out.append(np.abs(new - v).max())
        v = new
    residuals = np.array(out)
    return np.where(residuals > 1e-13, residuals, np.nan)  # below rounding: leave a gap


def _discount_frame(gamma: float, grid: tuple, mdp: tuple) -> dict:
    P, R, rows, cols, goal = grid
    V = np.zeros(P.shape[0])
    for _ in range(2000):
        V = (R + gamma * P @ V).max(axis=1)
    policy = (R + gamma * P @ V).argmax(axis=1)
    arrows = np.array(list("↑→↓←"))[policy].reshape(rows, cols)
    arrows[divmod(goal, cols)] = "★"
    residuals = _residuals(*mdp, gamma)
    k = np.arange(SWEEPS)
    needed = int(np.ceil(np.log(1e-8) / np.log(gamma)))
    return {
        "data": [
            {
                "type": "heatmap",
                "z": V.reshape(rows, cols),
                "text": arrows,
                "texttemplate": "%{text}",
                "zmin": -7,
                "zmax": 0,
                "colorscale": "Viridis",
                "colorbar": {"title": {"text": "V*"}, "x": 0.44, "len": 0.9},
                "xaxis": "x",
                "yaxis": "y",
            },
            {
                "type": "scatter",
                "x": k,
                "y": residuals,
                "mode": "lines",
                "name": "Bellman residual ‖Tv_k − v_k‖∞",
                "line": {"color": "#2563eb", "width": 3},
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "x": k,
                "y": gamma**k,
                "mode": "lines",
                "name": "γ^k",
                "line": {"color": "#6b7280", "dash": "dot"},
                "xaxis": "x2",
                "yaxis": "y2",
            },
        ],
        "layout": {
            "title": {
                "text": (
                    f"γ = {gamma:g}: horizon 1/(1−γ) = {1 / (1 - gamma):.3g} steps, "
                    f"corner cell V* = {V[(rows - 1) * cols]:.2f}, γ^k < 1e−8 after {needed} sweeps"
                )
            },
            "showlegend": False,
            "xaxis": {"domain": [0, 0.4], "showticklabels": False},
            "yaxis": {"autorange": "reversed", "showticklabels": False},
            "xaxis2": {"domain": [0.55, 1], "range": [0, SWEEPS], "title": {"text": "sweep k"}},
            "yaxis2": {
                "anchor": "x2",
                "type": "log",
                "range": [-13, 1],
                "title": {"text": "residual (log scale)"},
            },
            "height": 400,
        },
    }


def discount_explorable() -> Explorable:
    grid, mdp = _grid_world(), _random_mdp()
    return Explorable(
        params=[Param("gamma", "discount factor $\\gamma$", GAMMAS, initial=0.9)],
        build=lambda gamma: _discount_frame(gamma, grid, mdp),
    )


def figures() -> dict[str, go.Figure | Explorable]:
    rows, cols, goal = 4, 5, 4
    moves = [(-1, 0), (0, 1), (1, 0), (0, -1)]
    S = rows * cols
    P = np.zeros((S, 4, S))
    R = np.full((S, 4), -1.0)
    for s in range(S):
        r, c = divmod(s, cols)
        for a, (dr, dc) in enumerate(moves):
            if s == goal:
                P[s, a, s], R[s, a] = 1.0, 0.0
            else:
                P[s, a, min(max(r + dr, 0), rows - 1) * cols + min(max(c + dc, 0), cols - 1)] = 1.0
    V = np.zeros(S)
    for _ in range(200):
        V = (R + 0.9 * P @ V).max(axis=1)
    policy = (R + 0.9 * P @ V).argmax(axis=1)
    arrows = np.array(list("↑→↓←"))[policy].reshape(rows, cols)
    arrows[divmod(goal, cols)] = "★"
    fig = go.Figure(
        go.Heatmap(
            z=V.reshape(rows, cols).round(3),
            text=arrows,
            texttemplate="%{text}",
            colorscale="Viridis",
            colorbar={"title": "V*"},
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(
        title={"text": "a 4×5 grid world, reward −1 per step, γ = 0.9: V* and a greedy policy"},
        height=360,
    )
    return {"grid": fig, "discount": discount_explorable()}
