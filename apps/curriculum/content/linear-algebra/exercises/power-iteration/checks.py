import contextlib

import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, Mistake, plots


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


# A unit vector computed in float32 has a length off by about n x 6e-8, and its entries by a
# few times 6e-8; these bounds leave room for that and nothing like a wrong answer.
LENGTH_TOL = 1e-5
VECTOR_TOL = 1e-5
EIGENVALUE_RTOL = 1e-5


def _vector_check(g: Grader, key: str):
    def run() -> str | None:
        call = g.call(key)
        v = g.array(key, 1)
        if not np.all(np.isfinite(v)):
            return f"the vector returned on {call.description} contains NaN or infinity"
        length = float(np.linalg.norm(v))
        if abs(length - 1.0) > LENGTH_TOL:
            return f"the vector returned on {call.description} has length {length:.8g}, not 1"
        reference = np.asarray(g.expected(key, 1))
        sign = 1.0 if v @ reference >= 0 else -1.0
        error = float(np.abs(sign * v - reference).max())
        if error > VECTOR_TOL:
            A = np.asarray(g.arg(key))
            residual = float(np.linalg.norm(A @ v - (v @ A @ v) * v))
            return (
                f"the vector returned on {call.description} differs from the dominant "
                f"eigenvector (up to sign) by up to {error:.3g}, and ||Av - (v^T A v) v|| = {residual:.3g}"
            )
        return None

    return run


def _eigenvalue_check(g: Grader, key: str):
    def run() -> str | None:
        call = g.call(key)
        value = g.scalar(key, 0)
        reference = float(g.expected(key, 0))
        if not np.isfinite(value):
            return f"the eigenvalue returned on {call.description} is {value}"
        if abs(value - reference) > EIGENVALUE_RTOL * abs(reference) + 1e-8:
            return (
                f"the eigenvalue returned on {call.description} is {value:.8g}, but the dominant "
                f"eigenvalue is {reference:.8g}"
            )
        return None

    return run


def grade(g: Grader) -> None:
    g.custom("the vector has length 1", _vector_check(g, "large"), points=2)
    g.custom("finds the dominant eigenvalue", _eigenvalue_check(g, "symmetric"), points=2)
    g.custom("finds the dominant eigenvector", _vector_check(g, "symmetric"), points=2)
    g.custom(
        "gets the sign of a negative dominant eigenvalue",
        _eigenvalue_check(g, "negative"),
        points=2,
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


# --- known mistakes: recognised from the learner's values (each learner picks their own start
# vector, so the signs and, unnormalised, the sizes differ from any fixed wrong implementation) --
def _direction(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _parallel(u: np.ndarray, v: np.ndarray) -> bool:
    return bool(abs(abs(float(_direction(u) @ _direction(v))) - 1.0) < 1e-6)


def _norm_as_eigenvalue(g: Grader) -> bool:
    reference = float(g.expected("negative", 0))
    return bool(np.isclose(g.scalar("negative", 0), abs(reference), rtol=1e-5))


def _never_normalised(g: Grader) -> bool:
    v = g.array("symmetric", 1)
    return bool(not np.all(np.isfinite(v)) or np.linalg.norm(v) > 1e10)


def _last_step_unnormalised(g: Grader) -> bool:
    v = g.array("symmetric", 1)
    top = abs(float(g.expected("symmetric", 0)))
    return bool(np.isclose(np.linalg.norm(v), top, rtol=1e-5)) and _parallel(
        v, g.expected("symmetric", 1)
    )


def _max_entry_scaling(g: Grader) -> bool:
    v = g.array("symmetric", 1)
    return (
        bool(np.isclose(np.abs(v).max(), 1.0, rtol=1e-9))
        and float(np.linalg.norm(v)) > 1.0 + LENGTH_TOL
        and _parallel(v, g.expected("symmetric", 1))
    )


def _left_eigenvector(g: Grader) -> bool:
    A = np.asarray(g.arg("markov"))
    values, vectors = np.linalg.eig(A.T)
    left = np.real(vectors[:, int(np.argmax(np.abs(values)))])
    v = g.array("markov", 1)
    return _parallel(v, left) and not _parallel(left, g.expected("markov", 1))


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "norm-as-eigenvalue",
            diagnosis=(
                "You return ||A x|| as the eigenvalue: a norm is never negative, so a negative "
                "dominant eigenvalue comes back with the wrong sign (as |lambda|)."
            ),
            fix="Return the Rayleigh quotient x^T A x of the final unit vector x: it keeps the sign.",
            predicate=_norm_as_eigenvalue,
        ),
        Mistake(
            "never-normalised",
            diagnosis=(
                "You never divide by the norm inside the loop: the vector grows like "
                "|lambda_1|^t, far from length 1, and overflows to inf for large eigenvalues."
            ),
            fix="After each multiplication set x = y / np.linalg.norm(y).",
            predicate=_never_normalised,
        ),
        Mistake(
            "last-step-unnormalised",
            diagnosis=(
                "You normalise before each multiplication instead of after it, so the vector you "
                "return is A x for a unit x: its length is |lambda_1|, not 1, and the Rayleigh "
                "quotient of it is off by a factor lambda_1^2."
            ),
            fix="Divide by the norm after the multiplication, so the returned x has length 1.",
            predicate=_last_step_unnormalised,
        ),
        Mistake(
            "max-entry-scaling",
            diagnosis=(
                "You rescale by the largest entry, so your vector's largest entry is 1 and its "
                "length is more than 1; the task asks for a unit vector (Euclidean norm 1)."
            ),
            fix="Divide by np.linalg.norm(x) instead of by the largest entry.",
            predicate=_max_entry_scaling,
        ),
        Mistake(
            "left-eigenvector",
            diagnosis=(
                "You multiply the row vector x @ A instead of A @ x: that iterates with A^T and "
                "converges to a left eigenvector of A, which differs from the eigenvector when A "
                "is not symmetric (as for the Markov matrix)."
            ),
            fix="Iterate x = A @ x.",
            predicate=_left_eigenvector,
        ),
    ]


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
