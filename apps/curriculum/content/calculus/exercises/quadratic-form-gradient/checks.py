import numpy as np

from apps.sandbox.grading import Call, Grader, plots

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
    hint = "The gradient of x^T A x is (A + A^T) x, which equals 2 A x only when A is symmetric"
    g.check_close("the value f(x)", "general", 0, rtol=1e-9, atol=1e-10, points=1)
    for key, name, points in (
        ("general", "gradient for a non-symmetric A", 3),
        ("antisymmetric", "gradient for an antisymmetric A", 1),
        ("one", "gradient for n = 1", 1),
    ):
        A, b, x = (np.asarray(v, dtype=float) for v in g.args(key))
        g.check_gradient(
            name, key, _f(A, b), x, part=1, eps=1e-6, rtol=1e-6, atol=1e-7, points=points, hint=hint
        )
    g.check_close(
        "Hessian for a non-symmetric A",
        "general",
        2,
        rtol=1e-9,
        atol=1e-10,
        points=2,
        hint="Differentiate the gradient (A + A^T) x + b once more: the Hessian is A + A^T",
    )
    g.check_close(
        "Hessian for a symmetric A",
        "symmetric",
        2,
        rtol=1e-9,
        atol=1e-10,
        points=1,
        hint="For symmetric A the Hessian of x^T A x is 2A = A + A^T",
    )
    g.check_symmetric("the Hessian is symmetric", "general", 2, atol=1e-10, points=1)


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
