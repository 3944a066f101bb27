"""Concept checks of the lesson: a Newton step on a quadratic, reading a critical point from its
Hessian, and a Lagrange multiplier by hand."""

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Vector, Wrong


def _vec(v: np.ndarray) -> str:
    return "(" + ", ".join(f"{x:g}" for x in v) + ")"


def _linear(c: np.ndarray) -> str:
    """c1 x1 + c2 x2 written with its signs, e.g. `- 4\\,x_1 + 6\\,x_2`."""
    return " ".join(f"{'-' if v < 0 else '+'} {abs(v):g}\\,x_{i + 1}" for i, v in enumerate(c))


def newton_on_a_quadratic(rng: np.random.Generator) -> Vector:
    a = rng.choice([1, 2, 4, 5, 8], size=2, replace=False).astype(float)
    target = rng.choice([-3, -2, -1, 1, 2, 3], size=2).astype(float)
    b = a * target
    x0 = rng.choice([-2, -1, 1, 2, 3], size=2).astype(float)
    if np.array_equal(x0, target):
        x0[0] = -x0[0]  # a start on the minimiser would make every mistake look right
    grad = a * x0 - b
    wrong = [
        Wrong(
            x0 - grad,
            "That is a gradient step with $\\eta = 1$: Newton divides the gradient by the "
            "curvature, $\\mathbf{d} = -H^{-1}\\nabla f$.",
        ),
        Wrong(
            x0 - a * grad,
            "You multiplied the gradient by the Hessian; the Newton step solves "
            "$H\\mathbf{d} = -\\nabla f$, so it divides by it.",
        ),
        Wrong(
            x0 + grad / a,
            "Mind the sign: $\\mathbf{d} = -H^{-1}\\nabla f$ points downhill; you stepped uphill.",
        ),
    ]
    return Vector(
        prompt=(
            f"Let $f(\\mathbf{{x}}) = \\tfrac12\\,({a[0]:g}\\,x_1^2 + {a[1]:g}\\,x_2^2)"
            f" {_linear(-b)}$, so $H_f = \\mathrm{{diag}}({a[0]:g}, {a[1]:g})$. "
            f"Take one Newton step from $\\mathbf{{x}}_0 = {_vec(x0)}$. "
            "What is $\\mathbf{x}_1$? (Two numbers, separated by a comma.)"
        ),
        answer=target.tolist(),
        wrong=wrong,
        explanation=(
            f"The gradient at $\\mathbf{{x}}_0$ is ${_vec(grad)}$; dividing by the curvatures "
            f"${a[0]:g}, {a[1]:g}$ and subtracting lands on the minimiser "
            f"$A^{{-1}}\\mathbf{{b}} = {_vec(target)}$, from any start."
        ),
    )


KINDS = [
    "a local minimum",
    "a local maximum",
    "a saddle point",
    "undecided by the second-order test",
]


def critical_point_kind(rng: np.random.Generator) -> Choice:
    kind = int(rng.integers(0, 4))
    q = int(rng.choice([1, 2, 3])) * int(rng.choice([-1, 1]))
    if kind == 0:
        p = abs(q) + int(rng.integers(1, 4))
    elif kind == 1:
        p = -abs(q) - int(rng.integers(1, 4))
    elif kind == 2:
        p = int(rng.integers(-abs(q) + 1, abs(q))) if abs(q) > 1 else 0
        if p == 0 and abs(q) > 1:
            p = abs(q) - 1  # positive diagonal: the tempting wrong reading
    else:
        p = abs(q) * int(rng.choice([-1, 1]))
    eig = sorted([p + q, p - q])
    facts = f"The Hessian's eigenvalues are $p \\pm q = {eig[0]}$ and ${eig[1]}$"
    reasons = {
        0: f"{facts}; a minimum needs both positive.",
        1: f"{facts}; a maximum needs both negative.",
        2: f"{facts}; a saddle needs one of each sign.",
        3: f"{facts}; the test is undecided only when an eigenvalue is zero and the other does not already show a saddle.",
    }
    if kind == 2 and p > 0:
        reasons[0] = (
            f"The diagonal entries are positive, but that is not enough: {facts[4:]}, "
            "one of them negative."
        )
    order = rng.permutation(4)
    position = {int(old): new for new, old in enumerate(order)}
    return Choice(
        prompt=(
            "At a critical point of $f(x, y)$ the Hessian is "
            f"$H_f = \\begin{{pmatrix}} {p} & {q} \\\\ {q} & {p} \\end{{pmatrix}}$. "
            "What kind of critical point is it?"
        ),
        options=[KINDS[int(i)] for i in order],
        answer=position[kind],
        wrong=[Wrong(position[k], reasons[k]) for k in range(4) if k != kind],
        explanation=(
            f"For $\\begin{{pmatrix}} p & q \\\\ q & p \\end{{pmatrix}}$ the eigenvectors are "
            f"$(1, \\pm 1)$ with eigenvalues $p \\pm q$: here ${eig[0]}$ and ${eig[1]}$."
        ),
    )


def lagrange_multiplier(rng: np.random.Generator) -> Number:
    a, b = (int(v) for v in rng.choice([1, 2, 3, 4], size=2))
    c = int(rng.choice([1, 2, 3]))
    lam = -2 * a * b * c / (a + b)
    x1, x2 = b * c / (a + b), a * c / (a + b)
    wrong = [
        Wrong(
            -lam,
            "Mind the sign: with $\\mathcal{L} = f + \\lambda\\,(x_1 + x_2 - "
            f"{c})$, stationarity gives $2\\cdot{a}\\,x_1 + \\lambda = 0$, so $\\lambda < 0$ here.",
        ),
        Wrong(x1, "That is $x_1$ at the optimum; the question asks for the multiplier."),
        Wrong(
            a * x1**2 + b * x2**2,
            "That is the minimum value of $f$; the multiplier is its rate of change with the "
            "constraint's right-hand side, with the opposite sign.",
        ),
        Wrong(
            lam / 2,
            f"The derivative of ${a}\\,x_1^2$ is $2\\cdot{a}\\,x_1$: the factor 2 is missing.",
        ),
    ]
    return Number(
        prompt=(
            f"Minimise $f(\\mathbf{{x}}) = {a}\\,x_1^2 + {b}\\,x_2^2$ subject to $x_1 + x_2 = {c}$, "
            f"with the Lagrangian $\\mathcal{{L}} = f + \\lambda\\,(x_1 + x_2 - {c})$. "
            "What is the multiplier $\\lambda$ at the solution? (Three decimals.)"
        ),
        answer=lam,
        tolerance=1e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"$2\\cdot{a}\\,x_1 = 2\\cdot{b}\\,x_2 = -\\lambda$ and $x_1 + x_2 = {c}$ give "
            f"$\\mathbf{{x}} = ({x1:.3f}, {x2:.3f})$ and $\\lambda = -2\\cdot{a}\\cdot{b}\\cdot{c}/({a}+{b}) = {lam:.3f}$."
        ),
    )


def questions():
    return {
        "newton-on-a-quadratic": newton_on_a_quadratic,
        "critical-point-kind": critical_point_kind,
        "lagrange-multiplier": lagrange_multiplier,
    }
