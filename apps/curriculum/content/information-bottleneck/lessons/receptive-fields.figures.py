from functools import cache

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from apps.sandbox.grading.explorables import Explorable, Param

SIDE = 12


def _gabor(size, sigma, theta, wavelength, phase, aspect=1.0):
    c = np.arange(size) - (size - 1) / 2
    x, y = np.meshgrid(c, c)
    xr = x * np.cos(theta) + y * np.sin(theta)
    yr = -x * np.sin(theta) + y * np.cos(theta)
    return np.exp(-(xr**2 + aspect**2 * yr**2) / (2 * sigma**2)) * np.cos(
        2 * np.pi * xr / wavelength + phase
    )


def _heatmaps(images, titles, title, rows=1):
    cols = len(images) // rows
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.02, vertical_spacing=0.12
    )
    for index, image in enumerate(images):
        scale = float(np.abs(image).max()) or 1.0
        fig.add_trace(
            go.Heatmap(z=image / scale, zmin=-1, zmax=1, colorscale="RdBu_r", showscale=False),
            row=index // cols + 1,
            col=index % cols + 1,
        )
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False, autorange="reversed", scaleanchor="x")
    fig.update_layout(title={"text": title}, height=260 * rows + 60)
    return fig


def _gabor_bank() -> go.Figure:
    images, titles = [], []
    for phase, name in [(0.0, "even"), (np.pi / 2, "odd")]:
        for degrees in (0, 45, 90, 135):
            images.append(_gabor(21, 4.0, np.deg2rad(degrees), 8.0, phase, 0.6))
            titles.append(f"θ = {degrees}°, {name}")
    return _heatmaps(
        images,
        titles,
        "Gabor filters: four orientations, even (ψ = 0) and odd (ψ = π/2) phase",
        rows=2,
    )


def _sta() -> go.Figure:
    rng = np.random.default_rng(5)
    k = _gabor(SIDE, 2.2, np.deg2rad(30), 6.0, 0.0, 0.7).ravel()
    k /= np.linalg.norm(k)

    def record(stimuli):
        return rng.poisson(np.exp(2.0 * (stimuli @ k) - 3.0))

    def sta(stimuli, counts):
        centred = stimuli - stimuli.mean(axis=0)
        return counts @ centred / counts.sum()

    def match(estimate):
        return float(np.corrcoef(k, estimate)[0, 1])

    white = rng.normal(size=(16000, SIDE * SIDE))
    counts = record(white)
    few = int(np.searchsorted(np.cumsum(counts), 500)) + 1
    # correlated stimuli: white noise mixed with a blurred copy of itself
    c = np.arange(SIDE)
    pos = np.stack(np.meshgrid(c, c), axis=-1).reshape(-1, 2)
    blur = np.exp(-((pos[:, None, :] - pos[None, :, :]) ** 2).sum(-1) / (2 * 2.0**2))
    blur /= blur.sum(axis=1, keepdims=True)
    smooth = rng.normal(size=(30000, SIDE * SIDE)) @ (0.6 * np.eye(SIDE * SIDE) + blur)
    smooth /= smooth.std()
    smooth_counts = record(smooth)
    raw = sta(smooth, smooth_counts)
    centred = smooth - smooth.mean(axis=0)
    whitened = np.linalg.solve(centred.T @ centred / len(smooth), raw)
    few_sta, all_sta = sta(white[:few], counts[:few]), sta(white, counts)
    images = [k, few_sta, all_sta, raw, whitened]
    titles = [
        "true filter k",
        f"STA, {int(counts[:few].sum())} spikes (r = {match(few_sta):.2f})",
        f"STA, {int(counts.sum())} spikes (r = {match(all_sta):.2f})",
        f"correlated: raw STA (r = {match(raw):.2f})",
        f"correlated: C⁻¹·STA (r = {match(whitened):.2f})",
    ]
    return _heatmaps(
        [im.reshape(SIDE, SIDE) for im in images],
        titles,
        "spike-triggered averages of a simulated LNP neuron (r: correlation with the true filter)",
    )


