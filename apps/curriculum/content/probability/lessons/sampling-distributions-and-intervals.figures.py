import math
from functools import cache

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from apps.sandbox.grading.explorables import Explorable, Param

Z95 = 1.959963984540054


def _beta_cdf(t: np.ndarray, a: int, b: int) -> np.ndarray:
    """Beta(a, b) CDF for whole a, b: P(at least a of a + b - 1 uniforms fall below t)."""
    m = a + b - 1
    j = np.arange(a, m + 1)
    log_comb = np.array(
        [math.lgamma(m + 1) - math.lgamma(k + 1) - math.lgamma(m - k + 1) for k in j]
    )
    t = np.clip(np.asarray(t, dtype=float)[..., None], 1e-300, 1 - 1e-16)
    return np.exp(log_comb + j * np.log(t) + (m - j) * np.log1p(-t)).sum(axis=-1)


def _beta_quantile(q: float, a: int, b: int) -> float:
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if _beta_cdf(np.array(mid), a, b) < q:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _phi(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.vectorize(math.erf)(np.asarray(x) / math.sqrt(2.0)))


def figures() -> dict[str, go.Figure | Explorable]:
    rng = np.random.default_rng(3)

    # Sampling distribution of a mean (fresh data sets) against one data set's bootstrap.
    n, repeats = 30, 4000
    fresh = rng.exponential(size=(repeats, n)).mean(axis=1)
    data = rng.exponential(size=n)
    boot = data[rng.integers(0, n, size=(repeats, n))].mean(axis=1)
    boot_fig = go.Figure()
    for values, name, colour in (
        (fresh, "means of 4000 fresh data sets", "#f97316"),
        (boot, "means of 4000 resamples of one data set", "#2563eb"),
    ):
        counts, edges = np.histogram(values, bins=40, range=(0.3, 1.9), density=True)
        boot_fig.add_bar(
            x=(edges[:-1] + edges[1:]) / 2,
            y=counts,
            width=edges[1] - edges[0],
            name=name,
            marker_color=colour,
            opacity=0.55,
        )
    boot_fig.add_vline(x=1.0, line={"color": "#f97316", "dash": "dot"})
    boot_fig.add_vline(x=float(data.mean()), line={"color": "#2563eb", "dash": "dot"})
    boot_fig.update_layout(
        barmode="overlay",
        title={"text": "exponential data, n = 30: same spread, centred on the data's own mean"},
        xaxis_title="sample mean",
        yaxis_title="density",
        height=380,
    )

    # Exact coverage of the Wald and the Beta(1, 1) credible interval, n = 20 flips.
    flips = 20
    counts = np.arange(flips + 1)
    p_hat = counts / flips
    half = Z95 * np.sqrt(p_hat * (1 - p_hat) / flips)
    wald = np.stack([p_hat - half, p_hat + half], axis=1)
    cred = np.array(
        [
            [
                _beta_quantile(0.025, 1 + k, 1 + flips - k),
                _beta_quantile(0.975, 1 + k, 1 + flips - k),
            ]
            for k in counts
        ]
    )
    thetas = np.linspace(0.01, 0.99, 197)
    log_comb = np.array(
        [math.lgamma(flips + 1) - math.lgamma(k + 1) - math.lgamma(flips - k + 1) for k in counts]
    )
    pmf = np.exp(
        log_comb + counts * np.log(thetas[:, None]) + (flips - counts) * np.log1p(-thetas[:, None])
    )

    def coverage(bounds: np.ndarray) -> np.ndarray:
        inside = (bounds[None, :, 0] <= thetas[:, None]) & (thetas[:, None] <= bounds[None, :, 1])
        return (pmf * inside).sum(axis=1)

    # Gaussian data, sigma = 1, n = 4, prior N(0, 0.5^2): coverage at each fixed mu.
    sigma, size, m0, s0 = 1.0, 4, 0.0, 0.5
    sn = 1.0 / math.sqrt(1.0 / s0**2 + size / sigma**2)
    weight = sn**2 * size / sigma**2
    spread = weight * sigma / math.sqrt(size)
    mus = np.linspace(-2.5, 2.5, 201)
    shift = (1 - weight) * (mus - m0)
    cred_cov = _phi((Z95 * sn + shift) / spread) - _phi((-Z95 * sn + shift) / spread)
    prior = np.exp(-0.5 * ((mus - m0) / s0) ** 2) / (s0 * math.sqrt(2 * math.pi))

    cov_fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("coin, n = 20 flips", "Gaussian mean, n = 4, prior N(0, 0.5²)"),
    )
    cov_fig.add_scatter(
        x=thetas, y=coverage(wald), name="Wald interval", line={"color": "#2563eb"}, row=1, col=1
    )
    cov_fig.add_scatter(
        x=thetas,
        y=coverage(cred),
        name="credible interval, uniform prior",
        line={"color": "#f97316"},
        row=1,
        col=1,
    )
    cov_fig.add_scatter(
        x=mus,
        y=np.full_like(mus, 0.95),
        name="confidence interval x̄ ± zσ/√n",
        line={"color": "#2563eb", "dash": "dash"},
        row=1,
        col=2,
    )
    cov_fig.add_scatter(
        x=mus,
        y=cred_cov,
        name="credible interval m_n ± z s_n",
        line={"color": "#f97316", "dash": "dash"},
        row=1,
        col=2,
    )
    cov_fig.add_scatter(
        x=mus,
        y=prior / prior.max(),
        name="prior density (scaled)",
        line={"color": "#6b7280", "dash": "dot"},
        row=1,
        col=2,
    )
    for col in (1, 2):
        cov_fig.add_hline(y=0.95, line={"color": "#9ca3af", "dash": "dot"}, row=1, col=col)
    cov_fig.update_xaxes(title_text="true θ", row=1, col=1)
    cov_fig.update_xaxes(title_text="true μ", row=1, col=2)
    cov_fig.update_yaxes(title_text="coverage over repeated data sets", row=1, col=1)
    cov_fig.update_layout(
        title={"text": "how often a 95% interval contains the true parameter"}, height=420
    )
    return {
        "bootstrap": boot_fig,
        "coverage": cov_fig,
        "coverage_explorer": coverage_explorable(),
    }


