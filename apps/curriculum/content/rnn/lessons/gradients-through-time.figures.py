import numpy as np
import plotly.graph_objects as go


def figures() -> dict[str, go.Figure]:
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
    return {"norms": fig}
