import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

BLUE, ORANGE, GREEN, GREY, PURPLE = "#2563eb", "#f97316", "#10b981", "#6b7280", "#a855f7"


def _alpha(s: np.ndarray) -> np.ndarray:
    """Fraction of a semicircle on [-2, 2], shifted by s, that lies below zero."""
    s = np.clip(s, -2.0, 2.0)
    return 0.5 - s * np.sqrt(4 - s**2) / (4 * np.pi) - np.arcsin(s / 2) / np.pi


def _goe(rng: np.random.Generator, count: int, n: int) -> np.ndarray:
    a = rng.normal(size=(count, n, n))
    return (a + np.swapaxes(a, 1, 2)) / np.sqrt(2 * n)


def _grad(p: np.ndarray) -> np.ndarray:
    return np.array([p[0], p[1] ** 3 - p[1]])


def _hess(p: np.ndarray) -> np.ndarray:
    return np.diag([1.0, 3 * p[1] ** 2 - 1])


def figures() -> dict[str, go.Figure]:
    rng = np.random.default_rng(7)

    # Index fraction of shifted GOE matrices against the semicircle formula, and P(minimum) by n.
    shifts = np.linspace(-2.5, 2.5, 11)
    base = np.linalg.eigvalsh(_goe(rng, 8, 150))
    sampled = [np.mean(base + s < 0) for s in shifts]
    dims = np.arange(1, 5)
    p_min = [np.mean(np.linalg.eigvalsh(_goe(rng, 40000, n)).min(axis=1) > 0) for n in dims]
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("index fraction of H = W + sI, n = 150", "P(every eigenvalue > 0), GOE"),
    )
    grid = np.linspace(-2.5, 2.5, 201)
    fig.add_scatter(
        x=grid,
        y=_alpha(grid),
        name="semicircle law α(s)",
        line={"color": ORANGE, "width": 3},
        row=1,
        col=1,
    )
    fig.add_scatter(
        x=shifts,
        y=sampled,
        mode="markers",
        name="8 sampled matrices",
        marker={"color": BLUE, "size": 9},
        row=1,
        col=1,
    )
    fig.add_scatter(
        x=dims,
        y=p_min,
        mode="lines+markers",
        name="sampled GOE",
        line={"color": BLUE},
        row=1,
        col=2,
    )
    fig.add_scatter(
        x=dims,
        y=0.5**dims,
        mode="lines+markers",
        name="independent signs: 2^(−n)",
        line={"color": GREY, "dash": "dash"},
        row=1,
        col=2,
    )
    fig.update_yaxes(type="log", row=1, col=2)
    fig.update_xaxes(title_text="shift s (larger at lower loss)", row=1, col=1)
    fig.update_xaxes(title_text="dimension n", dtick=1, row=1, col=2)
    fig.update_layout(
        title={"text": "random Hessians: minima are rare unless the spectrum is shifted up"},
        height=400,
    )

    # Paths near the saddle of f = x^2/2 - y^2/2 + y^4/4.
    def gd(start, noise):
        p, path = np.array(start, dtype=float), [np.array(start, dtype=float)]
        for step in noise:
            p = p - 0.1 * _grad(p) + step
            path.append(p.copy())
        return np.array(path)

    def newton(start, steps, absolute):
        p, path = np.array(start, dtype=float), [np.array(start, dtype=float)]
        for _ in range(steps):
            values, vectors = np.linalg.eigh(_hess(p))
            if absolute:
                values = np.abs(values)
            p = p - vectors @ ((vectors.T @ _grad(p)) / values)
            path.append(p.copy())
        return np.array(path)

    runs = {
        "gradient descent from (1, 0), no noise": (gd([1.0, 0.0], np.zeros((120, 2))), GREY),
        "gradient descent from (1, 0), noise 10⁻³": (
            gd([1.0, 0.0], 1e-3 * rng.normal(size=(120, 2))),
            BLUE,
        ),
        "Newton from (1, 0.3)": (newton([1.0, 0.3], 6, False), ORANGE),
        "saddle-free Newton from (1, 0.3)": (newton([1.0, 0.3], 8, True), GREEN),
    }
    xs, ys = np.linspace(-1.2, 1.2, 60), np.linspace(-1.5, 1.5, 60)
    gx, gy = np.meshgrid(xs, ys)
    saddle = go.Figure()
    saddle.add_contour(
        x=xs,
        y=ys,
        z=0.5 * gx**2 - 0.5 * gy**2 + 0.25 * gy**4,
        colorscale="Greys",
        showscale=False,
        ncontours=24,
        contours={"coloring": "lines"},
        name="f",
    )
    for name, (path, colour) in runs.items():
        saddle.add_scatter(
            x=path[:, 0],
            y=path[:, 1],
            mode="lines+markers",
            marker={"size": 4},
            name=name,
            line={"color": colour},
        )
    saddle.add_scatter(
        x=[0.0, 0.0, 0.0],
        y=[0.0, 1.0, -1.0],
        mode="markers",
        marker={"size": 11, "color": PURPLE, "symbol": "x"},
        name="saddle (0, 0) and minima (0, ±1)",
    )
    saddle.update_layout(
        title={"text": "f = x²/2 − y²/2 + y⁴/4: noise escapes the saddle, Newton converges to it"},
        xaxis_title="x",
        yaxis_title="y",
        height=440,
    )
    return {"random-hessians": fig, "saddle": saddle}
