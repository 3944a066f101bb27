import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, Mistake, plots

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
        Call(
            "unsorted",
            "distribution",
            (np.array([0.1, 0.2, 0.3, 0.15, 0.25]), np.array([3.0, 1.0, 2.5, 1.0, 3.0])),
            label="X = (3, 1, 2.5, 1, 3) with P = (0.1, 0.2, 0.3, 0.15, 0.25)",
        ),
        Call("sum-moments", "moments", (DICE, FIRST + SECOND), label="the sum of two dice"),
        Call(
            "max-moments",
            "moments",
            (DICE, np.maximum(FIRST, SECOND)),
            label="the maximum of two dice",
        ),
        Call("random-moments", "moments", (p, x), label=f"a random space of {p.size} outcomes"),
        Call("offset", "moments", (q, offset), label="values 10^8 + 0, 1, 2 or 3"),
        # 10^8 + 1 is 10^8 in float32 (whose spacing there is 8): values kept in float64 stay
        # apart, and a variable read in float32 loses its values (and its dependence).
        Call(
            "offset-values",
            "distribution",
            (q, offset),
            label="values 10^8 + 0, 1, 2 or 3",
        ),
        Call(
            "offset-events",
            "independent",
            (DICE, 1e8 + even, (FIRST + SECOND == 8).astype(float)),
            {"tol": 1e-6},
            label="'10^8 + (first die even)' and 'sum is 8'",
        ),
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
        # with tol = 0 only exact equality passes: 1/4 = 1/2 * 1/2 exactly in floating point
        Call(
            "coins-exact",
            "independent",
            (
                np.full((2, 2), 0.25),
                np.array([[0.0, 0.0], [1.0, 1.0]]),
                np.array([[0.0, 1.0], [0.0, 1.0]]),
            ),
            {"tol": 0.0},
            label="two fair coins with tol = 0, where 1/4 = 1/2 x 1/2 exactly",
        ),
        # six outcomes of probability 1/6: the six add up to 1 - 1.1e-16, not exactly 1, so
        # P(X = a, Y = 3) and P(X = a) P(Y = 3) differ in the last digit
        Call(
            "constant-sixths",
            "independent",
            (np.full(6, 1 / 6), np.array([0.0, 1.0, 2.0, 0.0, 1.0, 2.0]), np.full(6, 3.0)),
            {"tol": 1e-6},
            label="six equally likely outcomes, X in {0, 1, 2} and a constant Y = 3",
        ),
    ]


def grade(g: Grader) -> None:
    g.check_close_all(
        "distinct values in ascending order, outcomes sharing a value merged",
        ("sum", "max", "random", "unsorted"),
        0,
        points=2,
    )
    g.check_close_all(
        "pmf adds up the probabilities of the outcomes",
        ("sum", "max", "random", "unsorted"),
        1,
        points=2,
    )
    g.check_sums_to_one("the pmf sums to one", "random", 1)
    # Whole numbers, so a value is right or off by at least 1: float32 rounds 10^8 + 1 to 10^8.
    g.check_close("values near 10^8 stay apart", "offset-values", 0, rtol=0, atol=0.25)
    g.check_close("and keep their probabilities", "offset-values", 1)
    g.check_close_all(
        "the mean weighs values by probability",
        ("sum-moments", "max-moments", "random-moments", "offset"),
        0,
        points=2,
    )
    g.check_close_all(
        "the variance under P", ("sum-moments", "max-moments", "random-moments"), 1, points=2
    )
    # The prompt asks for float64 and a relative 1e-6 here (precision: float64): float32
    # cannot store 10^8 + 3, and the variance, about 1, is 10^-16 of E[X^2].
    g.check_close("the variance survives values near 10^8", "offset", 1, rtol=1e-6)

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

    g.custom(
        "the dice events of the lesson", verdict(("sum-7", "sum-8", "offset-events")), points=2
    )
    g.custom("uncorrelated is not independent", verdict(("square",)), points=1)
    g.custom(
        "a product space, and a constant variable",
        verdict(("product", "constant", "constant-sixths", "coins-exact")),
        points=1,
    )


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _flat(p, x):
    return np.asarray(p, dtype=float).ravel(), np.asarray(x, dtype=float).ravel()


