import numpy as np

from apps.sandbox.grading import Call, Grader

REL = 1e-4  # entrywise tolerance, relative to the largest entry of the reference
SIDE = 8


def _gabor(side, sigma, theta, wavelength, phase):
    c = np.arange(side) - (side - 1) / 2
    x, y = np.meshgrid(c, c)
    xr = x * np.cos(theta) + y * np.sin(theta)
    return np.exp(-(x**2 + y**2) / (2 * sigma**2)) * np.cos(2 * np.pi * xr / wavelength + phase)


def _sta(stimuli, spikes, variant=""):
    total = spikes.sum()
    if total == 0:
        return np.zeros(stimuli.shape[1])
    weights = (spikes > 0).astype(float) if variant == "indicator" else spikes
    if variant == "indicator":
        total = weights.sum()
    centred = stimuli if variant == "uncentred" else stimuli - stimuli.mean(axis=0)
    if variant == "per-bin":
        return weights @ centred / len(spikes)
    return weights @ centred / total


def _white(stimuli, spikes, variant=""):
    centred = stimuli - stimuli.mean(axis=0)
    T = stimuli.shape[0]
    if variant == "ddof":
        cov = centred.T @ centred / (T - 1)
    elif variant == "second-moment":
        cov = stimuli.T @ stimuli / T
    else:
        cov = centred.T @ centred / T
    sta = _sta(stimuli, spikes, "uncentred" if variant == "uncentred-sta" else "")
    if variant == "multiply":
        return cov @ sta
    return np.linalg.solve(cov, sta)


STA_SLIPS = {
    "uncentred": "subtract the mean stimulus before averaging: the STA is built from x_t - mean(x)",
    "per-bin": "divide by the total number of spikes, not by the number of time bins T",
    "indicator": "weight each stimulus by its spike count: a bin with 3 spikes counts three times",
}
WHITE_SLIPS = {
    "ddof": "the covariance is normalised by T, not by T - 1",
    "second-moment": "the covariance uses the centred stimuli x_t - mean(x)",
    "multiply": "multiply by the inverse of C (solve C w = STA), not by C itself",
    "uncentred-sta": "the STA inside it must be built from the centred stimuli x_t - mean(x)",
}


def _true_filter() -> np.ndarray:
    k = _gabor(SIDE, 1.8, np.deg2rad(30.0), 5.0, 0.0).ravel()
    return k / np.linalg.norm(k)


def _lnp(rng, stimuli, k, gain, offset):
    return rng.poisson(np.exp(gain * (stimuli @ k) + offset)).astype(float)


