"""Concept checks of the lesson: soft-thresholding by hand, ridge shrinkage of one coefficient,
and the ball radius a ridge coefficient matches."""

import numpy as np

from apps.sandbox.grading.questions import Number, Vector, Wrong


def _vec(v: np.ndarray) -> str:
    return "(" + ", ".join(f"{x:g}" for x in v) + ")"


def soft_threshold(rng: np.random.Generator) -> Vector:
    lam = float(rng.choice([0.5, 1.0, 1.5, 2.0]))
    # one entry below the threshold, one above, one negative above: every branch shows
    small = float(rng.choice([-1, 1])) * lam * float(rng.choice([0.2, 0.4, 0.6]))
    big = lam + float(rng.choice([0.5, 1.0, 2.0, 2.5]))
    neg = -(lam + float(rng.choice([0.5, 1.5, 3.0])))
    z = rng.permutation(np.array([small, big, neg]))
    answer = np.sign(z) * np.maximum(np.abs(z) - lam, 0.0)
    wrong = [
        Wrong(
            np.where(np.abs(z) > lam, z, 0.0),
            "That is hard thresholding: the entries above the threshold must also move "
            "towards zero by $\\lambda$.",
        ),
        Wrong(
            np.maximum(z - lam, 0.0),
            "$\\max(z - \\lambda, 0)$ kills every negative entry; soft-thresholding is "
            "symmetric: $\\mathrm{sign}(z)\\max(|z| - \\lambda, 0)$.",
        ),
        Wrong(
            z / (1 + lam),
            "That is the ridge solution $z/(1 + \\lambda)$: it shrinks every entry but sets "
            "none to zero.",
        ),
        Wrong(
            z - lam,
            "Subtracting $\\lambda$ everywhere is not it: negative entries move up by $\\lambda$, and small ones stop at zero.",
        ),
    ]
    return Vector(
        prompt=(
            f"With an orthonormal design, the lasso with $\\lambda = {lam:g}$ solves each "
            f"coordinate by soft-thresholding. Compute $S_\\lambda(\\mathbf{{z}})$ for "
            f"$\\mathbf{{z}} = {_vec(z)}$."
        ),
        answer=answer.tolist(),
        wrong=wrong,
        explanation=(
            f"$S_\\lambda(z) = \\mathrm{{sign}}(z)\\max(|z| - {lam:g}, 0)$: entries with "
            f"$|z| \\le {lam:g}$ become 0, the others move {lam:g} towards zero: {_vec(answer)}."
        ),
    )


def ridge_shrinkage(rng: np.random.Generator) -> Number:
    lam = float(rng.choice([0.25, 0.5, 1.0, 3.0, 4.0]))
    z = float(rng.choice([-6, -4, -2, 2, 3, 5, 6]))
    answer = z / (1 + lam)
    wrong = [
        Wrong(
            np.sign(z) * max(abs(z) - lam, 0.0),
            "That is soft-thresholding, the L1 penalty's answer; the squared penalty "
            "$\\lambda w^2/2$ divides by $1 + \\lambda$.",
        ),
        Wrong(
            z / lam,
            "Setting $w - z + \\lambda w = 0$ gives $w = z/(1 + \\lambda)$, not $z/\\lambda$.",
        ),
        Wrong(
            z * (1 - lam), "Solve $w - z + \\lambda w = 0$ for $w$: it divides by $1 + \\lambda$."
        ),
        Wrong(
            z / (1 + 2 * lam),
            "The derivative of $\\lambda w^2/2$ is $\\lambda w$, not $2\\lambda w$.",
        ),
    ]
    return Number(
        prompt=(
            "With an orthonormal design, weight decay solves each coordinate separately: "
            f"minimise $\\tfrac12 (w - z)^2 + \\tfrac{{\\lambda}}{{2}} w^2$ for $z = {z:g}$ and "
            f"$\\lambda = {lam:g}$. What is the minimiser $w$? (Three decimals.)"
        ),
        answer=answer,
        tolerance=1e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=f"$w - z + \\lambda w = 0$ gives $w = z/(1 + \\lambda) = {z:g}/{1 + lam:g} = {answer:.3f}$.",
    )


def matching_radius(rng: np.random.Generator) -> Number:
    s = np.array([float(rng.choice([2, 3])), 1.0])
    w_ls = rng.choice([1, 2, 3], size=2).astype(float)
    y = s * w_ls
    lam = float(rng.choice([1.0, 2.0, 3.0]))
    w = s * y / (s**2 + lam)
    t = float(np.linalg.norm(w))
    wrong = [
        Wrong(
            t**2, "That is the squared norm $\\|\\mathbf{w}\\|^2$; the radius is its square root."
        ),
        Wrong(
            float(np.linalg.norm(w_ls)),
            "That is the norm of the unregularised solution; the ridge solution with "
            f"$\\lambda = {lam:g}$ is shorter.",
        ),
        Wrong(
            float(np.linalg.norm(y / (s + lam))),
            "Each coordinate is $s_i c_i/(s_i^2 + \\lambda)$: the singular value is squared in the denominator.",
        ),
        Wrong(
            float(np.linalg.norm(w_ls / (1 + lam))),
            "Dividing everything by $1 + \\lambda$ holds only for an orthonormal design; here "
            "$s_1 \\ne 1$.",
        ),
    ]
    return Number(
        prompt=(
            f"Let $X = \\mathrm{{diag}}({s[0]:g}, {s[1]:g})$ and $\\mathbf{{y}} = {_vec(y)}$. Ridge "
            f"with $\\lambda = {lam:g}$ solves the constrained problem $\\|\\mathbf{{w}}\\| \\le t$ for one "
            "radius $t$. What is $t$? (Three decimals.)"
        ),
        answer=t,
        tolerance=1e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"$\\mathbf{{w}}(\\lambda) = (s_i y_i/(s_i^2 + \\lambda))_i = {_vec(np.round(w, 4))}$, "
            f"whose norm is $t = {t:.3f}$."
        ),
    )


def questions():
    return {
        "soft-threshold": soft_threshold,
        "ridge-shrinkage": ridge_shrinkage,
        "matching-radius": matching_radius,
    }
