import numpy as np

from apps.sandbox.grading import (
    Call,
    FnSpec,
    Grader,
    Mistake,
    changes_argument,
    plots,
    tolerance,
)

QUAD_F = "def f(x):\n    return 0.5 * x @ A @ x - b @ x\n"
QUAD_G = "def grad(x):\n    return A @ x - b\n"
ROSEN_F = "def f(x):\n    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2\n"
ROSEN_G = (
    "def grad(x):\n"
    "    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])\n"
)
LOGREG_F = "def f(w):\n    return np.mean(np.logaddexp(0.0, -y * (X @ w))) + 0.5 * mu * w @ w\n"
LOGREG_G = (
    "def grad(w):\n"
    "    s = 0.5 * (1.0 - np.tanh(0.5 * y * (X @ w)))\n"
    "    return -(X.T @ (y * s)) / len(y) + mu * w\n"
)
WELL_F = "def f(x):\n    return 0.25 * x[0] ** 4 - 0.5 * x[0] ** 2 + 0.5 * x[1] ** 2\n"
WELL_G = "def grad(x):\n    return np.array([x[0] ** 3 - x[0], x[1]])\n"
EXP_F = "def f(x):\n    return np.exp(x[0]) - 2.0 * x[0]\n"
EXP_G = "def grad(x):\n    return np.array([np.exp(x[0]) - 2.0])\n"
HUBER_F = (
    "def f(x):\n"
    "    a = np.abs(x)\n"
    "    return float(np.sum(np.where(a <= 1.0, 0.5 * x * x, a - 0.5)))\n"
)
HUBER_G = "def grad(x):\n    return np.clip(x, -1.0, 1.0)\n"
CURVE_F = "def f(x):\n    return 0.5 * c * x[0] ** 2\n"
CURVE_G = "def grad(x):\n    return np.array([c * x[0]])\n"

# Armijo tests and skip tests closer than this (relative) to a tie may go either way with rounding.
TIE = 1e-7


def _rotated(rng, eigenvalues):
    q, _ = np.linalg.qr(rng.normal(size=(len(eigenvalues), len(eigenvalues))))
    a = q @ np.diag(eigenvalues) @ q.T
    return (a + a.T) / 2


def _trusted(f, grad, x0, steps, c1, *, ties=True):
    """The method again, recording where each step's decisions were clear-cut (with
    ``ties=False`` every decision counts as clear: a case built in exact dyadic arithmetic)."""
    x, g, n = np.array(x0, dtype=float), np.asarray(grad(x0), dtype=float), len(x0)
    m = np.eye(n)
    path, clear = [x.copy()], []
    for _ in range(steps):
        p = -m @ g
        fx, slope = f(x), g @ p
        alpha, ok, sharp = 1.0, False, True
        for _ in range(41):
            lhs, rhs = f(x + alpha * p), fx + c1 * alpha * slope
            sharp &= abs(lhs - rhs) > TIE * (abs(fx) + abs(c1 * alpha * slope)) + 1e-300
            if lhs <= rhs:
                ok = True
                break
            alpha *= 0.5
        if not ok:
            clear.append(sharp or not ties)
            path.append(x.copy())
            continue
        x_new = x + alpha * p
        g_new = np.asarray(grad(x_new), dtype=float)
        s, y = x_new - x, g_new - g
        threshold = 1e-10 * np.linalg.norm(s) * np.linalg.norm(y)
        sharp &= abs(y @ s - threshold) > TIE * (abs(y @ s) + threshold) or threshold == 0.0
        if y @ s > threshold:
            rho = 1.0 / (y @ s)
            a = np.eye(n) - rho * np.outer(y, s)
            m = a.T @ m @ a + rho * np.outer(s, s)
        x, g = x_new, g_new
        clear.append(bool(sharp) or not ties)
        path.append(x.copy())
    return np.array(path), clear


