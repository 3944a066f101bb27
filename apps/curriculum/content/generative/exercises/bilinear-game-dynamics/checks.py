import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots

START_HINT = "row 0 must be the starting point (x0, y0), so the result has steps + 1 rows"
EG_HINT = (
    "extragradient evaluates the gradient at the trial point (x_hat, y_hat) and applies it "
    "to the ORIGINAL point (x_t, y_t)"
)


def cases(rng: np.random.Generator) -> list[Call]:
    angle = rng.uniform(0, 2 * np.pi)
    radius = rng.uniform(0.5, 2.0)
    x0, y0 = float(radius * np.cos(angle)), float(radius * np.sin(angle))
    lr = float(rng.uniform(0.05, 0.3))
    steps = int(rng.integers(40, 80))
    calls = []
    for name in ("simultaneous_gda", "extragradient"):
        short = "sim" if name.startswith("sim") else "eg"
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


def _radius_ratio(g: Grader, key: str, factor: float, name: str) -> str | None:
    lr = g.arg(key, 2)
    path = g.array(key)
    radius = np.hypot(path[:, 0], path[:, 1])
    ratios = radius[1:] / radius[:-1]
    target = factor(lr)
    worst = int(np.argmax(np.abs(ratios - target)))
    if abs(ratios[worst] - target) > 1e-8:
        return (
            f"{name}: the distance to (0, 0) should change by the factor {target:.6f} every step (lr = {lr:.3f}), "
            f"but from step {worst} to {worst + 1} it changed by {ratios[worst]:.6f}"
        )
    return None


def grade(g: Grader) -> None:
    g.check_close(
        "simultaneous steps match the reference",
        "sim_path",
        rtol=1e-9,
        atol=1e-12,
        points=2,
        hint="both players move from the same old point (x_t, y_t): x descends along -y, y ascends along +x; "
        + START_HINT,
    )
    g.custom(
        "simultaneous steps spiral outwards by sqrt(1 + lr^2)",
        lambda: _radius_ratio(g, "sim_path", lambda lr: np.sqrt(1 + lr**2), "simultaneous_gda"),
        points=1,
        hint="the update matrix [[1, -lr], [lr, 1]] scales every vector by sqrt(1 + lr^2)",
    )
    g.check_close("steps = 0 returns just the start", "sim_zero", points=1, hint=START_HINT)
    g.check_close(
        "extragradient matches the reference",
        "eg_path",
        rtol=1e-9,
        atol=1e-12,
        points=2,
        hint=EG_HINT + " (the gradient at the trial point)",
    )
    g.custom(
        "extragradient contracts by sqrt(1 - lr^2 + lr^4)",
        lambda: _radius_ratio(g, "eg_path", lambda lr: np.sqrt(1 - lr**2 + lr**4), "extragradient"),
        points=1,
        hint=EG_HINT + "; then each step multiplies by [[1 - lr^2, -lr], [lr, 1 - lr^2]]",
    )
    g.check_close("extragradient with steps = 0", "eg_zero", points=0.5, hint=START_HINT)
    g.check_close("the equilibrium stays put", "eg_origin", points=0.5)


def figures(g: Grader) -> None:
    fig = go.Figure()
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
