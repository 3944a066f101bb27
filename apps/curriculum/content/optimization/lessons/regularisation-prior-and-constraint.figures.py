import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

BLUE, ORANGE, GREEN, GREY = "#2563eb", "#f97316", "#10b981", "#6b7280"


def _cauchy_shrink(z: np.ndarray, lam: float, scale: float) -> np.ndarray:
    """argmin_w (w - z)^2 / 2 + lam log(1 + w^2 / scale^2), by a fine grid (the objective is not convex)."""
    grid = np.linspace(-4.5, 4.5, 3001)
    objective = (
        0.5 * (grid[None, :] - z[:, None]) ** 2 + lam * np.log1p((grid / scale) ** 2)[None, :]
    )
    return grid[np.argmin(objective, axis=1)]


def _soft(z: np.ndarray, t: float) -> np.ndarray:
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def figures() -> dict[str, go.Figure]:
    # Priors as penalties, and what each does to one coefficient.
    w = np.linspace(-3, 3, 301)
    pen = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=(
            "penalty = −log prior (up to a constant)",
            "the minimiser of ½(w − z)² + penalty",
        ),
    )
    for y, name, colour in (
        (0.5 * w**2, "Gaussian prior: w²/2", BLUE),
        (np.abs(w), "Laplace prior: |w|", ORANGE),
        (np.log1p(w**2), "Cauchy prior: log(1 + w²)", GREEN),
    ):
        pen.add_scatter(x=w, y=y, name=name, line={"color": colour, "width": 3}, row=1, col=1)
    z = np.linspace(-4, 4, 201)
    pen.add_scatter(x=z, y=z, name="no penalty", line={"color": GREY, "dash": "dot"}, row=1, col=2)
    pen.add_scatter(
        x=z, y=z / 2, name="L2, λ = 1: z / 2", line={"color": BLUE}, showlegend=False, row=1, col=2
    )
    pen.add_scatter(
        x=z,
        y=_soft(z, 1.0),
        name="L1, λ = 1: soft threshold",
        line={"color": ORANGE},
        showlegend=False,
        row=1,
        col=2,
    )
    pen.add_scatter(
        x=z,
        y=_cauchy_shrink(z, 0.6, 0.3),
        name="Cauchy: 0.6 log(1 + (w/0.3)²)",
        line={"color": GREEN},
        showlegend=False,
        row=1,
        col=2,
    )
    pen.update_xaxes(title_text="w", row=1, col=1)
    pen.update_xaxes(title_text="least-squares value z", row=1, col=2)
    pen.update_layout(
        title={"text": "three priors, three ways of shrinking a coefficient"}, height=400
    )

    # The same loss constrained to an L2 ball and to an L1 ball of radius 1.
    centre = np.array([2.0, 0.45])
    q = np.array([[1.0, 0.35], [0.35, 0.6]])
    xs, ys = np.linspace(-1.5, 2.6, 50), np.linspace(-1.5, 1.5, 40)
    gx, gy = np.meshgrid(xs, ys)
    d = np.stack([gx - centre[0], gy - centre[1]], axis=-1)
    loss = np.einsum("...i,ij,...j->...", d, q, d)
    angle = np.linspace(0, 2 * np.pi, 4001)
    circle = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    diamond = circle / np.abs(circle).sum(axis=1, keepdims=True)

    def best(points: np.ndarray) -> np.ndarray:
        diff = points - centre
        return points[np.argmin(np.einsum("ni,ij,nj->n", diff, q, diff))]

    balls = go.Figure()
    balls.add_contour(
        x=xs,
        y=ys,
        z=loss,
        colorscale="Greys",
        showscale=False,
        ncontours=25,
        contours={"coloring": "lines"},
        name="loss",
    )
    for shape, name, colour in ((circle, "L2 ball", BLUE), (diamond, "L1 ball", ORANGE)):
        shown = shape[::20]
        balls.add_scatter(
            x=shown[:, 0], y=shown[:, 1], name=name, line={"color": colour, "width": 3}
        )
        point = best(shape)
        balls.add_scatter(
            x=[point[0]],
            y=[point[1]],
            mode="markers",
            marker={"size": 12, "color": colour, "symbol": "x"},
            name=f"{name} solution ({point[0]:.2f}, {point[1]:.2f})",
        )
    balls.add_scatter(
        x=[centre[0]],
        y=[centre[1]],
        mode="markers",
        marker={"size": 10, "color": GREY},
        name="unconstrained minimum",
    )
    balls.update_yaxes(scaleanchor="x", scaleratio=1)
    balls.update_layout(
        title={
            "text": "the same loss inside two balls of radius 1: the L1 solution sits on a corner"
        },
        xaxis_title="w₁",
        yaxis_title="w₂",
        height=420,
    )

    # Regularisation paths: ridge shrinks every coefficient, the lasso zeroes them one by one.
    rng = np.random.default_rng(4)
    n, dim = 60, 5
    x = rng.normal(size=(n, dim)) @ np.diag([1.0, 0.8, 1.2, 0.6, 1.0])
    target = x @ np.array([1.5, -1.0, 0.6, 0.0, 0.3]) + 0.5 * rng.normal(size=n)
    gram, corr = x.T @ x / n, x.T @ target / n
    step = 1.0 / np.linalg.eigvalsh(gram).max()
    lam_max = np.abs(corr).max()
    lams = lam_max * np.logspace(0.05, -3, 40)
    lasso, w_now = [], np.zeros(dim)
    for lam in lams:  # warm starts along the path
        for _ in range(300):
            w_now = _soft(w_now - step * (gram @ w_now - corr), step * lam)
        lasso.append(w_now.copy())
    ridge = [np.linalg.solve(gram + lam * np.eye(dim), corr) for lam in lams]
    paths = make_subplots(rows=1, cols=2, subplot_titles=("lasso (L1)", "ridge (L2)"))
    palette = [BLUE, ORANGE, GREEN, GREY, "#a855f7"]
    for j in range(dim):
        paths.add_scatter(
            x=lams,
            y=np.array(lasso)[:, j],
            name=f"w{j + 1}",
            line={"color": palette[j]},
            row=1,
            col=1,
        )
        paths.add_scatter(
            x=lams,
            y=np.array(ridge)[:, j],
            name=f"w{j + 1}",
            line={"color": palette[j]},
            showlegend=False,
            row=1,
            col=2,
        )
    paths.update_xaxes(type="log", title_text="λ (log scale)", autorange="reversed")
    paths.update_layout(
        title={
            "text": "regularisation paths from λ_max down: the lasso adds coefficients one at a time"
        },
        height=400,
    )
    return {"penalties": pen, "balls": balls, "paths": paths}