def _variant(*, search="armijo", swapped=False, skip=True, fresh=True, record=True):
    """The method with one mistake, as a learner writes it (mistakes())."""

    def bfgs(f, grad, x0, steps, c1=1e-4):
        x = np.array(x0, dtype=float)
        n = x.size
        m = np.eye(n)
        g = np.asarray(grad(x), dtype=float)
        out = [x.copy()]
        for _ in range(steps):
            p = -m @ g
            fx, slope = f(x), g @ p
            alpha = 1.0
            if search != "none":
                sign = -1.0 if search == "flipped" else 1.0
                for _ in range(41):
                    if f(x + alpha * p) <= fx + sign * c1 * alpha * slope:
                        break
                    alpha /= 2
                else:
                    if record:
                        out.append(x.copy())
                    continue
            x_new = x + alpha * p
            g_new = np.asarray(grad(x_new), dtype=float) if fresh else g
            s, y = x_new - x, g_new - g
            ys = y @ s
            if not skip or ys > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
                with np.errstate(all="ignore"):
                    rho = 1.0 / ys
                    left = np.eye(n) - rho * np.outer(s, y)
                    if swapped:
                        left = left.T
                    m = left @ m @ left.T + rho * np.outer(s, s)
            x, g = x_new, g_new
            out.append(x.copy())
        return np.array(out)

    return bfgs


def cases(rng: np.random.Generator) -> list[Call]:
    d = int(rng.integers(3, 7))
    a = _rotated(rng, np.logspace(0.0, 2.0, d))
    b = rng.normal(size=d)
    k, n = int(rng.integers(3, 6)), 40
    features = rng.normal(size=(n, k))
    labels = np.sign(features @ rng.normal(size=k) + 0.5 * rng.normal(size=n))
    logreg = {"X": features, "y": labels, "mu": 0.1}
    steep = 1e6 * _rotated(rng, np.array([1.0, 10.0]))
    b_steep = steep @ rng.normal(size=2)
    centre = np.array([1.0, -2.0, 0.5])
    diag = np.diag([1.0, 4.0, 9.0])
    near = np.array([-1.2, 1.0]) + rng.uniform(-0.2, 0.2, size=2)

    def call(key, f, grad, env, x0, steps, label, *more):
        specs = (FnSpec(f, "f", env), FnSpec(grad, "grad", env))
        return Call(key, "bfgs", (*specs, x0, steps, *more), label=label)

    return [
        call(
            "quad",
            QUAD_F,
            QUAD_G,
            {"A": a, "b": b},
            3 * rng.normal(size=d),
            25,
            f"a quadratic bowl in {d} dimensions, condition number 100",
        ),
        call(
            "rosen",
            ROSEN_F,
            ROSEN_G,
            {},
            np.array([-1.2, 1.0]),
            60,
            "the Rosenbrock function from (-1.2, 1)",
        ),
        call(
            "rosen-near",
            ROSEN_F,
            ROSEN_G,
            {},
            near,
            60,
            f"the Rosenbrock function from ({near[0]:.3f}, {near[1]:.3f})",
        ),
        call(
            "logistic",
            LOGREG_F,
            LOGREG_G,
            logreg,
            np.zeros(k),
            30,
            f"an L2-regularised logistic loss in {k} dimensions",
        ),
        call(
            "well",
            WELL_F,
            WELL_G,
            {},
            np.array([0.1, 1.0]),
            20,
            "the double well x^4/4 - x^2/2 + y^2/2 from (0.1, 1), where y.s < 0 at first",
        ),
        call(
            "huber",
            HUBER_F,
            HUBER_G,
            {},
            np.array([10.0, -6.0]),
            16,
            "the Huber loss from (10, -6), where the gradient does not change (y = 0) while "
            "both coordinates are on its linear parts",
        ),
        call("exp", EXP_F, EXP_G, {}, np.array([0.0]), 8, "f(x) = exp(x) - 2x from x = 0"),
        call(
            "steep",
            QUAD_F,
            QUAD_G,
            {"A": steep, "b": b_steep},
            rng.normal(size=2),
            15,
            "a quadratic scaled by 10^6",
        ),
        call(
            "steep-40",
            CURVE_F,
            CURVE_G,
            {"c": 2.0**40},
            np.array([1.0]),
            3,
            "f(x) = 2^40 x^2 / 2 from x = 1, where the 41st trial step 2^-40 is the first to "
            "pass the Armijo test",
        ),
        call(
            "steep-41",
            CURVE_F,
            CURVE_G,
            {"c": 2.0**41},
            np.array([1.0]),
            3,
            "f(x) = 2^41 x^2 / 2 from x = 1, where none of the 41 trial steps passes the "
            "Armijo test",
        ),
        call(
            "armijo-equal",
            CURVE_F,
            CURVE_G,
            {"c": 1.0},
            np.array([1.0]),
            2,
            "f(x) = x^2 / 2 from x = 1 with c1 = 1/2, where the full step meets the Armijo "
            "condition with equality",
            0.5,
        ),
        call(
            "at-min",
            QUAD_F,
            QUAD_G,
            {"A": diag, "b": diag @ centre},
            centre.copy(),
            5,
            "a start exactly at the minimiser",
        ),
        call("zero", QUAD_F, QUAD_G, {"A": a, "b": b}, np.ones(d), 0, "steps = 0"),
    ]


