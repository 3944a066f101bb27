import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake

REL = 1e-4  # entrywise tolerance, relative to the largest entry of the reference
SIDE = 8


def _gabor(side, sigma, theta, wavelength, phase):
    c = np.arange(side) - (side - 1) / 2
    x, y = np.meshgrid(c, c)
    xr = x * np.cos(theta) + y * np.sin(theta)
    return np.exp(-(x**2 + y**2) / (2 * sigma**2)) * np.cos(2 * np.pi * xr / wavelength + phase)


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


def _atol(g: Grader, key: str) -> float:
    # The prompt's promise: entrywise within 1e-4 of the largest entry of the reference (the
    # whitened STA amplifies float32 noise by the condition number of the covariance).
    return REL * float(np.abs(g.expected(key)).max()) + 1e-12


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
        g.check_close(name, key, rtol=REL, atol=_atol(g, key), points=points)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _sta(stimuli, spikes, *, centred=True, per_bin=False, binary=False):
    X = np.asarray(stimuli, dtype=float)
    n = np.asarray(spikes, dtype=float)
    if binary:
        n = (n > 0).astype(float)
    total = n.sum()
    if total == 0:
        return np.zeros(X.shape[1])
    Xc = X - X.mean(axis=0) if centred else X
    return n @ Xc / (len(n) if per_bin else total)


def _white(stimuli, spikes, *, ddof=0, uncentred_cov=False, multiply=False, **sta):
    X = np.asarray(stimuli, dtype=float)
    s = _sta(X, spikes, **sta)
    if np.asarray(spikes).sum() == 0:
        return s
    Xc = X - X.mean(axis=0)
    C = X.T @ X / X.shape[0] if uncentred_cov else Xc.T @ Xc / (X.shape[0] - ddof)
    return C @ s if multiply else np.linalg.solve(C, s)


def _pair(**change):
    sta = {k: v for k, v in change.items() if k in ("centred", "per_bin", "binary")}
    return {
        "spike_triggered_average": lambda X, n: _sta(X, n, **sta),
        "whitened_sta": lambda X, n: _white(X, n, **change),
    }


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "not-centred",
            diagnosis=(
                "You average the stimuli as they are, x_t, instead of the centred x_t - mean(x): "
                "when the mean stimulus is far from zero the STA is dominated by it."
            ),
            fix="Subtract stimuli.mean(axis=0) before the weighted average.",
            wrong=_pair(centred=False),
        ),
        Mistake(
            "divide-by-bins",
            diagnosis=(
                "You divide the weighted sum by the number of time bins T instead of the total "
                "number of spikes."
            ),
            fix="Divide by spikes.sum().",
            wrong=_pair(per_bin=True),
        ),
        Mistake(
            "spikes-as-binary",
            diagnosis=(
                "You weight each bin by whether it spiked (spikes > 0) instead of by its count: "
                "a bin with 3 spikes should count three times."
            ),
            fix="Use the counts themselves as the weights.",
            wrong=_pair(binary=True),
        ),
        Mistake(
            "covariance-ddof1",
            diagnosis=(
                "Your covariance is normalised by T - 1 (np.cov's default) instead of T: the "
                "whitened STA is (T - 1)/T times the expected one."
            ),
            fix="Divide by T (np.cov(..., bias=True), or Xc.T @ Xc / T).",
            wrong={"whitened_sta": _pair(ddof=1)["whitened_sta"]},
        ),
        Mistake(
            "covariance-uncentred",
            diagnosis=(
                "Your whitening matrix is the second moment X^T X / T of the uncentred stimuli; "
                "the covariance uses the centred stimuli, which matters when their mean is large."
            ),
            fix="C = Xc.T @ Xc / T with Xc = X - X.mean(axis=0).",
            wrong={"whitened_sta": _pair(uncentred_cov=True)["whitened_sta"]},
        ),
        Mistake(
            "multiply-by-covariance",
            diagnosis=(
                "You multiply the STA by C instead of by its inverse: the whitened STA is "
                "C^-1 STA, which blurs less, not more."
            ),
            fix="np.linalg.solve(C, sta).",
            wrong={"whitened_sta": _pair(multiply=True)["whitened_sta"]},
        ),
    ]


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
