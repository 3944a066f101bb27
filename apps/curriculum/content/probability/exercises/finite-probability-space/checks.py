import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, plots

FIRST, SECOND = np.meshgrid(np.arange(1.0, 7.0), np.arange(1.0, 7.0), indexing="ij")
DICE = np.full((6, 6), 1 / 36)


def _random_space(rng):
    """A space of 10 to 16 outcomes with repeated values and two outcomes of probability zero."""
    n = int(rng.integers(10, 17))
    p = rng.dirichlet(np.ones(n))
    x = rng.integers(0, 5, size=n).astype(float)
    zero = rng.choice(n, size=2, replace=False)
    p[zero] = 0.0
    p /= p.sum()
    x[zero[0]] = 9.5  # a value carried only by an outcome of probability zero
    return p, x


def cases(rng: np.random.Generator) -> list[Call]:
    p, x = _random_space(rng)
    m, k = int(rng.integers(3, 6)), int(rng.integers(3, 6))
    rows, cols = rng.dirichlet(np.ones(m)), rng.dirichlet(np.ones(k))
    product = np.outer(rows, cols)
    row_value = np.broadcast_to(rng.integers(0, 3, size=(m, 1)).astype(float), (m, k))
    col_value = np.broadcast_to(rng.integers(0, 3, size=(1, k)).astype(float), (m, k))
    q = rng.dirichlet(np.ones(7))
    offset = 1e8 + rng.integers(0, 4, size=7).astype(float)
    offset[:4] = 1e8 + np.array([0.0, 1.0, 2.0, 3.0])  # never a constant variable
    even = (FIRST % 2 == 0).astype(float)
    return [
        Call("sum", "distribution", (DICE, FIRST + SECOND), label="the sum of two dice"),
        Call(
            "max",
            "distribution",
            (DICE, np.maximum(FIRST, SECOND)),
            label="the maximum of two dice",
        ),
        Call("random", "distribution", (p, x), label=f"a random space of {p.size} outcomes"),
        Call("sum-moments", "moments", (DICE, FIRST + SECOND), label="the sum of two dice"),
        Call(
            "max-moments",
            "moments",
            (DICE, np.maximum(FIRST, SECOND)),
            label="the maximum of two dice",
        ),
        Call("random-moments", "moments", (p, x), label=f"a random space of {p.size} outcomes"),
        Call("offset", "moments", (q, offset), label="values 10^8 + 0, 1, 2 or 3"),
        Call(
            "sum-7",
            "independent",
            (DICE, even, (FIRST + SECOND == 7).astype(float)),
            {"tol": 1e-6},
            label="'first die even' and 'sum is 7'",
        ),
        Call(
            "sum-8",
            "independent",
            (DICE, even, (FIRST + SECOND == 8).astype(float)),
            {"tol": 1e-6},
            label="'first die even' and 'sum is 8'",
        ),
        Call(
            "square",
            "independent",
            (np.array([0.25, 0.5, 0.25]), np.array([-1.0, 0.0, 1.0]), np.array([1.0, 0.0, 1.0])),
            {"tol": 1e-6},
            label="X in {-1, 0, 1} with P = (1/4, 1/2, 1/4) and Y = X^2",
        ),
        Call(
            "product",
            "independent",
            (product, row_value, col_value),
            {"tol": 1e-6},
            label=f"a product space of shape {product.shape}, X reading the row and Y the column",
        ),
        Call(
            "constant",
            "independent",
            (p, x, np.full_like(x, 3.0)),
            {"tol": 1e-6},
            label="any X and a constant Y = 3",
        ),
    ]


def _any_shape(g: Grader, key: str, part: int) -> np.ndarray:
    """The learner's array whatever its shape (the shape is checked by the caller)."""
    return g.array(key, part, shape=np.shape(g.output(key, part)))