# ----- explorable: n and the true theta for the coin's two intervals --------------------------
FLIP_COUNTS = [5, 10, 20, 50, 100, 200]
TRUE_THETAS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5]
THETA_GRID = np.linspace(0.01, 0.99, 197)
SHOWN_PROBABILITY = 1e-4  # counts k rarer than this under theta are not drawn


@cache
def _intervals(flips: int) -> tuple[np.ndarray, np.ndarray]:
    """The Wald and the uniform-prior credible interval for every count k = 0..flips (rows)."""
    p_hat = np.arange(flips + 1) / flips
    half = Z95 * np.sqrt(p_hat * (1 - p_hat) / flips)
    wald = np.stack([p_hat - half, p_hat + half], axis=1)
    cred = np.array(
        [
            [
                _beta_quantile(0.025, 1 + k, 1 + flips - k),
                _beta_quantile(0.975, 1 + k, 1 + flips - k),
            ]
            for k in range(flips + 1)
        ]
    )
    return wald, cred


def _binomial_pmf(flips: int, thetas: np.ndarray) -> np.ndarray:
    """P(K = k) for each theta (rows) and k = 0..flips (columns)."""
    k = np.arange(flips + 1)
    log_comb = np.array(
        [math.lgamma(flips + 1) - math.lgamma(j + 1) - math.lgamma(flips - j + 1) for j in k]
    )
    thetas = np.asarray(thetas, dtype=float)[:, None]
    return np.exp(log_comb + k * np.log(thetas) + (flips - k) * np.log1p(-thetas))


def _coverage(bounds: np.ndarray, pmf: np.ndarray, thetas: np.ndarray) -> np.ndarray:
    inside = (bounds[None, :, 0] <= thetas[:, None]) & (thetas[:, None] <= bounds[None, :, 1])
    return (pmf * inside).sum(axis=1)


def _segments(x: np.ndarray, bounds: np.ndarray) -> tuple[list, list]:
    """One vertical segment per row of bounds, as a single line trace broken by gaps."""
    xs: list = []
    ys: list = []
    for position, (lo, hi) in zip(x, bounds, strict=True):
        xs += [position, position, None]
        ys += [lo, hi, None]
    return xs, ys


