import numpy as np
import plotly.graph_objects as go


def figures() -> dict[str, go.Figure]:
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
    return {"grid": fig}
