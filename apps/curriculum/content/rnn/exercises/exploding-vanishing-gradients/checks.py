import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(4, 9))
    T = int(rng.integers(30, 50))
    W = rng.normal(size=(n, n)) / np.sqrt(n)
    radii = np.array([0.8, 0.95, 1.0, 1.05, 1.2])
    Q, _ = np.linalg.qr(rng.normal(size=(5, 5)))
    shear = float(rng.uniform(4.0, 8.0))
    return [
        Call(
            "random",
            "gradient_norms",
            (W, radii, T),
            label=f"a random {n}x{n} Gaussian W, radii [0.8, 0.95, 1, 1.05, 1.2], T={T}",
        ),
        Call(
            "orthogonal",
            "gradient_norms",
            (Q, rng.uniform(0.5, 1.5, size=3), 20),
            label="an orthogonal 5x5 W (all eigenvalues on one circle), T=20",
        ),
        Call(
            "non_normal",
            "gradient_norms",
            (np.array([[1.0, shear], [0.0, 1.0]]) * 0.9, np.array([0.9]), 40),
            label=f"the non-symmetric W = 0.9 [[1, {shear:.2f}], [0, 1]] at radius 0.9, T=40",
        ),
        Call("zero_steps", "gradient_norms", (W, np.array([0.5, 2.0]), 0), label="T=0"),
    ]


def grade(g: Grader) -> None:
    def shape_and_start() -> str | None:
        for key in ("random", "zero_steps"):
            _W, radii, T = g.args(key)
            got = np.asarray(g.output(key), dtype=float)
            want = (len(radii), T + 1)
            if got.shape != want:
                extra = (
                    " (one column per t = 0..T, starting with the identity at t = 0)"
                    if got.shape == (len(radii), T)
                    else ""
                )
                return f"gradient_norms() on {g.call(key).description} should return shape {want}, not {got.shape}{extra}"
            if not np.allclose(got[:, 0], 1.0):
                return f"column t = 0 is the norm of W^0 = I, which is 1, but you returned {np.round(got[:, 0], 4)}"
        return None

    g.custom("one row per radius, columns t = 0..T", shape_and_start, points=2)
    g.check_close(
        "random W on both sides of radius 1",
        "random",
        rtol=1e-6,
        atol=1e-12,
        points=3,
        hint="rescale W by radii[k] / rho(W), where rho(W) is the spectral radius (largest |eigenvalue|), not the spectral norm",
    )
    g.check_close(
        "orthogonal W decays or grows exactly like rho^t",
        "orthogonal",
        rtol=1e-6,
        atol=1e-12,
        points=1,
    )
    g.check_close(
        "transient growth of a non-symmetric W",
        "non_normal",
        rtol=1e-6,
        atol=1e-12,
        points=2,
        hint="for a non-normal W the norm of W^t is not rho^t: it shows transient growth before decaying, so compute the norm of the actual matrix power",
    )

    def explode_vs_vanish() -> str | None:
        got = g.array("random")
        if not (got[0, -1] < got[0, 0] and got[-1, -1] > got[-1, 0]):
            return (
                f"with radius 0.8 the norm should vanish and with radius 1.2 it should explode over T steps, "
                f"but your last column is {np.round(got[:, -1], 4)}"
            )
        return None

    g.custom("radius below one vanishes, above one explodes", explode_vs_vanish, points=1)


def figures(g: Grader) -> None:
    ref = g.expected("random")
    yours = g.try_array("random")
    radii = g.arg("random", 1)
    steps = np.arange(ref.shape[1])
    palette = ["#1e3a8a", "#2563eb", "#6b7280", "#ea580c", "#b91c1c"]
    fig = go.Figure()
    for k, rho in enumerate(radii):
        fig.add_scatter(
            x=steps,
            y=ref[k],
            name=f"reference ρ = {rho:g}",
            line={"color": palette[k], "width": 3},
            opacity=0.45,
        )
        if yours is not None:
            fig.add_scatter(
                x=steps,
                y=np.clip(yours[k], 1e-300, None),
                name=f"yours ρ = {rho:g}",
                line={"color": palette[k], "dash": "dash"},
            )
    fig.update_yaxes(type="log")
    fig.update_layout(
        title={"text": "‖∂h_t/∂h_0‖ = ‖W^t‖ by time step: vanishing below ρ = 1, exploding above"},
        xaxis_title="time step t",
        yaxis_title="spectral norm (log scale)",
        height=420,
    )
    g.figure(fig)
    nn = g.expected("non_normal")[0]
    mine = g.try_array("non_normal")
    g.figure(
        plots.compare_lines(
            np.arange(nn.shape[0]),
            None if mine is None else mine[0],
            nn,
            title="transient growth: a non-normal W with spectral radius 0.9",
            x_label="time step t",
            y_label="‖W^t‖₂",
            log_y=True,
        )
    )
