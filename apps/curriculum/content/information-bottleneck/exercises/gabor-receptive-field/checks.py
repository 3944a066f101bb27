import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, plots

G_TOL, T_TOL = (1e-5, 1e-6), (1e-5, 1e-5)
TUNING_THETAS = np.linspace(0.0, np.pi, 72, endpoint=False)


def _grid(size, corner=False):
    c = np.arange(size) - (0.0 if corner else (size - 1) / 2)
    return np.meshgrid(c, c)


def _gabor(size, sigma, theta, wavelength, phase=0.0, aspect=1.0, variant=""):
    x, y = _grid(size, corner=variant == "corner-origin")
    if variant == "theta-sign":
        theta = -theta
    xr = x * np.cos(theta) + y * np.sin(theta)
    yr = -x * np.sin(theta) + y * np.cos(theta)
    if variant == "aspect-on-x":
        quad = aspect**2 * xr**2 + yr**2
    else:
        quad = xr**2 + aspect**2 * yr**2
    if variant == "sigma-not-squared":
        window = np.exp(-quad / (2 * sigma))
    elif variant == "no-two":
        window = np.exp(-quad / sigma**2)
    else:
        window = np.exp(-quad / (2 * sigma**2))
    arg = 2 * np.pi * xr * (wavelength if variant == "frequency" else 1.0 / wavelength)
    if variant == "phase-sign":
        wave = np.cos(arg - phase)
    elif variant == "sine":
        wave = np.sin(arg + phase)
    else:
        wave = np.cos(arg + phase)
    out = window * wave
    return out.T if variant == "transpose" else out


def _tuning(kernel, thetas, wavelength, variant=""):
    x, y = _grid(kernel.shape[0])
    out = []
    for phi in thetas:
        if variant == "swap-xy":
            proj = x * np.sin(phi) + y * np.cos(phi)
        else:
            proj = x * np.cos(phi) + y * np.sin(phi)
        if variant == "no-2pi":
            arg = proj / wavelength
        elif variant == "times-wavelength":
            arg = 2 * np.pi * proj * wavelength
        else:
            arg = 2 * np.pi * proj / wavelength
        total = np.sum(kernel * np.exp(1j * arg))
        out.append(abs(total.real) if variant == "real-part" else abs(total))
    return np.array(out)


GABOR_SLIPS = {
    "transpose": "your filter is transposed: x_j belongs to column j and y_i to row i",
    "theta-sign": "your filter is rotated the wrong way: x' = x cos(theta) + y sin(theta), with y "
    "growing downwards",
    "frequency": "the wavelength divides: the wave is cos(2 pi x' / wavelength + phase)",
    "sigma-not-squared": "the window is exp(-(x'^2 + aspect^2 y'^2) / (2 sigma^2)): sigma is squared",
    "no-two": "the window is exp(-(x'^2 + aspect^2 y'^2) / (2 sigma^2)): the factor 2 is missing",
    "aspect-on-x": "the aspect ratio multiplies y', the coordinate along the stripes",
    "phase-sign": "the phase is added: cos(2 pi x' / wavelength + phase)",
    "sine": "the wave is a cosine (a sine is the same filter with the phase shifted by pi/2)",
    "corner-origin": "the coordinates are measured from the centre of the grid, (size - 1) / 2, "
    "not from the corner",
}
TUNING_SLIPS = {
    "real-part": "that is the response at one phase only; the amplitude is the absolute value of "
    "the complex sum",
    "swap-xy": "the grating varies along x cos(phi) + y sin(phi), with x along the columns",
    "no-2pi": "the grating is exp(2 pi i (x cos(phi) + y sin(phi)) / wavelength): 2 pi is missing",
    "times-wavelength": "the wavelength divides the projection, it does not multiply it",
}


def cases(rng: np.random.Generator) -> list[Call]:
    theta0 = float(rng.choice(TUNING_THETAS[6:-6]))
    reference_kernel = _gabor(17, 3.0, theta0, 6.0, 0.0, 0.6)
    point = np.zeros((7, 7))
    point[int(rng.integers(7)), int(rng.integers(7))] = 2.0
    return [
        Call(
            "g-random",
            "gabor",
            (15, float(rng.uniform(2, 4)), float(rng.uniform(0, np.pi)), float(rng.uniform(4, 10))),
            {"phase": float(rng.uniform(-np.pi, np.pi)), "aspect": float(rng.uniform(0.5, 1.5))},
            label="a random filter of size 15",
        ),
        Call(
            "g-even",
            "gabor",
            (8, 2.0, 0.0, 5.0),
            label="size 8 (the centre lies between pixels), theta = 0",
        ),
        Call(
            "g-size1",
            "gabor",
            (1, 1.0, 0.3, 4.0),
            {"phase": 0.7},
            label="size 1 (the answer is [[cos 0.7]])",
        ),
        Call("g-vertical", "gabor", (9, 2.5, np.pi / 2, 4.0), label="theta = pi/2, size 9"),
        Call(
            "g-odd",
            "gabor",
            (11, 2.5, np.pi / 4, 5.0),
            {"phase": np.pi / 2},
            label="odd phase pi/2 at theta = pi/4",
        ),
        Call(
            "g-elongated",
            "gabor",
            (13, 3.0, np.pi / 3, 6.0),
            {"phase": 0.4, "aspect": 0.4},
            label="an elongated window, aspect = 0.4",
        ),
        Call("g-narrow", "gabor", (7, 0.2, 1.0, 3.0), label="a very narrow window, sigma = 0.2"),
        Call(
            "t-gabor",
            "orientation_tuning",
            (reference_kernel, TUNING_THETAS, 6.0),
            label=f"a Gabor filter oriented at {np.rad2deg(theta0):.1f} degrees, 72 orientations",
        ),
        Call(
            "t-point",
            "orientation_tuning",
            (point, TUNING_THETAS[::6], 4.0),
            label="a kernel with a single non-zero pixel (value 2)",
        ),
        Call(
            "t-random",
            "orientation_tuning",
            (rng.normal(size=(6, 6)), rng.uniform(0, np.pi, size=8), 3.0),
            label="a random 6 x 6 kernel",
        ),
    ]


