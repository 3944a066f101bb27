import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param


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
        try:
            x = x - np.linalg.solve(_hess(x), _grad(x))
        except np.linalg.LinAlgError:  # a singular Hessian: Newton's step is undefined
            break
        if np.abs(x).max() > 1e3:
            break
        path.append(x.copy())
    return np.array(path)


# ----- explorable: the starting point ------------------------------------------------------
STARTS_X = [-1.5, -1.2, -0.8, -0.4, 0.0, 0.4, 0.8, 1.2]
STARTS_Y = [-0.5, 0.0, 0.5, 1.0, 1.5]
MINIMUM = np.array([1.0, 1.0])
TOLERANCE = 1e-5
SHOWN_STEPS = 60
METHODS = (
    ("gradient descent + backtracking", "#2563eb"),
    ("BFGS + backtracking", "#f97316"),
    ("Newton (exact Hessian)", "#10b981"),
)
CONTOUR_X, CONTOUR_Y = np.linspace(-2.0, 2.0, 60), np.linspace(-1.0, 3.0, 60)


def _steps_to_minimum(path: np.ndarray) -> str:
    """The first step within TOLERANCE of (1, 1), or how far the last step still is."""
    errors = np.linalg.norm(path - MINIMUM, axis=1)
    close = np.flatnonzero(errors < TOLERANCE)
    if close.size:
        return str(int(close[0]))
    return f"> {len(path) - 1} ({errors[-1]:.2g} away)"


def _rosenbrock_frame(x0: float, y0: float) -> dict:
    start = np.array([x0, y0])
    paths = [_gradient_descent(start, 1000), _bfgs(start, 100), _newton(start, 30)]
    gx, gy = np.meshgrid(CONTOUR_X, CONTOUR_Y)
    data: list[dict] = [
        {
            "type": "contour",
            "x": CONTOUR_X,
            "y": CONTOUR_Y,
            "z": np.log1p((1 - gx) ** 2 + 100 * (gy - gx**2) ** 2),
            "colorscale": "Greys",
            "showscale": False,
            "ncontours": 20,
            "contours": {"coloring": "lines"},
            "showlegend": False,
            "hoverinfo": "skip",
        }
    ]
    for (name, colour), path in zip(METHODS, paths, strict=True):
        shown = path[: SHOWN_STEPS + 1]
        data.append(
            {
                "type": "scatter",
                "x": shown[:, 0],
                "y": shown[:, 1],
                "mode": "lines+markers",
                "marker": {"size": 4},
                "line": {"color": colour},
                "name": name,
            }
        )
        norms = [float(np.linalg.norm(_grad(p))) for p in shown]
        data.append(
            {
                "type": "scatter",
                "x": np.arange(len(norms)),
                "y": np.maximum(norms, 1e-16),
                "mode": "lines",
                "line": {"color": colour},
                "name": name,
                "showlegend": False,
                "xaxis": "x2",
                "yaxis": "y2",
            }
        )
    counts = [_steps_to_minimum(path) for path in paths]
    return {
        "data": data,
        "layout": {
            "title": {
                "text": (
                    f"start ({x0:g}, {y0:g}), steps to within 10⁻⁵ of (1, 1):"
                    f" GD {counts[0]}, BFGS {counts[1]}, Newton {counts[2]}"
                )
            },
            "xaxis": {"title": {"text": "x"}, "range": [-2, 2], "domain": [0, 0.48]},
            "yaxis": {"title": {"text": "y"}, "range": [-1, 3]},
            "xaxis2": {
                "title": {"text": f"step t (first {SHOWN_STEPS})"},
                "range": [0, SHOWN_STEPS],
                "domain": [0.58, 1],
                "anchor": "y2",
            },
            "yaxis2": {
                "title": {"text": "gradient norm ‖∇f‖ (log scale)"},
                "type": "log",
                "range": [-16, 4],
                "exponentformat": "power",
                "anchor": "x2",
            },
            "legend": {"orientation": "h", "y": -0.2},
            "height": 480,
        },
    }


def rosenbrock_explorable() -> Explorable:
    return Explorable(
        params=[
            Param("x0", "start $x_0$", STARTS_X, initial=-1.2),
            Param("y0", "start $y_0$", STARTS_Y, initial=1.0),
        ],
        build=_rosenbrock_frame,
    )


def figures() -> dict[str, go.Figure | Explorable]:
    return {"rosenbrock": rosenbrock_explorable()}
