import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, plots


def _start(rng: np.random.Generator, low: float, high: float) -> tuple[float, float]:
    angle, radius = rng.uniform(0, 2 * np.pi), rng.uniform(low, high)
    return float(radius * np.cos(angle)), float(radius * np.sin(angle))


def cases(rng: np.random.Generator) -> list[Call]:
    # Extragradient starts inside radius 0.45, where no simultaneous iterate ever is (their
    # distance to (0, 0) starts at 0.5 or more and only grows): an array left by an earlier
    # call, which np.empty may hand back unwritten, cannot hold its start in row 0, so a
    # function that never writes row 0 fails under every seed.
    starts = {"sim": _start(rng, 0.5, 2.0), "eg": _start(rng, 0.1, 0.45)}
    lr = float(rng.uniform(0.05, 0.3))
    steps = int(rng.integers(40, 80))
    calls = []
    for name in ("simultaneous_gda", "extragradient"):
        short = "sim" if name.startswith("sim") else "eg"
        x0, y0 = starts[short]
        calls += [
            Call(
                f"{short}_path",
                name,
                (x0, y0, lr, steps),
                label=f"start ({x0:.3f}, {y0:.3f}), lr = {lr:.3f}, {steps} steps",
            ),
            Call(
                f"{short}_figure",
                name,
                (1.0, 0.0, 0.2, 60),
                label="start (1, 0), lr = 0.2, 60 steps",
            ),
            Call(f"{short}_zero", name, (x0, y0, lr, 0), label="steps = 0"),
            Call(
                f"{short}_origin",
                name,
                (0.0, 0.0, lr, 5),
                label="starting at the equilibrium (0, 0)",
            ),
        ]
    return calls


def _radius_ratio(g: Grader, key: str, factor, name: str) -> str | None:
    lr = g.arg(key, 2)
    path = g.array(key)
    radius = np.hypot(path[:, 0], path[:, 1])
    ratios = radius[1:] / radius[:-1]
    target = factor(lr)
    worst = int(np.argmax(np.abs(ratios - target)))
    # Relative 1e-5, the default tolerance: float32 iterates change the ratio by about 1e-7.
    if abs(ratios[worst] - target) > 1e-5 * target:
        return (
            f"{name}: the distance to (0, 0) should change by the factor {target:.8f} every step "
            f"(lr = {lr:.3f}), but from step {worst} to {worst + 1} it changed by "
            f"{ratios[worst]:.8f}"
        )
    return None


def grade(g: Grader) -> None:
    g.check_close("simultaneous steps match the reference", "sim_path", points=2)
    g.custom(
        "simultaneous steps spiral outwards by sqrt(1 + lr^2)",
        lambda: _radius_ratio(g, "sim_path", lambda lr: np.sqrt(1 + lr**2), "simultaneous_gda"),
        points=1,
    )
    g.check_close("simultaneous steps from (1, 0) with lr = 0.2", "sim_figure", points=0.5)
    g.check_close("steps = 0 returns just the start", "sim_zero", points=1)
    g.check_close("extragradient matches the reference", "eg_path", points=2)
    g.custom(
        "extragradient contracts by sqrt(1 - lr^2 + lr^4)",
        lambda: _radius_ratio(g, "eg_path", lambda lr: np.sqrt(1 - lr**2 + lr**4), "extragradient"),
        points=1,
    )
    g.check_close("extragradient from (1, 0) with lr = 0.2", "eg_figure", points=0.5)
    g.check_close("extragradient with steps = 0", "eg_zero", points=0.5)
    g.check_close("the equilibrium stays put", "eg_origin", points=0.5)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _gda_step(x, y, lr, sign=1.0, alternating=False):
    if alternating:
        x = x - sign * lr * y
        return x, y + sign * lr * x
    return x - sign * lr * y, y + sign * lr * x


def _path(step, x0, y0, steps, keep_start=True):
    x, y = float(x0), float(y0)
    rows = [(x, y)] if keep_start else []
    for _ in range(steps):
        x, y = step(x, y)
        rows.append((x, y))
    return np.array(rows, dtype=float).reshape(-1, 2)


def _extragradient_step(x, y, lr, sign=1.0, sequential=False, from_trial=False):
    xh = x - sign * lr * y
    yh = y + sign * lr * (xh if sequential else x)
    if from_trial:
        return xh - sign * lr * yh, yh + sign * lr * xh
    return x - sign * lr * yh, y + sign * lr * xh


def _gda(x0, y0, lr, steps, **kwargs):
    keep = kwargs.pop("keep_start", True)
    return _path(lambda x, y: _gda_step(x, y, lr, **kwargs), x0, y0, steps, keep)


