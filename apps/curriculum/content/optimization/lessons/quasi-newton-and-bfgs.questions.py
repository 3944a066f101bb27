"""Concept checks of the lesson: a secant step by hand, the first BFGS direction, and the
curvature condition that decides whether to update."""

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Vector, Wrong


def _vec(v: np.ndarray) -> str:
    return "(" + ", ".join(f"{x:g}" for x in v) + ")"


def secant_step(rng: np.random.Generator) -> Number:
    x0 = float(rng.integers(-2, 2))
    s = float(rng.choice([1, 2]))
    x1 = x0 + s
    slope = float(rng.choice([2, 4, 5, 8]))  # the secant slope y/s, positive
    g1 = float(rng.choice([-3, -2, -1, 1, 2, 3]))
    g0 = g1 - slope * s
    y = g1 - g0
    x2 = x1 - g1 * s / y
    wrong = [
        Wrong(
            x1 - g1 * y / s,
            "You multiplied by the secant slope $y/s$; the step divides by it: "
            "$M_{t+1} = s/y$ approximates the *inverse* second derivative.",
        ),
        Wrong(
            x1 - g1, "That is a gradient step with step 1; the secant step rescales it by $s/y$."
        ),
        Wrong(x1 + g1 * s / y, "Mind the sign: the step is $-M_{t+1}\\,g_{t+1}$."),
        Wrong(
            x0 - g0 * s / y,
            "You stepped from the older point $x_t$; the new step starts at $x_{t+1}$ with its gradient.",
        ),
    ]
    return Number(
        prompt=(
            f"One-dimensional quasi-Newton: $x_t = {x0:g}$ with $f'(x_t) = {g0:g}$, and "
            f"$x_{{t+1}} = {x1:g}$ with $f'(x_{{t+1}}) = {g1:g}$. With the secant approximation "
            "$M_{t+1} = s_t / y_t$ of $1/f''$ and a full step, what is $x_{t+2}$?"
        ),
        answer=x2,
        tolerance=1e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"$s_t = {s:g}$, $y_t = {g1:g} - ({g0:g}) = {y:g}$, so $M_{{t+1}} = {s / y:g}$ and "
            f"$x_{{t+2}} = {x1:g} - {s / y:g} \\cdot {g1:g} = {x2:g}$."
        ),
    )


def first_bfgs_direction(rng: np.random.Generator) -> Vector:
    a = rng.choice([2, 3, 4, 5], size=2, replace=False).astype(float)
    x0 = rng.choice([-3, -2, -1, 1, 2, 3], size=2).astype(float)
    g0 = a * x0
    wrong = [
        Wrong(g0, "Mind the sign: $\\mathbf{p}_0 = -M_0\\mathbf{g}_0$ points downhill."),
        Wrong(
            -x0,
            "That is the Newton direction $-H^{-1}\\mathbf{g}_0$; BFGS has not learnt any "
            "curvature yet, and $M_0 = I$.",
        ),
    ]
    return Vector(
        prompt=(
            f"BFGS starts on $f(\\mathbf{{x}}) = \\tfrac12\\,({a[0]:g}\\,x_1^2 + {a[1]:g}\\,x_2^2)$ "
            f"from $\\mathbf{{x}}_0 = {_vec(x0)}$ with $M_0 = I$. What is its first direction "
            "$\\mathbf{p}_0$? (Two numbers, separated by a comma.)"
        ),
        answer=(-g0).tolist(),
        wrong=wrong,
        explanation=(
            f"$\\mathbf{{g}}_0 = \\nabla f(\\mathbf{{x}}_0) = {_vec(g0)}$ and $M_0 = I$, so "
            f"$\\mathbf{{p}}_0 = -\\mathbf{{g}}_0 = {_vec(-g0)}$: the first step is a gradient step."
        ),
    )


def curvature_condition(rng: np.random.Generator) -> Choice:
    while True:
        s = rng.choice([-2, -1, 1, 2], size=2).astype(float)
        y = rng.choice([-3, -2, -1, 1, 2, 3], size=2).astype(float)
        ys = float(y @ s)
        if ys != 0:
            break
    options = [
        f"Apply the BFGS update: $\\mathbf{{y}}_t^\\top\\mathbf{{s}}_t = {ys:g} > 0$, so $M_{{t+1}}$ stays positive definite.",
        f"Skip the update: $\\mathbf{{y}}_t^\\top\\mathbf{{s}}_t = {ys:g} \\le 0$, and the update could lose positive definiteness.",
        "Apply the update whatever the sign: the secant condition always holds after it.",
    ]
    answer = 0 if ys > 0 else 1
    messages = {
        0: f"Compute $\\mathbf{{y}}_t^\\top\\mathbf{{s}}_t$ again: it is ${ys:g}$, not positive.",
        1: f"Compute $\\mathbf{{y}}_t^\\top\\mathbf{{s}}_t$ again: it is ${ys:g}$, positive, so $\\rho_t > 0$ and the update is safe.",
        2: "The secant condition does hold, but with $\\rho_t \\le 0$ the update can make $M_{t+1}$ indefinite, and $-M_{t+1}\\mathbf{g}$ may then point uphill.",
    }
    order = rng.permutation(3)
    position = {int(old): new for new, old in enumerate(order)}
    # only the option that states the true sign is worded correctly; the other states a false sum
    options[1 - answer] = (
        "Apply the BFGS update: the curvature condition holds, so $M_{t+1}$ stays positive definite."
        if answer == 1
        else "Skip the update: the curvature condition fails, so the update could lose positive definiteness."
    )
    return Choice(
        prompt=(
            f"After a BFGS step, $\\mathbf{{s}}_t = {_vec(s)}$ and $\\mathbf{{y}}_t = {_vec(y)}$. "
            "What should the algorithm do with $M_t$?"
        ),
        options=[options[int(i)] for i in order],
        answer=position[answer],
        wrong=[Wrong(position[k], messages[k]) for k in range(3) if k != answer],
        explanation=(
            f"$\\mathbf{{y}}_t^\\top\\mathbf{{s}}_t = {y[0]:g}\\cdot({s[0]:g}) + {y[1]:g}\\cdot({s[1]:g}) = {ys:g}$: "
            + (
                "positive, so $\\rho_t > 0$ and the update keeps $M$ positive definite."
                if ys > 0
                else "not positive, so the update is skipped ($M_{t+1} = M_t$)."
            )
        ),
    )


def questions():
    return {
        "secant-step": secant_step,
        "first-bfgs-direction": first_bfgs_direction,
        "curvature-condition": curvature_condition,
    }