def _check(g: Grader, key: str) -> str | None:
    call = g.call(key)
    want = np.asarray(g.expected(key))
    got = g.array(key, shape=want.shape)
    rtol, atol = G_TOL if call.func == "gabor" else T_TOL
    if np.allclose(got, want, rtol=rtol, atol=atol):
        return None
    where = f"{call.func}() on {call.description}"
    if not np.all(np.isfinite(got)):
        return f"{where} returned NaN or an infinity"
    if call.func == "gabor":
        args = (*call.args, call.kwargs.get("phase", 0.0), call.kwargs.get("aspect", 1.0))
        slips = {v: (d, _gabor(*args, variant=v)) for v, d in GABOR_SLIPS.items()}
    else:
        slips = {v: (d, _tuning(*call.args, variant=v)) for v, d in TUNING_SLIPS.items()}
    for diagnosis, alt in slips.values():
        if alt.shape == got.shape and np.allclose(got, alt, rtol=rtol, atol=atol):
            return f"{where}: {diagnosis}"
    error = np.abs(got - want)
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(error)), error.shape))
    return f"{where}: entry {index} should be {want[index]:.6g}, but is {got[index]:.6g}"


def _peak(g: Grader) -> str | None:
    got = g.array("t-gabor")
    want = np.asarray(g.expected("t-gabor"))
    best, target = int(np.argmax(got)), int(np.argmax(want))
    gap = min(abs(best - target), len(want) - abs(best - target))
    if gap > 1:
        raise CheckFailed(
            f"your tuning curve of {g.call('t-gabor').description} peaks at "
            f"{np.rad2deg(TUNING_THETAS[best]):.1f} degrees, but the filter prefers "
            f"{np.rad2deg(TUNING_THETAS[target]):.1f} degrees"
        )
    return None


def grade(g: Grader) -> None:
    for key, name, points in [
        ("g-random", "a random Gabor filter", 2),
        ("g-even", "an even size, theta = 0", 1),
        ("g-size1", "size 1", 1),
        ("g-vertical", "theta = pi/2 tells x from y", 1),
        ("g-odd", "odd phase", 1),
        ("g-elongated", "an elongated window", 1),
        ("g-narrow", "a very narrow window", 1),
        ("t-gabor", "tuning of a Gabor filter", 2),
        ("t-point", "a single pixel has a flat tuning curve", 1),
        ("t-random", "tuning of a random kernel", 1),
    ]:
        g.custom(name, lambda key=key: _check(g, key), points=points)
    g.custom("the tuning curve peaks at the filter's orientation", lambda: _peak(g), points=1)


def _pair(yours, reference, title):
    """Two heatmaps side by side, as plain figure data (faster than make_subplots)."""
    data, layout = [], {"title": {"text": title}, "height": 380, "annotations": []}
    for index, (name, image) in enumerate([("yours", yours), ("reference", reference)], start=1):
        layout[f"xaxis{index}"] = {
            "domain": [0.52 * (index - 1), 0.48 + 0.52 * (index - 1)],
            "showgrid": False,
        }
        layout[f"yaxis{index}"] = {
            "anchor": f"x{index}",
            "autorange": "reversed",
            "scaleanchor": f"x{index}",
        }
        layout["annotations"].append(
            {
                "text": name,
                "x": 0.24 + 0.52 * (index - 1),
                "y": 1.06,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
            }
        )
        if image is not None and np.all(np.isfinite(image)):
            data.append(
                {
                    "type": "heatmap",
                    "z": np.round(image, 5).tolist(),
                    "zmin": -1,
                    "zmax": 1,
                    "colorscale": "RdBu",
                    "reversescale": True,
                    "showscale": False,
                    "xaxis": f"x{index}",
                    "yaxis": f"y{index}",
                }
            )
    return {"data": data, "layout": layout}


def figures(g: Grader) -> None:
    g.figure(
        _pair(g.try_array("g-random"), np.asarray(g.expected("g-random")), "a random Gabor filter")
    )
    g.figure(
        plots.compare_lines(
            np.rad2deg(TUNING_THETAS),
            g.try_array("t-gabor"),
            g.expected("t-gabor"),
            title=f"orientation tuning of {g.call('t-gabor').description}",
            x_label="grating orientation φ (degrees)",
            y_label="amplitude A(φ)",
        )
    )
