import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param

N_STEPS, CUE, REWARD_AT = 20, 3, 14
GAMMA, ALPHA, TRIALS = 0.95, 0.3, 120


def _run(rewards: np.ndarray, gamma: float = GAMMA, alpha: float = ALPHA) -> np.ndarray:
    """The TD errors of every trial (one row per trial) of the tapped delay line."""
    values = np.zeros(N_STEPS)
    traces = []
    for r in rewards:
        previous = np.concatenate([[0.0], values[:-1]])
        delta = r + gamma * values - previous
        for t in range(1, N_STEPS):
            if t - 1 >= CUE:
                values[t - 1] += alpha * delta[t]
        traces.append(delta)
    return np.array(traces)


def _rewards() -> np.ndarray:
    rewards = np.zeros((TRIALS + 1, N_STEPS))
    rewards[:TRIALS, REWARD_AT] = 1.0  # the last trial omits the reward
    return rewards


# ----- explorable: the error traces for a learning rate and a discount -----------------------
ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0]
GAMMAS = [0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0]
SHOWN_TRIALS = (1, 5, 15, TRIALS)


def _error_traces_frame(alpha: float, gamma: float) -> dict:
    traces = _run(_rewards(), gamma, alpha)
    t = np.arange(N_STEPS)
    palette = ["#1e3a8a", "#2563eb", "#60a5fa", "#f97316"]
    data: list[dict] = [
        {
            "type": "scatter",
            "x": [CUE, CUE, None, REWARD_AT, REWARD_AT],
            "y": [-1.1, 1.1, None, -1.1, 1.1],
            "mode": "lines",
            "line": {"color": "#6b7280", "dash": "dot", "width": 1},
            "name": "cue and reward",
            "hoverinfo": "skip",
        }
    ]
    for colour, trial in zip(palette, SHOWN_TRIALS, strict=True):
        data.append(
            {
                "type": "scatter",
                "x": t,
                "y": traces[trial - 1],
                "mode": "lines",
                "name": f"trial {trial}",
                "line": {"color": colour, "width": 2},
            }
        )
    data.append(
        {
            "type": "scatter",
            "x": t,
            "y": traces[TRIALS],
            "mode": "lines",
            "name": f"trial {TRIALS + 1}, reward omitted",
            "line": {"color": "#b91c1c", "dash": "dash", "width": 2},
        }
    )
    learned = traces[TRIALS - 1]
    return {
        "data": data,
        "layout": {
            "title": {
                "text": (
                    f"α = {alpha:g}, γ = {gamma:g}: cue burst {learned[CUE]:.2f} after {TRIALS}"
                    f" trials (γ^{REWARD_AT - CUE} = {gamma ** (REWARD_AT - CUE):.2f}),"
                    f" omitted reward {traces[TRIALS][REWARD_AT]:.2f}"
                )
            },
            "xaxis": {"title": {"text": "time step t in the trial"}, "range": [0, N_STEPS - 1]},
            "yaxis": {"title": {"text": "TD error δ_t"}, "range": [-1.1, 1.1]},
            "legend": {"orientation": "v", "x": 0.02, "y": 0.02, "yanchor": "bottom"},
            "height": 440,
        },
    }


def error_traces_explorable() -> Explorable:
    return Explorable(
        params=[
            Param("alpha", "learning rate $\\alpha$", ALPHAS, initial=ALPHA),
            Param("gamma", "discount $\\gamma$", GAMMAS, initial=GAMMA),
        ],
        build=_error_traces_frame,
    )


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


def figures() -> dict[str, go.Figure | Explorable]:
    return {"error-traces": error_traces_explorable(), "error-heatmap": _heatmap()}
