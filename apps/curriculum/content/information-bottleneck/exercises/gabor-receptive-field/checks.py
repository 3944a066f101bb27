import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, Mistake, plots

G_TOL, T_TOL = (1e-5, 1e-6), (1e-5, 1e-5)
TUNING_THETAS = np.linspace(0.0, np.pi, 72, endpoint=False)


def _grid(size, *, half=False, ij=False):
    c = np.arange(size) - (size // 2 if half else (size - 1) / 2)
    return np.meshgrid(c, c, indexing="ij" if ij else "xy")


def _gabor(size, sigma, theta, wavelength, phase=0.0, aspect=1.0, *, grid=None, variant=""):
    """The reference filter, or one mistake of it (``variant``, or a different ``grid``)."""
    x, y = _grid(int(size), **(grid or {}))
    if variant == "rotation-sign":
        theta = -theta
    xr = x * np.cos(theta) + y * np.sin(theta)
    yr = -x * np.sin(theta) + y * np.cos(theta)
    quad = aspect**2 * xr**2 + yr**2 if variant == "aspect-on-x" else xr**2 + aspect**2 * yr**2
    window = np.exp(-quad / (2 * sigma if variant == "sigma-not-squared" else 2 * sigma**2))
    frequency = wavelength if variant == "frequency" else 1.0 / wavelength
    return window * np.cos(2 * np.pi * xr * frequency + phase)


def _tuning(kernel, thetas, wavelength, *, grid=None, real_part=False):
    kernel = np.asarray(kernel, dtype=float)
    x, y = _grid(kernel.shape[0], **(grid or {}))
    out = []
    for phi in np.asarray(thetas, dtype=float):
        total = np.sum(
            kernel * np.exp(2j * np.pi * (x * np.cos(phi) + y * np.sin(phi)) / wavelength)
        )
        out.append(total.real if real_part else abs(total))
    return np.array(out)


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
        rtol, atol = G_TOL if key.startswith("g-") else T_TOL
        g.check_close(name, key, rtol=rtol, atol=atol, points=points)
    g.custom("the tuning curve peaks at the filter's orientation", lambda: _peak(g), points=1)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _filter_mistake(variant: str):
    return lambda *args, **kwargs: _gabor(*args, **kwargs, variant=variant)


def _grid_mistake(**grid):
    return {
        "gabor": lambda *args, **kwargs: _gabor(*args, **kwargs, grid=grid),
        "orientation_tuning": lambda *args: _tuning(*args, grid=grid),
    }


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "meshgrid-ij",
            diagnosis=(
                "Your grid uses np.meshgrid(c, c, indexing='ij'): x becomes the row offset and y "
                "the column offset, so the filter comes out transposed (its orientation "
                "reflected)."
            ),
            fix="Use the default indexing, x, y = np.meshgrid(c, c), so x[i, j] is the column offset.",
            wrong=_grid_mistake(ij=True),
        ),
        Mistake(
            "centre-size-half",
            diagnosis=(
                "You centre the grid at size // 2 instead of (size - 1) / 2: for an even size the "
                "filter is off by half a pixel."
            ),
            fix="c = np.arange(size) - (size - 1) / 2.",
            wrong=_grid_mistake(half=True),
        ),
        Mistake(
            "rotation-sign",
            diagnosis=(
                "Your rotation is x' = x cos(theta) - y sin(theta): with y growing downwards the "
                "task's x' = x cos(theta) + y sin(theta), y' = -x sin(theta) + y cos(theta) "
                "rotates the other way."
            ),
            fix="Use the prompt's signs for x' and y'.",
            wrong={"gabor": _filter_mistake("rotation-sign")},
        ),
        Mistake(
            "aspect-on-x",
            diagnosis=(
                "Your aspect ratio multiplies x'^2; it multiplies y'^2, the coordinate along the "
                "stripes: exp(-(x'^2 + aspect^2 y'^2) / (2 sigma^2))."
            ),
            fix="Put aspect**2 on yr**2.",
            wrong={"gabor": _filter_mistake("aspect-on-x")},
        ),
        Mistake(
            "sigma-not-squared",
            diagnosis="Your window divides by 2 sigma instead of 2 sigma^2.",
            fix="exp(-(...) / (2 * sigma**2)).",
            wrong={"gabor": _filter_mistake("sigma-not-squared")},
        ),
        Mistake(
            "frequency-not-wavelength",
            diagnosis=(
                "Your wave is cos(2 pi x' * wavelength + phase): the wavelength must divide, "
                "cos(2 pi x' / wavelength + phase)."
            ),
            fix="Divide x' by the wavelength.",
            wrong={"gabor": _filter_mistake("frequency")},
        ),
        Mistake(
            "tuning-real-part",
            diagnosis=(
                "Your orientation_tuning returns the real part of the complex sum, the response "
                "at one phase; the amplitude is its absolute value."
            ),
            fix="Return abs(np.sum(kernel * wave)).",
            wrong={"orientation_tuning": lambda *args: _tuning(*args, real_part=True)},
        ),
    ]


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
