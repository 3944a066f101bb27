import numpy as np

from apps.sandbox.grading import Call, FnSpec, Grader, Mistake, plots

EPSILONS = tuple(float(e) for e in np.geomspace(1e-1, 1e-12, 12))

VECTOR = FnSpec(
    source="def f(x):\n    return float(np.sum(np.exp(x)) + 0.5 * x @ A @ x)",
    name="f",
    env={},
)
MATRIX = FnSpec(source="def f(X):\n    return float(np.sum(np.tanh(X @ B)))", name="f")
FIELD = FnSpec(
    source=(
        "def f(X):\n"
        "    u, v = X[0], X[1]\n"
        "    return float(np.sum(0.5 * u**2 + v**2 + np.sin(u * v)))\n"
    ),
    name="f",
)
CUBIC = FnSpec(source="def f(x):\n    return float(np.sum(np.exp(x)))", name="f")
POLY = FnSpec(source="def f(x):\n    return float(np.sum(x**3 - 2.0 * x))", name="f")
GRID = np.linspace(-2.0, 2.0, 7)


def _with(spec: FnSpec, **env) -> FnSpec:
    return FnSpec(source=spec.source, name=spec.name, env=env)


def _exact(key: str, x: np.ndarray, spec: FnSpec) -> np.ndarray:
    if key == "vector":
        A = spec.env["A"]
        return np.exp(x) + 0.5 * (A + A.T) @ x
    if key == "matrix":
        B = spec.env["B"]
        return (1.0 - np.tanh(x @ B) ** 2) @ B.T
    if key == "field":
        u, v = x
        return np.stack([u + v * np.cos(u * v), 2 * v + u * np.cos(u * v)])
    if key in ("scalar", "integer"):
        return 3.0 * np.asarray(x, dtype=float) ** 2 - 2.0
    raise KeyError(key)


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(4, 7))
    A = rng.normal(size=(n, n))
    B = rng.normal(size=(4, 2))
    u, v = np.meshgrid(GRID, GRID)
    calls = [
        Call(
            "vector",
            "numerical_gradient",
            (_with(VECTOR, A=A), rng.normal(size=n)),
            label=f"f(x) = sum(exp(x)) + x^T A x / 2 with x of shape ({n},)",
        ),
        Call(
            "matrix",
            "numerical_gradient",
            (_with(MATRIX, B=B), rng.normal(size=(3, 4))),
            label="f(X) = sum(tanh(X B)) with X of shape (3, 4)",
        ),
        Call(
            "field",
            "numerical_gradient",
            (FIELD, np.stack([u, v])),
            label="f summed over a 7x7 grid of points, x of shape (2, 7, 7)",
        ),
        Call(
            "scalar",
            "numerical_gradient",
            (POLY, float(rng.uniform(0.5, 2.0))),
            label="f(x) = x^3 - 2x at a plain float x",
        ),
        Call(
            "integer",
            "numerical_gradient",
            (POLY, np.array([1, 2, -3])),
            label="f(x) = sum(x^3 - 2x) at the integer array [1, 2, -3]",
        ),
    ]
    calls += [
        Call(
            f"eps{i}",
            "numerical_gradient",
            (CUBIC, np.array([1.0])),
            {"eps": eps},
            label=f"f(x) = exp(x) at x = 1 with eps = {eps:.0e}",
        )
        for i, eps in enumerate(EPSILONS)
    ]
    return calls


def grade(g: Grader) -> None:
    # Against the exact gradient: a float64 central difference with eps = 1e-5 is off by about
    # 1e-10 (truncation) plus 1e-11 |f| (rounding), far inside these bounds; a forward
    # difference is off by about 5e-6 |f''|, far outside.
    for key, name, points in (
        ("vector", "accurate on a vector", 2),
        ("matrix", "keeps the shape of a matrix", 2),
        ("field", "works on a 3-axis array", 2),
    ):
        spec, x = g.args(key)
        g.check_close(
            name,
            key,
            rtol=1e-7,
            atol=1e-7,
            points=points,
            expected=_exact(key, np.asarray(x), spec),
        )
    # The expected value takes the reference's shape as it comes back over the wire (a 0-d result).
    scalar_shape = np.shape(g.expected("scalar"))
    g.check_close(
        "works on a single number",
        "scalar",
        rtol=1e-7,
        atol=1e-7,
        points=1,
        expected=np.reshape(_exact("scalar", np.asarray(g.args("scalar")[1]), POLY), scalar_shape),
    )
    g.check_close(
        "treats an integer array as floats",
        "integer",
        rtol=1e-7,
        atol=1e-7,
        points=1,
        expected=_exact("integer", np.asarray(g.args("integer")[1]), POLY),
    )
    g.check_close("uses the eps it is given", "eps0", points=2)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _steps(x, eps):
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        yield index, step