def _coverage_frame(flips: int, theta: float) -> dict:
    wald, cred = _intervals(flips)
    curve_pmf = _binomial_pmf(flips, THETA_GRID)
    pmf = _binomial_pmf(flips, np.array([theta]))[0]
    cover_wald = float(_coverage(wald, pmf[None, :], np.array([theta]))[0])
    cover_cred = float(_coverage(cred, pmf[None, :], np.array([theta]))[0])
    shown = np.flatnonzero(pmf > SHOWN_PROBABILITY)
    p_hat = shown / flips
    offset = 0.15 / flips  # the two intervals of one count side by side
    wald_x, wald_y = _segments(p_hat - offset, wald[shown])
    cred_x, cred_y = _segments(p_hat + offset, cred[shown])
    return {
        "data": [
            {
                "type": "scatter",
                "x": THETA_GRID,
                "y": _coverage(wald, curve_pmf, THETA_GRID),
                "mode": "lines",
                "name": "Wald interval",
                "legendgroup": "wald",
                "line": {"color": "#2563eb"},
            },
            {
                "type": "scatter",
                "x": THETA_GRID,
                "y": _coverage(cred, curve_pmf, THETA_GRID),
                "mode": "lines",
                "name": "credible interval, uniform prior",
                "legendgroup": "cred",
                "line": {"color": "#f97316"},
            },
            {
                "type": "scatter",
                "x": [theta, theta],
                "y": [cover_wald, cover_cred],
                "mode": "markers",
                "marker": {"color": ["#2563eb", "#f97316"], "size": 11},
                "name": "coverage at this θ",
                "showlegend": False,
            },
            {
                "type": "scatter",
                "x": [0, 1, None, theta, theta],
                "y": [0.95, 0.95, None, 0, 1.02],
                "mode": "lines",
                "line": {"color": "#9ca3af", "dash": "dot", "width": 1},
                "name": "95% and this θ",
                "showlegend": False,
                "hoverinfo": "skip",
            },
            {
                "type": "bar",
                "x": p_hat,
                "y": pmf[shown],
                "width": 0.6 / flips,
                "marker": {"color": "#d1d5db"},
                "name": "P(K = k) at this θ (grey bars)",
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "x": wald_x,
                "y": wald_y,
                "mode": "lines+markers",
                "marker": {"size": 4},
                "line": {"color": "#2563eb", "width": 2},
                "name": "Wald interval",
                "legendgroup": "wald",
                "showlegend": False,
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "x": cred_x,
                "y": cred_y,
                "mode": "lines+markers",
                "marker": {"size": 4},
                "line": {"color": "#f97316", "width": 2},
                "name": "credible interval",
                "legendgroup": "cred",
                "showlegend": False,
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "x": [0, 1],
                "y": [theta, theta],
                "mode": "lines",
                "line": {"color": "#111827", "dash": "dash", "width": 1},
                "name": "true θ",
                "xaxis": "x2",
                "yaxis": "y2",
            },
        ],
        "layout": {
            "title": {
                "text": (
                    f"n = {flips}, θ = {theta:g}: coverage Wald {cover_wald:.2f}, credible"
                    f" {cover_cred:.2f}; P(k = 0) = {pmf[0]:.2f}"
                )
            },
            "xaxis": {"title": {"text": "true θ"}, "range": [0, 1], "domain": [0, 0.42]},
            "yaxis": {"title": {"text": "coverage over repeated data sets"}, "range": [0, 1.02]},
            "xaxis2": {
                "title": {"text": "observed share of heads k/n"},
                "range": [-0.02, 1],
                "domain": [0.52, 1],
                "anchor": "y2",
            },
            "yaxis2": {
                "title": {"text": "interval for θ; bars: P(K = k)"},
                "range": [-0.1, 1],
                "anchor": "x2",
            },
            "legend": {"orientation": "h", "y": -0.22},
            "height": 460,
        },
    }


def coverage_explorable() -> Explorable:
    return Explorable(
        params=[
            Param("flips", "flips $n$", FLIP_COUNTS, initial=20),
            Param("theta", "true $\\theta$", TRUE_THETAS, initial=0.05),
        ],
        build=_coverage_frame,
    )