def _show(x: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:.9g}" for v in x) + ")"


def _functions(g: Grader, key: str):
    f_spec, grad_spec, x0, steps, *more = g.args(key)
    c1 = float(more[0]) if more else 1e-4
    return f_spec.build(), grad_spec.build(), np.asarray(x0, dtype=float), int(steps), c1


def grade(g: Grader) -> None:
    def shape():
        x0 = _functions(g, "quad")[2]
        got = g.array("quad")
        if not np.allclose(got[0], x0):
            return f"row 0 should be x0 = {_show(x0)}, but is {_show(got[0])}"
        return None

    g.custom("returns steps + 1 iterates, starting at x0", shape)

    def follows(keys, *, ties=True):
        """The learner's iterates are the reference's (default tolerance) for as long as the
        reference's line-search and skip decisions are clear-cut."""

        def run():
            for key in keys:
                f, grad, x0, steps, c1 = _functions(g, key)
                expected = np.asarray(g.expected(key))
                got = g.array(key)
                where = g.call(key).description
                _, clear = _trusted(f, grad, x0, steps, c1, ties=ties)
                last = next((t for t, ok in enumerate(clear) if not ok), steps)
                rtol, atol = tolerance(expected)
                rows = slice(0, last + 1)
                if np.allclose(got[rows], expected[rows], rtol=rtol, atol=atol):
                    continue
                close = np.isclose(got[rows], expected[rows], rtol=rtol, atol=atol)
                first = int(np.argmax(~np.all(close, axis=1)))
                if not np.all(np.isfinite(got[first])):
                    return (
                        f"on {where} your iterate {first} is {_show(got[first])}, not finite; the "
                        f"reference's is {_show(expected[first])}"
                    )
                agree = (
                    f"your iterates agree with the reference's up to step {first - 1}; "
                    if first
                    else ""
                )
                return (
                    f"on {where} {agree}at step {first} the reference is at "
                    f"{_show(expected[first])}, you are at {_show(got[first])}"
                )
            return None

        return run

    g.custom(
        "follows BFGS on a quadratic, a logistic loss and exp(x) - 2x",
        follows(("quad", "logistic", "exp")),
        points=3,
    )
    g.custom(
        "skips the update where y.s is not positive (negative curvature, y = 0)",
        follows(("well", "huber")),
        points=3,
    )
    g.custom(
        "follows BFGS on the Rosenbrock function",
        follows(("rosen", "rosen-near")),
        points=2,
    )
    g.custom(
        "backtracks as far as 2^-40 and no further",
        follows(("steep", "steep-40", "steep-41")),
        points=2,
    )
    g.custom(
        "accepts a step that meets the Armijo condition with equality",
        follows(("armijo-equal",), ties=False),
    )

    def descent():
        for key in DESCENT:
            f = _functions(g, key)[0]
            got = g.array(key)
            values = np.array([f(x) for x in got])
            rise = np.diff(values)
            allowed = 1e-12 * np.abs(values[:-1]) + 1e-300
            if np.any(rise > allowed):
                t = int(np.argmax(rise > allowed)) + 1
                return (
                    f"on {g.call(key).description} f rises at step {t}, from "
                    f"{values[t - 1]:.10g} to {values[t]:.10g}"
                )
        return None

    g.custom("never increases f", descent, points=2)

    def converges():
        for key in ("quad", "rosen", "rosen-near", "logistic", "well", "huber"):
            expected = np.asarray(g.expected(key))[-1]
            got = g.array(key)[-1]
            if not np.linalg.norm(got - expected) <= 1e-6 * (1 + np.linalg.norm(expected)):
                return (
                    f"on {g.call(key).description} the reference ends at {_show(expected)}, "
                    f"you end at {_show(got)}"
                )
        return None

    g.custom("reaches the minimiser", converges, points=2)

    def stays():
        x0 = _functions(g, "at-min")[2]
        got = g.array("at-min")
        moved = ~np.all(np.isclose(got, x0, rtol=0, atol=1e-12), axis=1)
        if np.any(moved):
            t = int(np.argmax(moved))
            return (
                f"from the minimiser x0 = {_show(x0)} every iterate should be x0, but your "
                f"iterate {t} is {_show(got[t])}"
            )
        return None

    g.custom("a start at the minimiser stays there", stays)
    g.check_close("steps = 0 gives x0 alone", "zero")