def _flat(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    return np.array([(f(x + s) - f(x - s)) / (2 * eps) for _, s in _steps(x, eps)])


def _forward(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    grad, f0 = np.zeros_like(x), f(x)
    for index, s in _steps(x, eps):
        grad[index] = (f(x + s) - f0) / eps
    return grad


def _integer_inplace(f, x, eps=1e-5):
    x = np.array(x)
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        f_plus = f(x)
        x[index] = original - eps
        f_minus = f(x)
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


def _divides_by_eps(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index, s in _steps(x, eps):
        grad[index] = (f(x + s) - f(x - s)) / eps
    return grad


def _fixed_step(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index, s in _steps(x, 1e-5):
        grad[index] = (f(x + s) - f(x - s)) / (2 * 1e-5)
    return grad


def _first_axis(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(len(x)):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        grad[i] = (f(xp) - f(xm)) / (2 * eps)
    return grad


def _no_restore(f, x, eps=1e-5):
    x = np.array(x, dtype=float)  # a copy here, so the trusted inputs stay as they are
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        x[index] += eps
        fp = f(x)
        x[index] -= 2 * eps
        fm = f(x)
        grad[index] = (fp - fm) / (2 * eps)
    return grad


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "forward-difference",
            diagnosis=(
                "You use the forward difference (f(x + eps e_i) - f(x)) / eps: its error is "
                "proportional to eps (about 1e-5 here), not to eps^2."
            ),
            fix="Use the central difference (f(x + eps e_i) - f(x - eps e_i)) / (2 eps).",
            wrong=_forward,
        ),
        Mistake(
            "divides-by-eps",
            diagnosis=(
                "You divide the central difference by eps instead of 2 eps: the two points are "
                "2 eps apart, so every entry is twice too large."
            ),
            fix="Divide f(x + eps e_i) - f(x - eps e_i) by 2 * eps.",
            wrong=_divides_by_eps,
        ),
        Mistake(
            "ignores-eps",
            diagnosis="You step by a fixed 1e-5 instead of the eps you are given.",
            fix="Use the eps argument for the step.",
            wrong=_fixed_step,
        ),
        Mistake(
            "integer-in-place",
            diagnosis=(
                "You perturb an integer array in place: x[i] = x[i] + 1e-5 is rounded back to "
                "the integer, so f(x + eps e_i) - f(x - eps e_i) is 0."
            ),
            fix="Work on a float copy: x = np.array(x, dtype=float).",
            wrong=_integer_inplace,
        ),
        Mistake(
            "no-restore",
            diagnosis=(
                "You never set x[i] back after the two evaluations, so it stays eps below where "
                "it was and every later partial derivative is taken at a shifted point."
            ),
            fix="After computing f(x - eps e_i), restore the entry to its original value.",
            wrong=_no_restore,
        ),
        Mistake(
            "flat-result",
            diagnosis=(
                "You collect the partial derivatives in a list and return a flat array; the "
                "gradient must have the shape of x."
            ),
            fix="Fill grad = np.zeros_like(x) at each index from np.ndindex(x.shape).",
            wrong=_flat,
        ),
        Mistake(
            "first-axis-only",
            diagnosis=(
                "You loop over range(len(x)) and nudge x[i], which for a matrix is a whole row: "
                "every entry of row i gets the derivative along the whole row (and a plain number "
                "has no len)."
            ),
            fix="Loop over every entry: for index in np.ndindex(x.shape).",
            wrong=_first_axis,
        ),
    ]


def figures(g: Grader) -> None:
    reference = np.asarray(g.expected("field"))
    yours = g.try_array("field")
    fine = np.linspace(-2.2, 2.2, 45)
    fu, fv = np.meshgrid(fine, fine)
    z = 0.5 * fu**2 + fv**2 + np.sin(fu * fv)
    fig = plots.contour_with_paths(
        fine, fine, z, {}, title="Gradient of 0.5 u² + v² + sin(uv): arrows point uphill"
    )
    fig = plots.vector_field(
        GRID,
        GRID,
        reference[0],
        reference[1],
        title="Gradient of 0.5 u² + v² + sin(uv): arrows point uphill",
        scale=0.45,
        name="reference",
        color=plots.REFERENCE,
        fig=fig,
    )
    if yours is not None and np.all(np.isfinite(yours)):
        norm = np.hypot(reference[0], reference[1]).max() / max(
            np.hypot(yours[0], yours[1]).max(), 1e-300
        )
        fig = plots.vector_field(
            GRID,
            GRID,
            yours[0],
            yours[1],
            title="Gradient of 0.5 u² + v² + sin(uv): arrows point uphill",
            scale=0.45 / max(norm, 1e-12),
            name="yours",
            color=plots.LEARNER,
            fig=fig,
        )
    g.figure(fig)

    exact = np.e
    f = np.exp
    eps = np.array(EPSILONS)
    central = np.abs((f(1 + eps) - f(1 - eps)) / (2 * eps) - exact)
    forward = np.abs((f(1 + eps) - f(1.0)) / eps - exact)
    mine = []
    for i in range(len(EPSILONS)):
        got = g.try_array(f"eps{i}")
        mine.append(np.nan if got is None else float(abs(got[0] - exact)))
    fig = plots.compare_lines(
        eps,
        np.maximum(np.array(mine), 1e-17),
        np.maximum(central, 1e-17),
        title="Error of the derivative of exp at 1 against the step eps",
        x_label="eps",
        y_label="|estimate − e|",
        log_y=True,
    )
    fig.data[0].name = "reference (central)"
    fig.add_scatter(
        x=eps,
        y=np.maximum(forward, 1e-17),
        name="forward difference",
        line={"color": plots.NEUTRAL, "dash": "dot"},
    )
    fig.update_xaxes(type="log")
    g.figure(fig)
