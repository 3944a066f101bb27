import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

GRID = np.linspace(-2.0, 2.0, 9)
PLANE_A = np.array([[1.0, 1.5], [-0.5, 2.0]])
PLANE_B = np.array([0.5, -1.0])


def _f(A, b):
    return lambda v: float(v @ A @ v + b @ v)


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(3, 6))
    K = rng.normal(size=(n, n))
    S = rng.normal(size=(n, n))
    calls = [
        Call(
            "general",
            "quadratic_derivatives",
            (rng.normal(size=(n, n)), rng.normal(size=n), rng.normal(size=n)),
            label=f"a random non-symmetric {n}x{n} matrix A",
        ),
        Call(
            "symmetric",
            "quadratic_derivatives",
            (S + S.T, rng.normal(size=n), rng.normal(size=n)),
            label=f"a random symmetric {n}x{n} matrix A",
        ),
        Call(
            "antisymmetric",
            "quadratic_derivatives",
            (K - K.T, rng.normal(size=n), rng.normal(size=n)),
            label="an antisymmetric A (x^T A x = 0 everywhere)",
        ),
        Call(
            "one",
            "quadratic_derivatives",
            (np.array([[3.0]]), np.array([-1.0]), np.array([2.0])),
            label="n = 1: f(x) = 3x^2 - x at x = 2",
        ),
    ]
    for i, u in enumerate(GRID):
        for j, v in enumerate(GRID):
            calls.append(
                Call(
                    f"grid{i}_{j}",
                    "quadratic_derivatives",
                    (PLANE_A, PLANE_B, np.array([u, v])),
                    label=f"the 2x2 example at x = ({u:g}, {v:g})",
                )
            )
    return calls


def grade(g: Grader) -> None:
    g.check_close("the value f(x)", "general", 0, points=1)
    for key, name, points in (
        ("general", "gradient for a non-symmetric A", 3),
        ("antisymmetric", "gradient for an antisymmetric A", 1),
        ("one", "gradient for n = 1", 1),
    ):
        A, b, x = (np.asarray(v, dtype=float) for v in g.args(key))
        # Central differences of a quadratic are exact up to rounding (about 1e-10 here); the
        # bounds leave room for a float32 gradient and for nothing like a wrong one.
        g.check_gradient(
            name, key, _f(A, b), x, part=1, eps=1e-6, rtol=1e-5, atol=1e-5, points=points
        )
    g.check_close("Hessian for a non-symmetric A", "general", 2, points=2)
    g.check_close("Hessian for a symmetric A", "symmetric", 2, points=1)
    g.check_symmetric("the Hessian is symmetric", "general", 2, atol=1e-6, points=1)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _floats(A, b, x):
    return (np.asarray(v, dtype=float) for v in (A, b, x))


def _value(A, b, x):
    return float(x @ A @ x + b @ x)


def _symmetric_shortcut(A, b, x):
    A, b, x = _floats(A, b, x)
    return _value(A, b, x), 2 * A @ x + b, 2 * A


def _half_symmetric_part(A, b, x):
    A, b, x = _floats(A, b, x)
    S = 0.5 * (A + A.T)
    return _value(A, b, x), S @ x + b, S


def _grad_missing_b(A, b, x):
    A, b, x = _floats(A, b, x)
    return _value(A, b, x), (A + A.T) @ x, A + A.T


def _grad_transpose_only(A, b, x):
    A, b, x = _floats(A, b, x)
    return _value(A, b, x), 2 * A.T @ x + b, A + A.T


def _hess_half(A, b, x):
    A, b, x = _floats(A, b, x)
    return _value(A, b, x), (A + A.T) @ x + b, (A + A.T) / 2


def _hess_two_a(A, b, x):
    A, b, x = _floats(A, b, x)
    return _value(A, b, x), (A + A.T) @ x + b, 2 * A


