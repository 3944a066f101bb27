import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param

# ----- explorable: the spectral radius against the norm of W^t -----------------------------
RADII = [round(float(r), 3) for r in np.linspace(0.7, 1.3, 25)]
STEPS = np.arange(41)
SHEAR = np.array([[1.0, 5.0], [0.0, 1.0]])


def _unit_radius_matrix() -> np.ndarray:
    rng = np.random.default_rng(7)
    W = rng.normal(scale=1 / np.sqrt(6), size=(6, 6))
    return W / np.abs(np.linalg.eigvals(W)).max()


def _power_norms(M: np.ndarray) -> np.ndarray:
    P, norms = np.eye(len(M)), []
    for _ in STEPS:
        norms.append(np.linalg.norm(P, 2))
        P = M @ P
    return np.array(norms)


def _radius_frame(rho: float, W: np.ndarray) -> dict:
    random_norms = _power_norms(rho * W)
    shear_norms = _power_norms(rho * SHEAR)
    final = random_norms[-1]
    verdict = "vanishes" if rho < 0.97 else "explodes" if rho > 1.03 else "keeps roughly its size"
    return {
        "data": [
            {
                "type": "scatter",
                "x": STEPS,
                "y": rho**STEPS,
                "mode": "lines",
                "name": "ρ^t",
                "line": {"color": "#6b7280", "dash": "dot"},
            },
            {
                "type": "scatter",
                "x": STEPS,
                "y": random_norms,
                "mode": "lines",
                "name": "random 6×6 W, rescaled to radius ρ",
                "line": {"color": "#2563eb", "width": 3},
            },
            {
                "type": "scatter",
                "x": STEPS,
                "y": shear_norms,
                "mode": "lines",
                "name": "non-normal ρ·[[1, 5], [0, 1]]",
                "line": {"color": "#10b981", "dash": "dash"},
            },
        ],
        "layout": {
            "title": {"text": f"ρ = {rho:.3f}: ‖W^40‖₂ ≈ {final:.2g}, the gradient {verdict}"},
            "xaxis": {"title": {"text": "time step t"}, "range": [0, 40]},
            "yaxis": {
                "title": {"text": "‖W^t‖₂ (log scale)"},
                "type": "log",
                "range": [-7, 7],
            },
            "height": 420,
        },
    }


def radius_explorable() -> Explorable:
    W = _unit_radius_matrix()
    return Explorable(
        params=[Param("rho", "spectral radius $\\rho$", RADII, initial=1.0)],
        build=lambda rho: _radius_frame(rho, W),
    )


def figures() -> dict[str, go.Figure | Explorable]:
    rng = np.random.default_rng(7)
    W = rng.normal(scale=1 / np.sqrt(6), size=(6, 6))
    W = W / np.abs(np.linalg.eigvals(W)).max()
    steps = np.arange(41)
    fig = go.Figure()
    for rho, colour in [(0.8, "#1e3a8a"), (1.0, "#6b7280"), (1.2, "#b91c1c")]:
        M, norms = np.eye(6), []
        for _ in steps:
            norms.append(np.linalg.norm(M, 2))
            M = rho * W @ M
        fig.add_scatter(x=steps, y=norms, name=f"spectral radius {rho}", line={"color": colour})
    shear = 0.9 * np.array([[1.0, 5.0], [0.0, 1.0]])
    fig.add_scatter(
        x=steps,
        y=[np.linalg.norm(np.linalg.matrix_power(shear, t), 2) for t in steps],
        name="non-normal 0.9·[[1, 5], [0, 1]]",
        line={"color": "#10b981", "dash": "dash"},
    )
    fig.update_yaxes(type="log")
    fig.update_layout(
        title={"text": "‖W^t‖₂ for one matrix rescaled to three spectral radii"},
        xaxis_title="time step t",
        yaxis_title="spectral norm (log scale)",
        height=400,
    )
    return {"norms": fig, "radius": radius_explorable()}