def grade(g: Grader) -> None:
    def merged():
        got = _any_shape(g, "sum", 0)
        p_flat = np.asarray(g.arg("sum", 0)).ravel()
        if got.ndim != 1:
            return (
                f"values should be a flat array of the distinct values, shape (11,), "
                f"but has shape {tuple(got.shape)}"
            )
        if got.size == p_flat.size:
            return (
                "the sum of two dice takes 11 distinct values (2 to 12), but you returned one entry "
                "per outcome (36): merge the outcomes that share a value, e.g. with np.unique"
            )
        values = g.array("sum", 0)
        if not np.array_equal(values, np.arange(2.0, 13.0)):
            return f"the sum of two dice takes the values 2, 3, ..., 12; you returned {values}"
        return None

    g.custom("merges outcomes that share a value", merged, points=2)

    def ascending():
        for key in ("max", "random"):
            values = g.array(key, 0)
            expected = np.asarray(g.expected(key, 0))
            if np.array_equal(np.sort(values), expected) and not np.array_equal(values, expected):
                return (
                    f"on {g.call(key).description} the values are right but not in ascending order"
                )
            if not np.allclose(values, expected, rtol=0, atol=1e-9):
                return (
                    f"on {g.call(key).description} the distinct values are {expected}, got {values}"
                )
        return None

    def zero_probability():
        got = _any_shape(g, "random", 0).ravel()
        expected = np.asarray(g.expected("random", 0))
        if 9.5 not in got and np.all(np.isin(got, expected)):
            return (
                "the value 9.5 is taken only on an outcome of probability zero, and you dropped it; "
                "list every value X takes on the space, with probability 0 if need be"
            )
        return None

    g.custom("lists a value carried only by outcomes of probability zero", zero_probability)
    g.custom("distinct values in ascending order", ascending)

    def pmf():
        for key in ("sum", "max", "random"):
            got = g.array(key, 1)
            expected = np.asarray(g.expected(key, 1))
            if np.allclose(got, expected, rtol=1e-5, atol=1e-8):
                continue
            values = np.asarray(g.expected(key, 0))
            x_flat = np.asarray(g.arg(key, 1)).ravel()
            counts = np.array([np.sum(x_flat == v) for v in values], dtype=float)
            if np.allclose(got, counts) or np.allclose(got, counts / x_flat.size):
                return (
                    f"on {g.call(key).description} your pmf counts outcomes; weigh each outcome by "
                    "its probability p instead (the outcomes are not equally likely)"
                )
            worst = int(np.argmax(np.abs(got - expected)))
            return (
                f"on {g.call(key).description}, P(X = {values[worst]:g}) should be "
                f"{expected[worst]:.6g}, but you returned {got[worst]:.6g}"
            )
        return None

    g.custom("pmf adds up the probabilities of the outcomes", pmf, points=2)
    g.check_sums_to_one("the pmf sums to one", "random", 1)

    def mean():
        for key in ("sum-moments", "max-moments", "random-moments"):
            got = g.scalar(key, 0)
            expected = g.expected(key, 0)
            if not np.isclose(got, expected, rtol=1e-5, atol=1e-9):
                p_flat = np.asarray(g.arg(key, 0)).ravel()
                x_flat = np.asarray(g.arg(key, 1)).ravel()
                hint = (
                    "; that is the plain average of the values: weigh each by its probability"
                    if np.isclose(got, x_flat.mean()) and not np.allclose(p_flat, p_flat[0])
                    else ""
                )
                return f"on {g.call(key).description} E[X] = {expected:.6g}, got {got:.6g}{hint}"
        return None

    g.custom("the mean weighs values by probability", mean, points=2)

    def variance():
        for key in ("sum-moments", "max-moments", "random-moments"):
            got = g.scalar(key, 1)
            expected = g.expected(key, 1)
            if not np.isclose(got, expected, rtol=1e-5, atol=1e-9):
                x_flat = np.asarray(g.arg(key, 1)).ravel()
                if np.isclose(got, x_flat.var()) or np.isclose(got, x_flat.var(ddof=1)):
                    return (
                        f"on {g.call(key).description} Var[X] = {expected:.6g}, got {got:.6g}, the "
                        "unweighted variance of the values: weigh each squared deviation by its probability"
                    )
                return f"on {g.call(key).description} Var[X] = {expected:.6g}, got {got:.6g}"
        return None

    g.custom("the variance under P", variance, points=2)

    def offset():
        got = g.scalar("offset", 1)
        expected = g.expected("offset", 1)
        if not np.isclose(got, expected, rtol=1e-6, atol=0):
            p_flat = np.asarray(g.arg("offset", 0), dtype=float)
            x_flat = np.asarray(g.arg("offset", 1), dtype=float)
            naive = float(np.sum(p_flat * x_flat**2) - np.sum(p_flat * x_flat) ** 2)
            if np.isclose(got, x_flat.var()) or np.isclose(got, x_flat.var(ddof=1)):
                why = "the unweighted variance of the values: weigh each squared deviation by its probability"
            elif np.isclose(got, naive, rtol=1e-9, atol=0):
                why = (
                    "E[X^2] - E[X]^2 subtracts two numbers near 10^16 whose rounding errors are larger "
                    "than the variance; subtract the mean first, then square"
                )
            else:
                why = (
                    "subtract the mean first, then square, and keep float64: float32 cannot even "
                    "store 10^8 + 3 exactly"
                )
            return (
                f"for values near 10^8, Var[X] = {expected:.6g}, but you returned {got:.6g}: {why}"
            )
        if not np.isclose(g.scalar("offset", 0), g.expected("offset", 0), rtol=1e-12, atol=0):
            return (
                f"E[X] should be {g.expected('offset', 0):.12g}, got {g.scalar('offset', 0):.12g}"
            )
        return None

    g.custom("the variance survives values near 10^8", offset, points=1)

    def verdict(keys):
        def run():
            for key in keys:
                got = g.output(key)
                expected = g.expected(key)
                if not isinstance(got, int):  # bool is a subclass of int
                    raise CheckFailed(
                        f"independent() should return True or False, but returned {type(got).__name__}"
                    )
                if bool(got) != expected:
                    return (
                        f"{g.call(key).description} are {'independent' if expected else 'dependent'}, "
                        f"but you returned {bool(got)}"
                    )
            return None

        return run

    g.custom("the dice events of the lesson", verdict(("sum-7", "sum-8")), points=2)
    g.custom(
        "uncorrelated is not independent",
        verdict(("square",)),
        points=1,
        hint="Cov(X, X^2) = 0 here, yet P(X = 0, Y = 1) = 0 while P(X = 0) P(Y = 1) = 1/4",
    )
    g.custom(
        "a product space, and a constant variable",
        verdict(("product", "constant")),
        points=1,
        hint=(
            "Compare within tol, never with ==: the same probabilities summed in a different order "
            "can differ in the last digit"
        ),
    )


def figures(g: Grader) -> None:
    values = np.asarray(g.expected("random", 0))
    reference = np.asarray(g.expected("random", 1))
    yours = g.try_array("random", 1)
    g.figure(
        plots.compare_bars(
            [f"{v:g}" for v in values],
            yours,
            reference,
            title="the distribution of X on a random space: P(X = v) for each value v",
            y_label="probability",
        )
    )
    values = np.asarray(g.expected("sum", 0))
    g.figure(
        plots.compare_bars(
            [f"{v:g}" for v in values],
            g.try_array("sum", 1),
            np.asarray(g.expected("sum", 1)),
            title="the sum of two dice",
            y_label="probability",
        )
    )