def _correlated(rng, T, d, mix=0.6):
    positions = np.arange(d)
    side = round(np.sqrt(d))
    grid = np.stack([positions // side, positions % side], axis=1)
    blur = np.exp(-((grid[:, None, :] - grid[None, :, :]) ** 2).sum(-1) / (2 * 1.5**2))
    blur /= blur.sum(axis=1, keepdims=True)
    stimuli = rng.normal(size=(T, d)) @ (mix * np.eye(d) + blur)
    return stimuli / stimuli.std()


def cases(rng: np.random.Generator) -> list[Call]:
    k16 = rng.normal(size=16)
    k16 /= np.linalg.norm(k16)
    white = rng.normal(size=(2000, 16))
    white_spikes = _lnp(rng, white, k16, 1.5, -1.0)
    k9 = rng.normal(size=9)
    k9 /= np.linalg.norm(k9)
    offset = 20.0 + rng.normal(size=(800, 9))
    offset_spikes = _lnp(rng, offset - 20.0, k9, 1.5, -1.0)
    busy = rng.normal(size=(400, 9))
    busy_spikes = _lnp(rng, busy, k9, 1.0, 1.0)  # about 3 spikes per bin
    single = rng.normal(size=(50, 9))
    single_spikes = np.zeros(50)
    single_spikes[int(rng.integers(50))] = 1.0
    correlated = _correlated(rng, 3000, 16)
    corr_spikes = _lnp(rng, correlated, k16, 1.5, -1.0)
    k_fig = _true_filter()
    fig_stimuli = _correlated(rng, 4000, SIDE * SIDE, mix=0.8)
    fig_spikes = _lnp(rng, fig_stimuli, k_fig, 2.0, -2.0)
    return [
        Call(
            "sta",
            "spike_triggered_average",
            (white, white_spikes),
            label="2000 white-noise stimuli of 16 pixels",
        ),
        Call(
            "sta-offset",
            "spike_triggered_average",
            (offset, offset_spikes),
            label="stimuli whose mean is 20",
        ),
        Call(
            "sta-busy",
            "spike_triggered_average",
            (busy, busy_spikes),
            label="about 3 spikes per bin",
        ),
        Call(
            "sta-single", "spike_triggered_average", (single, single_spikes), label="a single spike"
        ),
        Call(
            "sta-none",
            "spike_triggered_average",
            (single, np.zeros(50)),
            label="a recording without spikes (the answer is zeros)",
        ),
        Call(
            "w",
            "whitened_sta",
            (correlated, corr_spikes),
            label="3000 correlated stimuli of 16 pixels",
        ),
        Call("w-white", "whitened_sta", (white, white_spikes), label="2000 white-noise stimuli"),
        Call("w-offset", "whitened_sta", (offset, offset_spikes), label="stimuli whose mean is 20"),
        Call(
            "w-none",
            "whitened_sta",
            (correlated, np.zeros(3000)),
            label="a recording without spikes",
        ),
        Call(
            "fig-sta",
            "spike_triggered_average",
            (fig_stimuli, fig_spikes),
            label="a simulated neuron with an 8 x 8 Gabor receptive field",
        ),
        Call(
            "fig-w",
            "whitened_sta",
            (fig_stimuli, fig_spikes),
            label="a simulated neuron with an 8 x 8 Gabor receptive field",
        ),
    ]


def _check(g: Grader, key: str) -> str | None:
    call = g.call(key)
    want = np.asarray(g.expected(key))
    got = g.array(key, shape=want.shape)
    scale = float(np.abs(want).max())
    tol = REL * scale + 1e-12
    if np.all(np.abs(got - want) <= tol):
        return None
    where = f"{call.func}() on {call.description}"
    if not np.all(np.isfinite(got)):
        return f"{where} returned NaN or an infinity; with no spikes, return zeros instead of dividing by 0"
    model, slips = (
        (_sta, STA_SLIPS) if call.func == "spike_triggered_average" else (_white, WHITE_SLIPS)
    )
    for variant, diagnosis in slips.items():
        alt = model(*call.args, variant=variant)
        if alt.shape == got.shape and np.all(np.abs(got - alt) <= tol):
            return f"{where}: {diagnosis}"
    i = int(np.argmax(np.abs(got - want)))
    return f"{where}: entry {i} should be {want[i]:.6g}, but is {got[i]:.6g}"


def grade(g: Grader) -> None:
    for key, name, points in [
        ("sta", "STA of white-noise stimuli", 2),
        ("sta-offset", "stimuli with a large mean", 1),
        ("sta-busy", "several spikes per bin", 1),
        ("sta-single", "a single spike", 1),
        ("sta-none", "no spikes gives zeros", 1),
        ("w", "whitened STA of correlated stimuli", 2),
        ("w-white", "whitening white stimuli", 1),
        ("w-offset", "whitening stimuli with a large mean", 1),
        ("w-none", "whitened STA without spikes", 1),
        ("fig-w", "whitened STA of the simulated Gabor neuron", 1),
    ]:
        g.custom(name, lambda key=key: _check(g, key), points=points)


def figures(g: Grader) -> None:
    # Built as plain data: five small heatmaps side by side, each on its own pair of axes.
    panels = [("true filter k", _true_filter())]
    for key, what in [("fig-sta", "STA"), ("fig-w", "C⁻¹·STA")]:
        panels.append((f"your {what}", g.try_array(key)))
        panels.append((f"reference {what}", np.asarray(g.expected(key))))
    data, annotations = [], []
    layout: dict = {
        "title": {
            "text": "a simulated neuron with correlated stimuli: its filter, the STA and the whitened STA"
        },
        "height": 300,
    }
    width = 1.0 / len(panels)
    for index, (title, image) in enumerate(panels, start=1):
        layout[f"xaxis{index}"] = {
            "domain": [(index - 1) * width + 0.01, index * width - 0.01],
            "showticklabels": False,
            "showgrid": False,
        }
        layout[f"yaxis{index}"] = {
            "anchor": f"x{index}",
            "autorange": "reversed",
            "scaleanchor": f"x{index}",
            "showticklabels": False,
            "showgrid": False,
        }
        annotations.append(
            {
                "text": title,
                "x": (index - 0.5) * width,
                "y": 1.08,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 11},
            }
        )
        if image is None or not np.all(np.isfinite(image)):
            continue
        scale = float(np.abs(image).max()) or 1.0
        data.append(
            {
                "type": "heatmap",
                "z": np.round(image / scale, 4).reshape(SIDE, SIDE).tolist(),
                "zmin": -1,
                "zmax": 1,
                "colorscale": "RdBu",
                "reversescale": True,
                "showscale": False,
                "xaxis": f"x{index}",
                "yaxis": f"y{index}",
            }
        )
    layout["annotations"] = annotations
    g.figure({"data": data, "layout": layout})
