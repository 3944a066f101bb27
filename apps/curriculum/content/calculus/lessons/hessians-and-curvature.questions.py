"""Concept checks of the lesson: a Hessian by hand, a critical point classified by its
eigenvalues, and the condition number and largest stable step at a minimum."""

import numpy as np

from apps.sandbox.grading.questions import Choice, Matrix, Number, Wrong


def _tex(M: np.ndarray) -> str:
    rows = " \\\\ ".join(" & ".join(f"{v:g}" for v in row) for row in M)
    return f"\\begin{{pmatrix}} {rows} \\end{{pmatrix}}"


def hessian_by_hand(rng: np.random.Generator) -> Matrix:
    a, b, c, d = (int(v) for v in rng.choice([-3, -2, -1, 1, 2, 3], size=4))
    x0, y0 = (int(v) for v in rng.choice([-2, -1, 1, 2], size=2))
    # f = a x^3 + b x y + c y^2 + d x^2 y
    answer = np.array(
        [[6 * a * x0 + 2 * d * y0, b + 2 * d * x0], [b + 2 * d * x0, 2 * c]], dtype=float
    )
    candidates = [
        Wrong(
            np.array([[3 * a * x0**2 + 2 * d * x0 * y0, 0], [0, 2 * c * y0 + d * x0**2]]),
            "Those are first derivatives on the diagonal; the Hessian holds second derivatives, and the mixed ones go off the diagonal.",
        ),
        Wrong(
            np.array([[6 * a * x0 + 2 * d * y0, 0], [0, 2 * c]]),
            "The mixed partial derivatives $\\partial^2 f/\\partial x\\,\\partial y$ are missing: they fill the off-diagonal entries.",
        ),
        Wrong(
            np.array([[3 * a * x0 + d * y0, b + 2 * d * x0], [b + 2 * d * x0, c]]),
            "The second derivative of $x^3$ is $6x$ and that of $y^2$ is $2$: the diagonal is short of a factor 2.",
        ),
        Wrong(
            np.array([[6 * a * x0 + 2 * d * y0, b], [b, 2 * c]]),
            "Differentiating $x^2y$ in $x$ and then $y$ gives $2x$: the mixed entry is $b + 2d\\,x$, evaluated at the point.",
        ),
    ]
    return Matrix(
        prompt=(
            f"Let $f(x, y) = ({a})x^3 + ({b})xy + ({c})y^2 + ({d})x^2y$. What is the Hessian "
            f"$H_f$ at $(x, y) = ({x0}, {y0})$? (Type it by rows.)"
        ),
        answer=answer.tolist(),
        abs_tolerance=1e-3,
        wrong=candidates,
        explanation=(
            f"$f_{{xx}} = 6({a})x + 2({d})y$, $f_{{xy}} = ({b}) + 2({d})x$, $f_{{yy}} = 2({c})$; at the "
            f"point, $H_f = {_tex(answer)}$."
        ),
    )


_KINDS = ["a local minimum", "a local maximum", "a saddle point", "inconclusive from the Hessian"]


def classify_critical_point(rng: np.random.Generator) -> Choice:
    # f = s * (x^3 - 3 k^2 x) + c y^2: critical points at x = +-k, y = 0, H = diag(6 s x, 2 c).
    k = int(rng.integers(1, 4))
    s = int(rng.choice([-1, 1]))
    c = int(rng.choice([-2, -1, 1, 2, 3]))
    x0 = int(rng.choice([-k, k]))
    lam = np.array([6 * s * x0, 2 * c])
    right = 0 if (lam > 0).all() else 1 if (lam < 0).all() else 2
    messages = {
        0: "A minimum needs both eigenvalues positive: check the sign of $6s\\,x$ at this point as well as that of $2c$.",
        1: "A maximum needs both eigenvalues negative.",
        2: "A saddle needs eigenvalues of opposite signs; here they agree.",
        3: "Neither eigenvalue is zero, so the second-derivative test decides.",
    }
    order = rng.permutation(len(_KINDS))
    position = {int(old): new for new, old in enumerate(order)}
    cubic = f"x^3 - {3 * k * k}x" if s > 0 else f"-x^3 + {3 * k * k}x"
    return Choice(
        prompt=(
            f"The function $f(x, y) = {cubic} + ({c})y^2$ has a critical point at "
            f"$({x0}, 0)$. What is it?"
        ),
        options=[_KINDS[int(i)] for i in order],
        answer=position[right],
        wrong=[Wrong(position[j], m) for j, m in messages.items() if j != right],
        explanation=(
            f"$H_f = \\mathrm{{diag}}({6 * s}x, {2 * c})$, which at $x = {x0}$ has eigenvalues "
            f"${lam[0]}$ and ${lam[1]}$: {_KINDS[right]}."
        ),
    )


def condition_and_step(rng: np.random.Generator) -> Number:
    # H = [[p, q], [q, p]] has eigenvalues p + q and p - q.
    q = int(rng.choice([1, 2, 3]))
    p = q + int(rng.choice([1, 2, 3]))
    lmax, lmin = p + q, p - q
    ask_step = bool(rng.integers(0, 2))
    if ask_step:
        answer = 2 / lmax
        candidates = [
            Wrong(
                2 / lmin,
                "That is the limit the flattest direction sets; the steepest direction diverges first, so $\\lambda_{\\max}$ sets the limit.",
            ),
            Wrong(
                1 / lmax,
                "That step removes the steepest component in one step; the iterates still converge up to twice that.",
            ),
            Wrong(
                2 / p,
                "The diagonal entries are not the curvatures along the eigenvectors: use the eigenvalues $p \\pm q$.",
            ),
        ]
        what = "the largest learning rate $\\eta$ (the boundary value) for which gradient descent converges"
        explanation = f"The eigenvalues are $p \\pm q = {lmax}, {lmin}$; stability needs $\\eta < 2/\\lambda_{{\\max}} = 2/{lmax}$."
    else:
        answer = lmax / lmin
        candidates = [
            Wrong(
                lmin / lmax,
                "The condition number is the largest eigenvalue over the smallest, at least 1.",
            ),
            Wrong(
                float(lmax - lmin),
                "The condition number is a ratio of the eigenvalues, not their difference.",
            ),
            Wrong(
                1.0,
                "The diagonal entries are equal, but the eigenvalues are not: they are $p \\pm q$.",
            ),
        ]
        what = "the condition number $\\kappa = \\lambda_{\\max}/\\lambda_{\\min}$"
        explanation = f"The eigenvalues of $H$ are $p + q = {lmax}$ and $p - q = {lmin}$, so $\\kappa = {lmax}/{lmin}$."
    H = np.array([[p, q], [q, p]], dtype=float)
    return Number(
        prompt=f"At a minimum the Hessian of a loss is $H = {_tex(H)}$. What is {what}?",
        answer=answer,
        tolerance=2e-3,
        wrong=candidates,
        explanation=explanation,
    )


def questions():
    return {
        "hessian-by-hand": hessian_by_hand,
        "classify-critical-point": classify_critical_point,
        "condition-and-step": condition_and_step,
    }