# ----- explorable: the STA sharpening with the number of spikes -----------------------------
# A gentler neuron than the one above (f(u) = exp(u - 2), at most a few spikes per bin), so that
# the spike count alone sets the noise: the STA is a spike-weighted average of N white patches.
SPIKES = [30, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000, 10000]
_sta_rng = np.random.default_rng(5)
STA_FILTER = _gabor(SIDE, 2.2, np.deg2rad(30), 6.0, 0.0, 0.7).ravel()
STA_FILTER /= np.linalg.norm(STA_FILTER)
STA_STIMULI = _sta_rng.normal(size=(45000, SIDE * SIDE))
STA_COUNTS = _sta_rng.poisson(np.exp(STA_STIMULI @ STA_FILTER - 2.0))


@cache
def _sta_after(spikes: int) -> np.ndarray:
    """The STA of the first stimuli that together drew at least this many spikes."""
    frames = int(np.searchsorted(np.cumsum(STA_COUNTS), spikes)) + 1
    stimuli, counts = STA_STIMULI[:frames], STA_COUNTS[:frames]
    return counts @ (stimuli - stimuli.mean(axis=0)) / counts.sum()


def _sta_noise(estimate: np.ndarray) -> float:
    """The length of the part of the estimate perpendicular to the true filter."""
    return float(np.linalg.norm(estimate - (estimate @ STA_FILTER) * STA_FILTER))


def _sta_frame(spikes: int) -> dict:
    estimate = _sta_after(spikes)
    noise = _sta_noise(estimate)
    match = float(np.corrcoef(STA_FILTER, estimate)[0, 1])
    grid = np.array(SPIKES, dtype=float)
    return {
        "data": [
            {
                "type": "heatmap",
                "z": (estimate / np.abs(estimate).max()).reshape(SIDE, SIDE),
                "zmin": -1,
                "zmax": 1,
                "colorscale": "RdBu",
                "showscale": False,
                "name": "STA",
            },
            {
                "type": "scatter",
                "x": grid,
                "y": np.sqrt((SIDE * SIDE - 1) / grid),
                "mode": "lines",
                "name": "√((d − 1)/N)",
                "line": {"color": "#6b7280", "dash": "dot"},
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "x": grid,
                "y": [_sta_noise(_sta_after(n)) for n in SPIKES],
                "mode": "lines+markers",
                "name": "noise of the STA",
                "line": {"color": "#2563eb"},
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "x": [spikes],
                "y": [noise],
                "mode": "markers",
                "name": "this STA",
                "marker": {"color": "#f97316", "size": 14},
                "xaxis": "x2",
                "yaxis": "y2",
            },
        ],
        "layout": {
            "title": {
                "text": f"STA from {spikes} spikes: r = {match:.2f} with the true filter, noise {noise:.2f}"
            },
            "xaxis": {
                "domain": [0, 0.4],
                "showticklabels": False,
                "title": {"text": "12 × 12 pixels"},
            },
            "yaxis": {"showticklabels": False, "autorange": "reversed", "scaleanchor": "x"},
            "xaxis2": {
                "domain": [0.52, 1],
                "type": "log",
                "title": {"text": "number of spikes N (log scale)"},
                "anchor": "y2",
            },
            "yaxis2": {
                "type": "log",
                "range": [-1.1, 0.6],
                "title": {"text": "‖STA − (STA·k) k‖ (log scale)"},
                "anchor": "x2",
            },
            "legend": {"x": 0.98, "xanchor": "right", "y": 0.98},
            "height": 400,
        },
    }


def sta_explorable() -> Explorable:
    return Explorable(
        params=[Param("spikes", "number of recorded spikes $N$", SPIKES, initial=300)],
        build=_sta_frame,
    )


