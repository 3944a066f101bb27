import numpy as np
import plotly.graph_objects as go


def _acf(x: np.ndarray, max_lag: int) -> np.ndarray:
    d = x - x.mean()
    denom = float(d @ d)
    return np.array([float(d[: len(d) - k] @ d[k:]) / denom for k in range(max_lag + 1)])


def _autocorrelation() -> go.Figure:
    rng = np.random.default_rng(3)
    T, lags = 2000, np.arange(16)
    fig = go.Figure()
    for phi, colour in [(0.8, "#2563eb"), (-0.5, "#10b981")]:
        eps = rng.normal(size=T)
        x = np.empty(T)
        prev = 0.0
        for t in range(T):
            prev = phi * prev + eps[t]
            x[t] = prev
        fig.add_bar(x=lags, y=_acf(x, 15), name=f"sample, φ = {phi} (T = {T})", marker_color=colour)
        fig.add_scatter(
            x=lags,
            y=phi**lags,
            mode="lines+markers",
            name=f"theory φ^k, φ = {phi}",
            line={"color": "#f97316" if phi > 0 else "#6b7280", "width": 2},
        )
    fig.update_layout(
        barmode="group",
        title={"text": "AR(1) autocorrelation: sample estimate against ρ_k = φ^k"},
        xaxis_title="lag k",
        yaxis_title="autocorrelation",
        height=400,
    )
    return fig


def _kalman() -> go.Figure:
    rng = np.random.default_rng(11)
    T, a, c, var_w, var_v = 80, 1.0, 1.0, 0.05, 1.0
    x = np.cumsum(np.sqrt(var_w) * rng.normal(size=T))
    y = c * x + np.sqrt(var_v) * rng.normal(size=T)
    m, P = 0.0, 1.0
    means, sds = [], []
    for t in range(T):
        m_pred, P_pred = a * m, a * a * P + var_w
        K = c * P_pred / (c * c * P_pred + var_v)
        m = m_pred + K * (y[t] - c * m_pred)
        P = (1 - K * c) * P_pred
        means.append(m)
        sds.append(np.sqrt(P))
    means_a, sds_a = np.array(means), np.array(sds)
    t = np.arange(1, T + 1)
    fig = go.Figure()
    fig.add_scatter(
        x=np.concatenate([t, t[::-1]]),
        y=np.concatenate([means_a + 2 * sds_a, (means_a - 2 * sds_a)[::-1]]),
        fill="toself",
        fillcolor="rgba(249, 115, 22, 0.18)",
        line={"width": 0},
        name="filter mean ± 2 √P_t",
    )
    fig.add_scatter(
        x=t, y=y, mode="markers", name="observations y_t", marker={"color": "#6b7280", "size": 4}
    )
    fig.add_scatter(x=t, y=x, name="hidden state x_t", line={"color": "#2563eb", "width": 2})
    fig.add_scatter(x=t, y=means_a, name="filter mean m_t", line={"color": "#f97316", "width": 3})
    fig.update_layout(
        title={"text": "Kalman filter on a random walk: σ_w² = 0.05, σ_v² = 1"},
        xaxis_title="time t",
        yaxis_title="value",
        height=400,
    )
    return fig


def figures() -> dict[str, go.Figure]:
    return {"autocorrelation": _autocorrelation(), "kalman": _kalman()}
