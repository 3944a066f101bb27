import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots


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
    if n == m + 2:  # the hidden width differs from the input width: a Jacobian taken at the
        n += 1  # wrong point then fails the same way (a shape error) under every seed

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
    # The yardstick is a central difference of the map itself (error about 1e-10), so the
    # default tolerances apply.
    for key, name, points in (
        ("layer", "one layer matches finite differences", 2),
        ("square", "a square layer (rows, not columns)", 2),
        ("single", "a single output unit", 1),
        ("saturated", "a saturated tanh has a tiny Jacobian", 1),
        ("two", "two layers by the chain rule", 2),
        ("two_square", "two square layers", 2),
    ):
        g.check_close(name, key, points=points, expected=_fd(g, key))


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _arrays(*values):
    return (np.asarray(v, dtype=float) for v in values)


def _layer_with(slope):
    def jacobian(W, b, x):
        W, b, x = _arrays(W, b, x)
        return slope(W @ x + b)[:, None] * W

    return jacobian


def _two_with(layer, at=lambda W1, b1, x: np.tanh(W1 @ x + b1), order=1):
    def jacobian(W1, b1, W2, b2, x):
        W1, b1, W2, b2, x = _arrays(W1, b1, W2, b2, x)
        outer, inner = layer(W2, b2, at(W1, b1, x)), layer(W1, b1, x)
        return outer @ inner if order == 1 else inner @ outer

    return jacobian


_right = _layer_with(lambda z: 1.0 - np.tanh(z) ** 2)


def _columns_scaled(W, b, x):
    W, b, x = _arrays(W, b, x)
    return W * (1.0 - np.tanh(W @ x + b) ** 2)


def _no_derivative(W, b, x):
    return np.asarray(W, dtype=float)


def _both(layer):
    return {"tanh_layer_jacobian": layer, "two_layer_jacobian": _two_with(layer)}


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "columns-scaled",
            diagnosis=(
                "You multiply W by the slopes 1 - tanh^2 along its last axis, which scales the "
                "columns (one per input) instead of the rows (one per output unit); for a "
                "non-square W the shapes do not even broadcast."
            ),
            fix="diag(d) W scales the rows: d[:, None] * W.",
            wrong=_both(_columns_scaled),
        ),
        Mistake(
            "no-activation-derivative",
            diagnosis=(
                "You return W (and W2 W1) without the derivative of tanh: that is the Jacobian "
                "of the linear part alone."
            ),
            fix="Multiply each row i of W by 1 - tanh(z_i)^2, with z = W x + b.",
            wrong={
                "tanh_layer_jacobian": _no_derivative,
                "two_layer_jacobian": lambda W1, b1, W2, b2, x: (
                    np.asarray(W2, dtype=float) @ np.asarray(W1, dtype=float)
                ),
            },
        ),
        Mistake(
            "pre-activation-squared",
            diagnosis=(
                "You use 1 - z^2 with the pre-activation z = W x + b; the derivative of tanh is "
                "1 - tanh(z)^2, the square of the activation."
            ),
            fix="Square h = tanh(z): (1 - h**2)[:, None] * W.",
            wrong=_both(_layer_with(lambda z: 1.0 - z**2)),
        ),
        Mistake(
            "tanh-twice",
            diagnosis=(
                "You apply tanh twice: with h = tanh(z) already, 1 - tanh(h)^2 is the slope at "
                "the wrong point; the slope is 1 - h^2."
            ),
            fix="Use 1 - h**2 where h = tanh(W x + b).",
            wrong=_both(_layer_with(lambda z: 1.0 - np.tanh(np.tanh(z)) ** 2)),
        ),
        Mistake(
            "inner-first",
            diagnosis=(
                "You multiply the Jacobians inner first, J1 @ J2: by the chain rule the outer "
                "map's Jacobian stands on the left, J = J2(h1) J1(x)."
            ),
            fix="Return J2 @ J1.",
            wrong={"two_layer_jacobian": _two_with(_right, order=2)},
        ),
        Mistake(
            "outer-at-x",
            diagnosis=(
                "You evaluate the second layer's Jacobian at the input x; by the chain rule it "
                "is taken at the hidden activation h1 = tanh(W1 x + b1)."
            ),
            fix="Compute h1 first and pass it to the second layer: J2(h1) @ J1(x).",
            wrong={"two_layer_jacobian": _two_with(_right, at=lambda W1, b1, x: x)},
        ),
        Mistake(
            "hidden-without-tanh",
            diagnosis=(
                "You evaluate the second layer at the pre-activation W1 x + b1 instead of the "
                "hidden activation h1 = tanh(W1 x + b1)."
            ),
            fix="Apply tanh before passing the hidden values to the second layer.",
            wrong={"two_layer_jacobian": _two_with(_right, at=lambda W1, b1, x: W1 @ x + b1)},
        ),
    ]


def figures(g: Grader) -> None:
    fig = plots.heatmap_pair(
        g.try_array("two"),
        np.asarray(g.expected("two")),
        title="Jacobian of the two-layer network: rows are outputs, columns are inputs",
    )
    top = float(np.abs(np.asarray(g.expected("two"))).max()) or 1.0
    fig.update_traces(zmin=-top, zmax=top)  # one colour scale for both panels
    g.figure(fig)
