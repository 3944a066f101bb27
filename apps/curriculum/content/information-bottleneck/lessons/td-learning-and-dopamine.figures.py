import numpy as np
import plotly.graph_objects as go

N_STEPS, CUE, REWARD_AT = 20, 3, 14
GAMMA, ALPHA, TRIALS = 0.95, 0.3, 120


def _run(rewards: np.ndarray) -> np.ndarray:
    values = np.zeros(N_STEPS)
    traces = []
    for r in rewards:
        previous = np.concatenate([[0.0], values[:-1]])
        delta = r + GAMMA * values - previous
        for t in range(1, N_STEPS):
            if t - 1 >= CUE:
                values[t - 1] += ALPHA * delta[t]
        traces.append(delta)
    return np.array(traces)


def _rewards() -> np.ndarray:
    rewards = np.zeros((TRIALS + 1, N_STEPS))
    rewards[:TRIALS, REWARD_AT] = 1.0  # the last trial omits the reward
    return rewards


def _error_traces() -> go.Figure:
    traces = _run(_rewards())
    t = np.arange(N_STEPS)
    fig = go.Figure()
    palette = ["#1e3a8a", "#2563eb", "#60a5fa", "#f97316"]
    for colour, trial in zip(palette, (1, 5, 15, TRIALS), strict=True):
        fig.add_scatter(
            x=t, y=traces[trial - 1], name=f"trial {trial}", line={"color": colour, "width": 2}
        )
    fig.add_scatter(
        x=t,
        y=traces[TRIALS],
        name="after learning, reward omitted",
        line={"color": "#b91c1c", "dash": "dash", "width": 2},
    )
    fig.add_vline(x=CUE, line={"color": "#6b7280", "dash": "dot"})
    fig.add_vline(x=REWARD_AT, line={"color": "#6b7280", "dash": "dot"})
    fig.update_layout(
        title={"text": f"TD error within a trial: cue at step {CUE}, reward at step {REWARD_AT}"},
        xaxis_title="time step t in the trial",
        yaxis_title="TD error δ_t",
        height=420,
    )
    return fig


def _heatmap() -> go.Figure:
    traces = _run(_rewards())[:TRIALS]
    fig = go.Figure(
        go.Heatmap(z=traces[:60], colorscale="RdBu_r", zmid=0.0, colorbar={"title": {"text": "δ"}})
    )
    fig.update_layout(
        title={"text": "the error moves from the reward back to the cue over trials"},
        xaxis_title="time step t in the trial",
        yaxis_title="trial",
        height=420,
    )
    return fig


def figures() -> dict[str, go.Figure]:
    return {"error-traces": _error_traces(), "error-heatmap": _heatmap()}