def _eg(x0, y0, lr, steps, **kwargs):
    keep = kwargs.pop("keep_start", True)
    return _path(lambda x, y: _extragradient_step(x, y, lr, **kwargs), x0, y0, steps, keep)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "drops-start",
            diagnosis=(
                "Your trajectories leave out the starting point: row 0 must be (x0, y0), so "
                "steps updates give steps + 1 rows (and steps = 0 gives [[x0, y0]])."
            ),
            fix="Put (x0, y0) in the first row before the loop.",
            wrong={
                "simultaneous_gda": lambda *a: _gda(*a, keep_start=False),
                "extragradient": lambda *a: _eg(*a, keep_start=False),
            },
        ),
        Mistake(
            "signs-swapped",
            diagnosis=(
                "You let x ascend and y descend (x + lr*y, y - lr*x): x is the minimising "
                "player and steps against its gradient y; y maximises and steps along its "
                "gradient x. The spiral turns the other way."
            ),
            fix="x_new = x - lr * y and y_new = y + lr * x (and the same signs in the trial step).",
            wrong={
                "simultaneous_gda": lambda *a: _gda(*a, sign=-1.0),
                "extragradient": lambda *a: _eg(*a, sign=-1.0),
            },
        ),
        Mistake(
            "alternating-updates",
            diagnosis=(
                "simultaneous_gda updates x first and then y with the new x: that is "
                "alternating gradient descent-ascent, which circles instead of spiralling out."
            ),
            fix="Compute both from the old pair in one statement: x, y = x - lr*y, y + lr*x.",
            wrong={"simultaneous_gda": lambda *a: _gda(*a, alternating=True)},
        ),
        Mistake(
            "no-extrapolation",
            diagnosis=(
                "Your extragradient takes the trial step and stops there: that is plain "
                "simultaneous gradient descent-ascent, which spirals out."
            ),
            fix=(
                "Take the trial step (x_hat, y_hat), then update the ORIGINAL point with the "
                "gradient at the trial point: x - lr*y_hat, y + lr*x_hat."
            ),
            wrong={"extragradient": lambda *a: _gda(*a)},
        ),
        Mistake(
            "sequential-trial-step",
            diagnosis=(
                "Your trial step computes y_hat from the trial x_hat (y + lr*x_hat) instead of "
                "from the current x: both trial coordinates come from (x_t, y_t)."
            ),
            fix="x_hat, y_hat = x - lr*y, y + lr*x in one statement.",
            wrong={"extragradient": lambda *a: _eg(*a, sequential=True)},
        ),
        Mistake(
            "update-from-trial-point",
            diagnosis=(
                "Your extragradient applies the second step to the trial point "
                "(x_hat - lr*y_hat) instead of the original point (x_t - lr*y_hat): that is "
                "just two plain steps."
            ),
            fix="x, y = x - lr*y_hat, y + lr*x_hat, starting from the x and y of this step.",
            wrong={"extragradient": lambda *a: _eg(*a, from_trial=True)},
        ),
    ]


def figures(g: Grader) -> None:
    fig = PlainFigure()
    styles = {"sim": ("simultaneous", "solid"), "eg": ("extragradient", "dot")}
    for short, (label, dash) in styles.items():
        ref = g.expected(f"{short}_figure")
        fig.add_scatter(
            x=ref[:, 0],
            y=ref[:, 1],
            mode="lines",
            name=f"reference, {label}",
            line={"color": plots.REFERENCE, "width": 3, "dash": dash},
        )
        yours = g.try_array(f"{short}_figure")
        if yours is not None:
            fig.add_scatter(
                x=yours[:, 0],
                y=yours[:, 1],
                mode="markers",
                name=f"yours, {label}",
                marker={
                    "color": plots.LEARNER,
                    "size": 4,
                    "symbol": "circle" if short == "sim" else "x",
                },
            )
    fig.add_scatter(
        x=[0],
        y=[0],
        mode="markers",
        name="equilibrium (0, 0)",
        marker={"color": "black", "size": 10, "symbol": "star"},
    )
    fig.add_scatter(
        x=[1], y=[0], mode="markers", name="start", marker={"color": plots.NEUTRAL, "size": 9}
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    fig.update_layout(
        title={
            "text": "min_x max_y x·y from (1, 0), lr = 0.2: simultaneous steps spiral out, extragradient spirals in"
        },
        xaxis_title="x (minimiser)",
        yaxis_title="y (maximiser)",
        height=460,
    )
    g.figure(fig)
    ts = np.arange(61)
    ref_r = {s: np.hypot(*g.expected(f"{s}_figure").T) for s in ("sim", "eg")}
    yours_eg = g.try_array("eg_figure")
    g.figure(
        plots.compare_lines(
            ts,
            None if yours_eg is None else np.hypot(*yours_eg.T),
            ref_r["eg"],
            title="Extragradient: distance to the equilibrium per step (simultaneous grows instead)",
            x_label="step t",
            y_label="‖(x_t, y_t)‖",
            log_y=True,
        )
    )