def _drops_zero(p, x):
    p, x = _flat(p, x)
    values = np.unique(x[p > 0])
    return values, np.array([p[x == v].sum() for v in values])


def _counts_outcomes(p, x):
    p, x = _flat(p, x)
    values = np.unique(x)
    return values, np.array([(x == v).sum() / x.size for v in values])


def _first_seen(p, x):
    p, x = _flat(p, x)
    acc: dict[float, float] = {}
    for v, pv in zip(x, p, strict=True):
        acc[v] = acc.get(v, 0.0) + pv
    return np.array(list(acc.keys())), np.array(list(acc.values()))


def _unweighted(p, x):
    _, x = _flat(p, x)
    return float(x.mean()), float(x.var())


def _shortcut(p, x):
    p, x = _flat(p, x)
    mean = np.sum(p * x)
    return float(mean), float(np.sum(p * x**2) - mean**2)


def _exact_equality(p, x, y, tol=1e-9):
    p, x = _flat(p, x)
    y = np.asarray(y, dtype=float).ravel()
    for a in np.unique(x):
        pa = p[x == a].sum()
        for b in np.unique(y):
            if p[(x == a) & (y == b)].sum() != pa * p[y == b].sum():
                return False
    return True


def _zero_covariance(p, x, y, tol=1e-9):
    p, x = _flat(p, x)
    y = np.asarray(y, dtype=float).ravel()
    mx, my = np.sum(p * x), np.sum(p * y)
    return bool(abs(np.sum(p * (x - mx) * (y - my))) <= tol)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "drops-zero-probability-values",
            diagnosis=(
                "distribution() leaves out the values taken only on outcomes of probability 0 "
                "(np.unique(x[p > 0])); the prompt asks for every value X takes, with "
                "probability 0 if need be."
            ),
            fix="Take the distinct values of all of x: np.unique(x.ravel()).",
            wrong={"distribution": _drops_zero},
        ),
        Mistake(
            "pmf-counts-outcomes",
            diagnosis=(
                "distribution() gives each value the fraction of outcomes that take it, which is "
                "right only when all outcomes are equally likely; P(X = v) adds the "
                "probabilities p of those outcomes."
            ),
            fix="Sum p over the outcomes with each value: np.bincount(inverse, weights=p).",
            wrong={"distribution": _counts_outcomes},
        ),
        Mistake(
            "values-in-first-seen-order",
            diagnosis=(
                "distribution() lists the values in the order they first appear in x; the "
                "prompt asks for them in ascending order."
            ),
            fix="Sort the distinct values (np.unique returns them sorted) and keep pmf aligned.",
            wrong={"distribution": _first_seen},
        ),
        Mistake(
            "unweighted-moments",
            diagnosis=(
                "moments() averages the values as if every outcome were equally likely "
                "(x.mean(), x.var()); under P each outcome counts with its probability."
            ),
            fix="mean = sum(p * x), variance = sum(p * (x - mean) ** 2).",
            wrong={"moments": _unweighted},
        ),
        Mistake(
            "shortcut-variance",
            diagnosis=(
                "moments() computes the variance as E[X^2] - E[X]^2: for values near 10^8 both "
                "terms are near 10^16 and their rounding errors are larger than the variance."
            ),
            fix="Subtract the mean first, then square: sum(p * (x - mean) ** 2).",
            wrong={"moments": _shortcut},
        ),
        Mistake(
            "independence-exact-equality",
            diagnosis=(
                "independent() compares P(X = a, Y = b) with P(X = a) P(Y = b) using == and "
                "ignores tol: the same probabilities added in a different order can differ in "
                "the last digit."
            ),
            fix="Compare |P(X = a, Y = b) - P(X = a) P(Y = b)| <= tol.",
            wrong={"independent": _exact_equality},
        ),
        Mistake(
            "zero-covariance-independence",
            diagnosis=(
                "independent() tests whether the covariance is zero; uncorrelated variables can "
                "still be dependent (Y = X^2 with X symmetric around 0)."
            ),
            fix=(
                "Build the joint table P(X = a, Y = b) and compare every entry with the product "
                "of its marginals."
            ),
            wrong={"independent": _zero_covariance},
        ),
    ]


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