def _value_missing_b(A, b, x):
    A, b, x = _floats(A, b, x)
    return float(x @ A @ x), (A + A.T) @ x + b, A + A.T


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "symmetric-shortcut",
            diagnosis=(
                "You use the symmetric-matrix formulas, gradient 2 A x + b and Hessian 2A: they "
                "hold only when A = A^T, and this A is not symmetric."
            ),
            fix="For any A the gradient of x^T A x is (A + A^T) x, and the Hessian is A + A^T.",
            wrong=_symmetric_shortcut,
        ),
        Mistake(
            "half-symmetric-part",
            diagnosis=(
                "You use the symmetric part S = (A + A^T)/2 for both the gradient and the "
                "Hessian: both are half of what they should be in the quadratic part, because "
                "f has no factor 1/2 in front of x^T A x."
            ),
            fix="Gradient (A + A^T) x + b, Hessian A + A^T: twice the symmetric part.",
            wrong=_half_symmetric_part,
        ),
        Mistake(
            "grad-transpose-only",
            diagnosis=(
                "You differentiate x^T A x as 2 A^T x: like 2 A x, that is right only for a "
                "symmetric A."
            ),
            fix="The gradient is (A + A^T) x + b: one term from each occurrence of x.",
            wrong=_grad_transpose_only,
        ),
        Mistake(
            "grad-missing-b",
            diagnosis="Your gradient leaves out the linear term: it is (A + A^T) x, without + b.",
            fix="The gradient of b^T x is b: add it.",
            wrong=_grad_missing_b,
        ),
        Mistake(
            "hessian-half",
            diagnosis="Your Hessian is the symmetric part (A + A^T)/2, half of the true A + A^T.",
            fix="Differentiate the gradient (A + A^T) x + b once more: the Hessian is A + A^T.",
            wrong=_hess_half,
        ),
        Mistake(
            "hessian-two-a",
            diagnosis=(
                "Your gradient is right but your Hessian is 2A, which is not even symmetric "
                "when A is not; a Hessian of a smooth function always is."
            ),
            fix="Differentiate (A + A^T) x + b: the Hessian is A + A^T.",
            wrong=_hess_two_a,
        ),
        Mistake(
            "value-missing-b",
            diagnosis="Your value f(x) leaves out the linear term b^T x.",
            fix="f(x) = x^T A x + b^T x.",
            wrong=_value_missing_b,
        ),
    ]


def figures(g: Grader) -> None:
    fine = np.linspace(-2.3, 2.3, 47)
    u, v = np.meshgrid(fine, fine)
    z = (
        PLANE_A[0, 0] * u**2
        + (PLANE_A[0, 1] + PLANE_A[1, 0]) * u * v
        + PLANE_A[1, 1] * v**2
        + PLANE_B[0] * u
        + PLANE_B[1] * v
    )
    title = (
        "Gradient of x^T A x + b^T x for A = [[1, 1.5], [-0.5, 2]]: perpendicular to the contours"
    )
    fig = plots.contour_with_paths(fine, fine, z, {}, title=title)
    reference = np.array(
        [
            [np.asarray(g.expected(f"grid{i}_{j}", 1)) for i in range(GRID.size)]
            for j in range(GRID.size)
        ]
    )
    fig = plots.vector_field(
        GRID,
        GRID,
        reference[..., 0],
        reference[..., 1],
        title=title,
        scale=0.4,
        name="reference ∇f",
        color=plots.REFERENCE,
        fig=fig,
    )
    yours = np.full_like(reference, np.nan)
    for i in range(GRID.size):
        for j in range(GRID.size):
            got = g.try_array(f"grid{i}_{j}", 1, shape=(2,))
            if got is not None:
                yours[j, i] = got
    if np.all(np.isfinite(yours)):
        ratio = (
            np.hypot(yours[..., 0], yours[..., 1]).max()
            / np.hypot(reference[..., 0], reference[..., 1]).max()
        )
        fig = plots.vector_field(
            GRID,
            GRID,
            yours[..., 0],
            yours[..., 1],
            title=title,
            scale=0.4 * min(ratio, 3.0),
            name="your ∇f",
            color=plots.LEARNER,
            fig=fig,
        )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    g.figure(fig)
