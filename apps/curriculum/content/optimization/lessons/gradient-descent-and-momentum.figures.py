import numpy as np
import plotly.graph_objects as go


def figures() -> dict[str, go.Figure]:
    a = np.diag([1.0, 25.0])
    x0 = np.array([-4.0, 1.5])
    lr = 0.075
    gd, x = [x0], x0.copy()
    for _ in range(40):
        x = x - lr * (a @ x)
        gd.append(x)
    mom, x, v = [x0], x0.copy(), np.zeros(2)
    for _ in range(40):
        v = 0.7 * v + a @ x
        x = x - 0.03 * v
        mom.append(x)
    xs, ys = np.linspace(-4.5, 1.0, 60), np.linspace(-2.0, 2.0, 60)
    gx, gy = np.meshgrid(xs, ys)
    fig = go.Figure()
    fig.add_contour(
        x=xs,
        y=ys,
        z=0.5 * (gx**2 + 25 * gy**2),
        colorscale="Greys",
        showscale=False,
        ncontours=20,
        contours={"coloring": "lines"},
        name="loss",
    )
    for path, name, colour in (
        (np.array(gd), "gradient descent, lr = 0.075", "#2563eb"),
        (np.array(mom), "momentum, lr = 0.03, beta = 0.7", "#f97316"),
    ):
        fig.add_scatter(
            x=path[:, 0],
            y=path[:, 1],
            mode="lines+markers",
            name=name,
            marker={"size": 4},
            line={"color": colour},
        )
    fig.update_layout(
        title={"text": "40 steps on f = (x1² + 25 x2²) / 2, condition number 25"},
        xaxis_title="x₁",
        yaxis_title="x₂",
        height=400,
    )
    return {"paths": fig}
