import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots


def _f(x: np.ndarray) -> float:
    return float((1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2)


def _grad(x: np.ndarray) -> np.ndarray:
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])


def _hess(x: np.ndarray) -> np.ndarray:
    return np.array([[2 - 400 * x[1] + 1200 * x[0] ** 2, -400 * x[0]], [-400 * x[0], 200.0]])


def _backtrack(x: np.ndarray, g: np.ndarray, p: np.ndarray) -> float:
    alpha, fx, slope = 1.0, _f(x), float(g @ p)
    for _ in range(40):
        if _f(x + alpha * p) <= fx + 1e-4 * alpha * slope:
            return alpha
        alpha *= 0.5
    return 0.0


def _gradient_descent(x0: np.ndarray, steps: int) -> np.ndarray:
    x, path = x0.copy(), [x0.copy()]
    for _ in range(steps):
        g = _grad(x)
        x = x + _backtrack(x, g, -g) * -g
        path.append(x.copy())
    return np.array(path)


def _bfgs(x0: np.ndarray, steps: int) -> np.ndarray:
    x, m, g, path = x0.copy(), np.eye(2), _grad(x0), [x0.copy()]
    for _ in range(steps):
        p = -m @ g
        new = x + _backtrack(x, g, p) * p
        g_new = _grad(new)
        s, y = new - x, g_new - g
        if y @ s > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
            rho = 1.0 / (y @ s)
            a = np.eye(2) - rho * np.outer(y, s)
            m = a.T @ m @ a + rho * np.outer(s, s)
        x, g = new, g_new
        path.append(x.copy())
    return np.array(path)


def _newton(x0: np.ndarray, steps: int) -> np.ndarray:
    x, path = x0.copy(), [x0.copy()]
    for _ in range(steps):
        x = x - np.linalg.solve(_hess(x), _grad(x))
        path.append(x.copy())
    return np.array(path)


def figures() -> dict[str, go.Figure]:
    x0 = np.array([-1.2, 1.0])
    runs = {
        "gradient descent + backtracking": (_gradient_descent(x0, 1000), "#2563eb"),
        "BFGS + backtracking": (_bfgs(x0, 40), "#f97316"),
        "Newton (exact Hessian)": (_newton(x0, 8), "#10b981"),
    }
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("paths on log(1 + f)", "gradient norm by step"),
        column_widths=[0.5, 0.5],
    )
    xs, ys = np.linspace(-1.6, 1.4, 70), np.linspace(-0.6, 1.6, 70)
    gx, gy = np.meshgrid(xs, ys)
    fig.add_trace(
        go.Contour(
            x=xs,
            y=ys,
            z=np.log1p((1 - gx) ** 2 + 100 * (gy - gx**2) ** 2),
            colorscale="Greys",
            showscale=False,
            ncontours=20,
            contours={"coloring": "lines"},
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    for name, (path, colour) in runs.items():
        shown = path[:: max(1, len(path) // 60)]
        fig.add_scatter(
            x=shown[:, 0],
            y=shown[:, 1],
            mode="lines+markers",
            marker={"size": 3},
            name=name,
            line={"color": colour},
            row=1,
            col=1,
        )
        norms = np.maximum([np.linalg.norm(_grad(p)) for p in path[:60]], 1e-16)
        fig.add_scatter(
            x=np.arange(norms.size),
            y=norms,
            mode="lines",
            name=name,
            line={"color": colour},
            showlegend=False,
            row=1,
            col=2,
        )
    fig.update_yaxes(type="log", row=1, col=2)
    fig.update_xaxes(title_text="step t", row=1, col=2)
    fig.update_layout(
        title={"text": "the Rosenbrock function from (−1.2, 1): first 60 steps of each method"},
        height=420,
    )
    return {"rosenbrock": fig}
