import contextlib

import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, plots


def _symmetric(rng: np.random.Generator, eigenvalues: np.ndarray) -> np.ndarray:
    q, _ = np.linalg.qr(rng.normal(size=(eigenvalues.size, eigenvalues.size)))
    return (q * eigenvalues) @ q.T


def _spectrum(rng: np.random.Generator, n: int, top: float) -> np.ndarray:
    """A dominant eigenvalue `top` and the rest at most 0.4 |top| in absolute value."""
    return np.concatenate([[top], rng.uniform(-0.4, 0.4, size=n - 1) * abs(top)])


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(4, 8))
    markov = rng.uniform(0.1, 1.0, size=(5, 5))
    markov /= markov.sum(axis=1, keepdims=True)  # rows sum to one: P[i, j] = P(next = j | now = i)
    return [
        Call(
            "symmetric",
            "power_iteration",
            (_symmetric(rng, _spectrum(rng, n, rng.uniform(3, 6))),),
            label=f"a random symmetric {n}x{n} matrix",
        ),
        Call(
            "negative",
            "power_iteration",
            (_symmetric(rng, _spectrum(rng, 4, -rng.uniform(3, 6))),),
            label="a matrix whose dominant eigenvalue is negative",
        ),
        Call(
            "markov",
            "power_iteration",
            (markov.T.copy(),),
            label="the transpose of a 5-state Markov transition matrix",
        ),
        Call("one", "power_iteration", (np.array([[-2.5]]),), label="the 1x1 matrix [[-2.5]]"),
        Call(
            "large",
            "power_iteration",
            (_symmetric(rng, _spectrum(rng, 6, 3000.0)),),
            {"num_iters": 500},
            label="a matrix with eigenvalues in the thousands, num_iters=500",
        ),
        Call(
            "plane",
            "power_iteration",
            (_symmetric(rng, np.array([rng.uniform(2, 3), rng.uniform(-0.8, 0.8)])),),
            label="a symmetric 2x2 matrix",
        ),
    ]


def _vector_check(g: Grader, key: str):
    def run() -> str | None:
        call = g.call(key)
        v = g.array(key, 1)
        if not np.all(np.isfinite(v)):
            return f"the vector returned on {call.description} contains NaN or infinity"
        length = float(np.linalg.norm(v))
        if abs(length - 1.0) > 1e-6:
            return f"the vector returned on {call.description} should have length 1, but has length {length:.6g}"
        reference = np.asarray(g.expected(key, 1))
        sign = 1.0 if v @ reference >= 0 else -1.0
        error = float(np.abs(sign * v - reference).max())
        if error > 1e-5:
            A = np.asarray(g.arg(key))
            residual = float(np.linalg.norm(A @ v - (v @ A @ v) * v))
            return (
                f"the vector returned on {call.description} is not the dominant eigenvector: it differs from "
                f"the reference (up to sign) by up to {error:.3g}, and ||Av - (v^T A v) v|| = {residual:.3g}"
            )
        return None

    return run


def _eigenvalue_check(g: Grader, key: str, rtol: float = 1e-6):
    def run() -> str | None:
        call = g.call(key)
        value = g.scalar(key, 0)
        reference = float(g.expected(key, 0))
        if not np.isfinite(value):
            return f"the eigenvalue returned on {call.description} is {value}"
        if abs(value - reference) > rtol * abs(reference) + 1e-9:
            return f"the eigenvalue returned on {call.description} is {value:.6g}, but the dominant eigenvalue is {reference:.6g}"
        return None

    return run


def grade(g: Grader) -> None:
    g.custom(
        "the vector has length 1",
        _vector_check(g, "large"),
        points=2,
        hint="Divide A x by its norm after every multiplication; otherwise the entries grow like |lambda_1|^t and overflow",
    )
    g.custom(
        "finds the dominant eigenvalue",
        _eigenvalue_check(g, "symmetric"),
        points=2,
        hint="After the loop, lambda = x^T A x for a unit vector x (the Rayleigh quotient)",
    )
    g.custom("finds the dominant eigenvector", _vector_check(g, "symmetric"), points=2)
    g.custom(
        "gets the sign of a negative dominant eigenvalue",
        _eigenvalue_check(g, "negative"),
        points=2,
        hint="||A x|| is never negative; the Rayleigh quotient x^T A x keeps the sign of lambda",
    )
    g.custom(
        "works for a non-symmetric Markov matrix",
        lambda: _eigenvalue_check(g, "markov")() or _vector_check(g, "markov")(),
        points=1,
    )
    g.custom(
        "works for a 1x1 matrix",
        lambda: _eigenvalue_check(g, "one")() or _vector_check(g, "one")(),
        points=1,
    )


def figures(g: Grader) -> None:
    A = np.asarray(g.arg("plane"))
    vectors = {"reference λv": float(g.expected("plane", 0)) * np.asarray(g.expected("plane", 1))}
    with contextlib.suppress(CheckFailed):
        vectors = {"yours λv": g.scalar("plane", 0) * g.array("plane", 1), **vectors}
    fig = plots.transformed_circle(
        A, {}, title="The unit circle under A, and A's dominant eigenvector"
    )
    colours = {"yours λv": plots.LEARNER, "reference λv": plots.REFERENCE}
    widths = {"yours λv": 2, "reference λv": 5}
    for name, vector in vectors.items():
        if np.all(np.isfinite(vector)):
            fig.add_scatter(
                x=[0, vector[0]],
                y=[0, vector[1]],
                mode="lines+markers",
                name=name,
                line={"color": colours[name], "width": widths[name]},
            )
    g.figure(fig)

    reference = np.abs(np.asarray(g.expected("markov", 1)))
    yours = g.try_array("markov", 1)
    g.figure(
        plots.compare_bars(
            [f"state {i + 1}" for i in range(reference.size)],
            None if yours is None else np.abs(yours) / np.abs(yours).sum(),
            reference / reference.sum(),
            title="Stationary distribution: the dominant eigenvector of Pᵀ, rescaled to sum to 1",
            y_label="probability",
        )
    )