DESCENT = ("quad", "rosen", "rosen-near", "logistic", "well", "huber", "exp", "steep", "steep-40")


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "failed-search-not-recorded",
            diagnosis=(
                "When none of the 41 trial steps passes the Armijo test, your loop goes on to the "
                "next step without appending x, so your result has fewer than steps + 1 rows."
            ),
            fix=(
                "When the line search fails, append the unchanged x (and keep M) before moving "
                "on: every step adds one row."
            ),
            wrong=_variant(record=False),
        ),
        Mistake(
            "no-line-search",
            diagnosis=(
                "You always take the full step alpha = 1 along p: there is no backtracking, so "
                "a step that overshoots (on the steep quadratic, on Rosenbrock) is accepted and "
                "f can rise."
            ),
            fix=(
                "Try alpha = 1, 1/2, 1/4, ..., 2^-40 and take the first with "
                "f(x + alpha p) <= f(x) + c1 alpha g.p."
            ),
            wrong=_variant(search="none"),
        ),
        Mistake(
            "armijo-sign",
            diagnosis=(
                "Your Armijo test reads f(x + alpha p) <= f(x) - c1 alpha g.p: since g.p < 0 "
                "its right side lies above f(x), so it accepts steps that do not decrease f "
                "(on 2^40 x^2 / 2 it takes alpha = 2^-39, which jumps from x = 1 to x = -1)."
            ),
            fix="The right side is f(x) + c1 * alpha * (g @ p), below f(x) for a descent direction.",
            wrong=_variant(search="flipped"),
        ),
        Mistake(
            "stale-gradient",
            diagnosis=(
                "After a step you never evaluate the gradient at the new point (g_new = g): y is "
                "always 0, so M stays I and every step moves along the first gradient -g_0."
            ),
            fix="Compute g_new = grad(x_new) after each accepted step and use it for y and the next p.",
            wrong=_variant(fresh=False),
        ),
        Mistake(
            "factors-swapped",
            diagnosis=(
                "The two factors around M in your update are swapped: you compute "
                "(I - rho y s^T) M (I - rho s y^T), so the new M does not map y to s."
            ),
            fix=(
                "M_new = (I - rho s y^T) M (I - rho y s^T) + rho s s^T: the factor on the left "
                "of M is I - rho s y^T."
            ),
            wrong=_variant(swapped=True),
        ),
        Mistake(
            "no-curvature-skip",
            diagnosis=(
                "You update M even when y.s <= 1e-10 |s| |y|: along negative curvature (the "
                "double well) M stops being positive definite, and where y = 0 (the Huber "
                "loss) rho = 1 / 0 turns M into NaN."
            ),
            fix="Keep M unchanged when y @ s <= 1e-10 * np.linalg.norm(s) * np.linalg.norm(y).",
            wrong=_variant(skip=False),
        ),
        Mistake(
            "modifies-x0",
            diagnosis=(
                "Your iterates are right, but you move x0 itself (x = x0, then x += ...): the "
                "caller's x0 ends at your last iterate."
            ),
            fix="Start from a copy: x = np.array(x0, dtype=float).",
            predicate=changes_argument("x0"),
        ),
    ]


def figures(g: Grader) -> None:
    reference = np.asarray(g.expected("rosen"))
    yours = g.try_array("rosen")
    paths = {"reference": reference}
    if yours is not None and np.all(np.isfinite(yours)):
        paths["yours"] = np.clip(yours, -3, 4)
    xs, ys = np.linspace(-1.6, 1.4, 60), np.linspace(-0.6, 1.6, 60)
    gx, gy = np.meshgrid(xs, ys)
    z = np.log1p((1 - gx) ** 2 + 100 * (gy - gx**2) ** 2)
    g.figure(
        plots.contour_with_paths(
            xs, ys, z, paths, title="BFGS on the Rosenbrock function from (-1.2, 1)"
        )
    )
    grad = _functions(g, "rosen")[1]

    def norms(path):
        if path is None or not np.all(np.isfinite(path)):
            return None
        return np.maximum([np.linalg.norm(grad(p)) for p in path], 1e-16)

    g.figure(
        plots.compare_lines(
            np.arange(reference.shape[0]),
            norms(yours),
            norms(reference),
            title="gradient norm by step: slow while M learns the valley, then superlinear",
            x_label="step t",
            y_label="|grad f(x_t)|",
            log_y=True,
        )
    )
