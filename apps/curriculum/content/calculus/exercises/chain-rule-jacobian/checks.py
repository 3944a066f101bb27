import numpy as np

from apps.sandbox.grading import Call, Grader, plots


def _layer(W, b, x):
    return np.tanh(W @ x + b)


def _two(W1, b1, W2, b2, x):
    return np.tanh(W2 @ np.tanh(W1 @ x + b1) + b2)


def _fd_jacobian(fn, x, eps=1e-6):
    x = np.asarray(x, dtype=float)
    columns = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = eps
        columns.append((fn(x + step) - fn(x - step)) / (2 * eps))
    return np.stack(columns, axis=1)


def cases(rng: np.random.Generator) -> list[Call]:
    n, m, k = int(rng.integers(4, 7)), int(rng.integers(2, 4)), 2

    def layer(rows, cols, scale=1.0):
        return (
            rng.normal(size=(rows, cols)) / np.sqrt(cols),
            0.5 * rng.normal(size=rows),
            scale * rng.normal(size=cols),
        )

    W, b, x = layer(m, n)
    Ws, bs, xs = layer(4, 4)
    W1, b1, x2 = layer(m + 2, n)
    W2, b2 = rng.normal(size=(k, m + 2)), 0.5 * rng.normal(size=k)
    Wo, bo, xo = layer(1, n)
    Wt, bt, xt = layer(m, n, scale=8.0)
    return [
        Call(
            "layer", "tanh_layer_jacobian", (W, b, x), label=f"a layer with W of shape ({m}, {n})"
        ),
        Call(
            "square",
            "tanh_layer_jacobian",
            (Ws, bs, xs),
            label="a layer with a square W of shape (4, 4)",
        ),
        Call(
            "single",
            "tanh_layer_jacobian",
            (Wo, bo, xo),
            label=f"a single unit, W of shape (1, {n})",
        ),
        Call(
            "saturated",
            "tanh_layer_jacobian",
            (Wt, bt, xt),
            label="a layer with a large input (saturated tanh)",
        ),
        Call(
            "two",
            "two_layer_jacobian",
            (W1, b1, W2, b2, x2),
            label=f"two layers with W1 of shape ({m + 2}, {n}) and W2 of shape ({k}, {m + 2})",
        ),
        Call(
            "two_square",
            "two_layer_jacobian",
            (Ws, bs, Ws.T.copy(), -bs, xs),
            label="two square 4x4 layers",
        ),
    ]


def _fd(g: Grader, key: str) -> np.ndarray:
    args = [np.asarray(a, dtype=float) for a in g.args(key)]
    if g.call(key).func == "tanh_layer_jacobian":
        W, b, x = args
        return _fd_jacobian(lambda v: _layer(W, b, v), x)
    W1, b1, W2, b2, x = args
    return _fd_jacobian(lambda v: _two(W1, b1, W2, b2, v), x)


def grade(g: Grader) -> None:
    tanh_hint = "The Jacobian of the tanh layer is diag(1 - tanh^2(W x + b)) W: the derivative 1 - tanh^2 of each unit scales the rows of W, one row per output"
    g.check_close(
        "one layer matches finite differences",
        "layer",
        rtol=1e-5,
        atol=1e-7,
        points=2,
        expected=_fd(g, "layer"),
        hint=tanh_hint,
    )
    g.check_close(
        "a square layer (rows, not columns)",
        "square",
        rtol=1e-5,
        atol=1e-7,
        points=2,
        expected=_fd(g, "square"),
        hint="diag(d) W scales the rows of W by d, i.e. d[:, None] * W; W * d scales columns",
    )
    g.check_close(
        "a single output unit",
        "single",
        rtol=1e-5,
        atol=1e-7,
        points=1,
        expected=_fd(g, "single"),
        hint="With m = 1 the Jacobian is a (1, n) row: keep both axes",
    )
    g.check_close(
        "a saturated tanh has a tiny Jacobian",
        "saturated",
        rtol=1e-5,
        atol=1e-7,
        points=1,
        expected=_fd(g, "saturated"),
        hint=tanh_hint,
    )
    order_hint = "By the chain rule J = J_2(h_1) J_1(x), outer map on the left, with the second layer's Jacobian taken at h_1 = tanh(W1 x + b1)"
    g.check_close(
        "two layers by the chain rule",
        "two",
        rtol=1e-5,
        atol=1e-7,
        points=2,
        expected=_fd(g, "two"),
        hint=order_hint,
    )
    g.check_close(
        "two square layers",
        "two_square",
        rtol=1e-5,
        atol=1e-7,
        points=2,
        expected=_fd(g, "two_square"),
        hint=order_hint,
    )


def figures(g: Grader) -> None:
    fig = plots.heatmap_pair(
        g.try_array("two"),
        np.asarray(g.expected("two")),
        title="Jacobian of the two-layer network: rows are outputs, columns are inputs",
    )
    top = float(np.abs(np.asarray(g.expected("two"))).max()) or 1.0
    fig.update_traces(zmin=-top, zmax=top)  # one colour scale for both panels
    g.figure(fig)