# ----- explorable: a Gabor filter and its orientation tuning curve ----------------------------
GABOR_SIZE, GABOR_SIGMA, GABOR_WAVELENGTH = 21, 4.0, 8.0
ORIENTATIONS = list(range(0, 180, 15))
ASPECTS = [0.3, 0.5, 0.7, 1.0, 1.5]
PROBES = np.arange(0.0, 180.0, 2.5)


def _tuning(filter_: np.ndarray, probes: np.ndarray) -> np.ndarray:
    """A(phi): the amplitude of the filter's response to a grating of wavelength lambda at
    each orientation phi in probes (degrees), at its best phase."""
    c = np.arange(GABOR_SIZE) - (GABOR_SIZE - 1) / 2
    x, y = np.meshgrid(c, c)
    phi = np.deg2rad(probes)[:, None, None]
    waves = np.exp(2j * np.pi * (x * np.cos(phi) + y * np.sin(phi)) / GABOR_WAVELENGTH)
    return np.abs((waves * filter_).sum(axis=(1, 2)))


def _half_height_width(filter_: np.ndarray) -> float:
    """Degrees of orientation over which A is at least half its peak (on a 0.25° grid)."""
    fine = _tuning(filter_, np.arange(0.0, 180.0, 0.25))
    return 0.25 * float((fine >= fine.max() / 2).sum())


def _gabor_frame(theta: float, aspect: float) -> dict:
    filter_ = _gabor(GABOR_SIZE, GABOR_SIGMA, np.deg2rad(theta), GABOR_WAVELENGTH, 0.0, aspect)
    tuning = _tuning(filter_, PROBES)
    tuning /= tuning.max()
    width = _half_height_width(filter_)
    c = np.arange(GABOR_SIZE) - (GABOR_SIZE - 1) / 2
    return {
        "data": [
            {
                "type": "heatmap",
                "x": c,
                "y": c,
                "z": np.round(filter_, 3),  # three decimals are plenty for a picture
                "zmin": -1,
                "zmax": 1,
                "colorscale": "RdBu",
                "showscale": False,
                "name": "G(x, y)",
            },
            {
                "type": "scatter",
                "x": PROBES,
                "y": np.round(tuning, 3),
                "mode": "lines",
                "name": "A(φ) / max A",
                "line": {"color": "#2563eb", "width": 3},
                "xaxis": "x2",
                "yaxis": "y2",
            },
        ],
        "layout": {
            "title": {
                "text": (
                    f"θ = {theta}°, γ = {aspect:g} (λ = 8, σ = 4, ψ = 0): tuning peaks at"
                    f" φ = {PROBES[int(tuning.argmax())]:.0f}°, {width:.0f}° wide at half height"
                )
            },
            "showlegend": False,
            "xaxis": {"domain": [0, 0.4], "title": {"text": "x (pixels)"}},
            "yaxis": {"title": {"text": "y (pixels)"}, "scaleanchor": "x"},
            "xaxis2": {
                "domain": [0.52, 1],
                "range": [0, 180],
                "dtick": 30,
                "title": {"text": "grating orientation φ (degrees)"},
                "anchor": "y2",
            },
            "yaxis2": {
                "range": [0, 1.05],
                "title": {"text": "response A(φ) / max A"},
                "anchor": "x2",
            },
            "height": 400,
        },
    }


def gabor_explorable() -> Explorable:
    return Explorable(
        params=[
            Param("theta", "orientation $\\theta$ (degrees)", ORIENTATIONS, initial=45),
            Param("aspect", "aspect ratio $\\gamma$", ASPECTS, initial=0.7),
        ],
        build=_gabor_frame,
    )


def figures() -> dict[str, go.Figure | Explorable]:
    return {
        "gabor-bank": _gabor_bank(),
        "gabor": gabor_explorable(),
        "sta": _sta(),
        "sta_spikes": sta_explorable(),
    }
