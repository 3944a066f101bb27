import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param


def _acf(x: np.ndarray, max_lag: int) -> np.ndarray:
    d = x - x.mean()
    denom = float(d @ d)
    return np.array([float(d[: len(d) - k] @ d[k:]) / denom for k in range(max_lag + 1)])


# ----- explorable: the AR(1) coefficient phi -------------------------------------------------
# One noise sequence for every phi (sigma = 1), so moving the slider changes phi and nothing else.
AR_T, AR_LAGS, AR_SHOWN = 2000, 20, 200
AR_PHIS = [-0.95, -0.9, -0.8, -0.6, -0.4, -0.2, 0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 0.99]
AR_NOISE = np.random.default_rng(3).normal(size=AR_T + 1)


def _ar1(phi: float) -> np.ndarray:
    """x_1..x_T of x_t = phi x_{t-1} + eps_t, started in the stationary law N(0, 1/(1-phi²))."""
    x = np.empty(AR_T)
    prev = AR_NOISE[0] / np.sqrt(1 - phi**2)
    for t in range(AR_T):
        prev = phi * prev + AR_NOISE[t + 1]
        x[t] = prev
    return x


def _autocorrelation_frame(phi: float) -> dict:
    x = _ar1(phi)
    lags = np.arange(AR_LAGS + 1)
    c0 = 1 / (1 - phi**2)
    band = 2 * np.sqrt(c0)
    shown = np.arange(1, AR_SHOWN + 1)
    return {
        "data": [
            {
                "type": "bar",
                "x": lags,
                "y": _acf(x, AR_LAGS),
                "name": f"sample ρ̂_k (T = {AR_T})",
                "marker": {"color": "#2563eb"},
            },
            {
                "type": "scatter",
                "x": lags,
                "y": phi**lags,
                "mode": "lines+markers",
                "name": "theory ρ_k = φ^k",
                "line": {"color": "#f97316", "width": 2},
            },
            {
                "type": "scatter",
                "x": shown,
                "y": x[:AR_SHOWN],
                "mode": "lines",
                "name": "x_t (first 200 steps)",
                "line": {"color": "#6b7280", "width": 1},
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "x": [1, AR_SHOWN, None, 1, AR_SHOWN],
                "y": [band, band, None, -band, -band],
                "mode": "lines",
                "name": "± 2 √C₀",
                "line": {"color": "#f97316", "dash": "dash"},
                "xaxis": "x2",
                "yaxis": "y2",
            },
        ],
        "layout": {
            "title": {
                "text": f"φ = {phi:g}: C₀ = 1/(1 − φ²) = {c0:.3g}, sample variance {x.var():.3g}"
            },
            "xaxis": {"title": {"text": "lag k"}, "range": [-0.5, AR_LAGS + 0.5]},
            "yaxis": {
                "title": {"text": "autocorrelation"},
                "range": [-1.05, 1.05],
                "domain": [0.5, 1],
            },
            "xaxis2": {"title": {"text": "time t"}, "range": [0, AR_SHOWN], "anchor": "y2"},
            "yaxis2": {
                "title": {"text": "x_t"},
                "range": [-25, 25],
                "domain": [0, 0.36],
                "anchor": "x2",
            },
            "legend": {"orientation": "h", "y": -0.14},
            "height": 640,
        },
    }


def autocorrelation_explorable() -> Explorable:
    return Explorable(
        params=[Param("phi", "AR coefficient $\\phi$", AR_PHIS, initial=0.8)],
        build=_autocorrelation_frame,
    )


# ----- explorable: the two noise variances of the Kalman filter ------------------------------
# A random walk (a = c = 1) driven by the same standard normal draws at every grid point: the
# state is sqrt(sigma_w²) times one fixed walk, the observations add sqrt(sigma_v²) times fixed noise.
KF_T = 80
KF_PROCESS = [0.01, 0.03, 0.1, 0.3, 1.0]
KF_OBSERVATION = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
_kf_rng = np.random.default_rng(11)
KF_WALK = np.cumsum(_kf_rng.normal(size=KF_T))
KF_NOISE = _kf_rng.normal(size=KF_T)


def _kalman_filter(
    y: np.ndarray, var_w: float, var_v: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Means m_t, variances P_t and gains K_t of the scalar filter with a = c = 1, m_0 = 0, P_0 = 1."""
    m, P = 0.0, 1.0
    means, variances, gains = [], [], []
    for obs in y:
        P_pred = P + var_w
        K = P_pred / (P_pred + var_v)
        m = m + K * (obs - m)
        P = P_pred * var_v / (var_v + P_pred)
        means.append(m)
        variances.append(P)
        gains.append(K)
    return np.array(means), np.array(variances), np.array(gains)


def _kalman_frame(var_w: float, var_v: float) -> dict:
    x = np.sqrt(var_w) * KF_WALK
    y = x + np.sqrt(var_v) * KF_NOISE
    means, variances, gains = _kalman_filter(y, var_w, var_v)
    sds = np.sqrt(variances)
    t = np.arange(1, KF_T + 1)
    return {
        "data": [
            {
                "type": "scatter",
                "x": np.concatenate([t, t[::-1]]),
                "y": np.concatenate([means + 2 * sds, (means - 2 * sds)[::-1]]),
                "fill": "toself",
                "fillcolor": "rgba(249, 115, 22, 0.18)",
                "line": {"width": 0},
                "name": "filter mean ± 2 √P_t",
            },
            {
                "type": "scatter",
                "x": t,
                "y": y,
                "mode": "markers",
                "name": "observations y_t",
                "marker": {"color": "#6b7280", "size": 4},
            },
            {
                "type": "scatter",
                "x": t,
                "y": x,
                "mode": "lines",
                "name": "hidden state x_t",
                "line": {"color": "#2563eb", "width": 2},
            },
            {
                "type": "scatter",
                "x": t,
                "y": means,
                "mode": "lines",
                "name": "filter mean m_t",
                "line": {"color": "#f97316", "width": 3},
            },
            {
                "type": "scatter",
                "x": t,
                "y": gains,
                "mode": "lines",
                "name": "gain K_t",
                "line": {"color": "#10b981", "width": 2},
                "xaxis": "x2",
                "yaxis": "y2",
            },
        ],
        "layout": {
            "title": {
                "text": (
                    f"σ_w² = {var_w:g}, σ_v² = {var_v:g} (ratio σ_v²/σ_w² = {var_v / var_w:.3g}):"
                    f" gain settles at K = {gains[-1]:.2f}"
                )
            },
            "xaxis": {"title": {"text": "time t"}, "range": [0, KF_T + 1]},
            "yaxis": {"title": {"text": "value"}, "range": [-14, 13], "domain": [0.42, 1]},
            "xaxis2": {"title": {"text": "time t"}, "range": [0, KF_T + 1], "anchor": "y2"},
            "yaxis2": {
                "title": {"text": "gain K_t"},
                "range": [0, 1],
                "domain": [0, 0.28],
                "anchor": "x2",
            },
            "legend": {"orientation": "h", "y": -0.14},
            "height": 640,
        },
    }


def kalman_explorable() -> Explorable:
    return Explorable(
        params=[
            Param("var_w", "process noise $\\sigma_w^2$", KF_PROCESS, initial=0.1),
            Param("var_v", "observation noise $\\sigma_v^2$", KF_OBSERVATION, initial=1.0),
        ],
        build=_kalman_frame,
    )


def figures() -> dict[str, go.Figure | Explorable]:
    return {"autocorrelation": autocorrelation_explorable(), "kalman": kalman_explorable()}
