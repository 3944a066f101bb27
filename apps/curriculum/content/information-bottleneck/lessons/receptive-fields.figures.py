import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

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


def figures() -> dict[str, go.Figure]:
    return {"gabor-bank": _gabor_bank(), "sta": _sta()}
