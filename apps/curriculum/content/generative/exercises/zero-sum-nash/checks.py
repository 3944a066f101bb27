import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, Mistake, PlainFigure, plots

# The default relative tolerance, applied to the payoffs' scale: a correct float32 solution is
# off by about 1e-7 of the largest payoff.
RTOL = 1e-5
# A rectangular game fixed under every seed, on which each wrong exploitability differs.
FIXED_GAME = np.array([[3.0, -1.0, 0.0], [-2.0, 1.0, 2.0]])


def _mixed_game(rng: np.random.Generator) -> np.ndarray:
    """A 2x2 game with no saddle point: the diagonal beats the off-diagonal."""
    low = rng.uniform(-2.0, 0.0, size=2)
    high = rng.uniform(0.5, 3.0, size=2)
    return np.array([[high[0], low[0]], [low[1], high[1]]]) + rng.normal()


def _saddle_game(rng: np.random.Generator) -> np.ndarray:
    """A 2x2 game whose row 1 dominates row 2, so it has a pure equilibrium."""
    top = rng.uniform(1.0, 3.0, size=2)
    top[1] += 1.0  # make the column choice unique: column 0 is the smaller in the top row
    bottom = top - rng.uniform(0.5, 1.5, size=2)
    game = np.array([top, bottom])
    return game[rng.permutation(2)][:, rng.permutation(2)]


def cases(rng: np.random.Generator) -> list[Call]:
    m, n = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    big = rng.normal(size=(m, n))
    p, q = rng.dirichlet(np.ones(m)), rng.dirichlet(np.ones(n))
    pennies = np.array([[1.0, -1.0], [-1.0, 1.0]])
    return [
        Call(
            "exp_random",
            "exploitability",
            (big, p, q),
            label=f"a random {m}x{n} game with random mixed strategies",
        ),
        Call(
            "exp_pennies",
            "exploitability",
            (pennies, np.array([0.5, 0.5]), np.array([0.5, 0.5])),
            label="matching pennies with uniform play (an equilibrium)",
        ),
        Call(
            "exp_pure",
            "exploitability",
            (pennies, np.array([1.0, 0.0]), np.array([1.0, 0.0])),
            label="matching pennies with both players on their first action",
        ),
        Call(
            "exp_fixed",
            "exploitability",
            (FIXED_GAME, np.array([0.6, 0.4]), np.array([0.5, 0.2, 0.3])),
            label="the 2x3 game [[3, -1, 0], [-2, 1, 2]] with p = (0.6, 0.4), q = (0.5, 0.2, 0.3)",
        ),
        Call(
            "mixed",
            "solve_2x2",
            (_mixed_game(rng),),
            label="a random 2x2 game without a saddle point",
        ),
        Call(
            "mixed2",
            "solve_2x2",
            (_mixed_game(rng),),
            label="another random 2x2 game without a saddle point",
        ),
        Call(
            "saddle",
            "solve_2x2",
            (_saddle_game(rng),),
            label="a random 2x2 game with a saddle point",
        ),
        Call("pennies", "solve_2x2", (pennies,), label="matching pennies [[1, -1], [-1, 1]]"),
        Call(
            "column",
            "solve_2x2",
            (np.array([[1.0, 4.0], [3.0, 5.0]]),),
            label="[[1, 4], [3, 5]] (column 2 is dominated; saddle point at row 2, column 1)",
        ),
        # Saddle points that the row with the largest entry (or the column with the smallest)
        # does not hold: finding the saddle by the wrong extreme gives a different pair.
        Call(
            "saddle_row",
            "solve_2x2",
            (np.array([[2.0, 3.0], [0.0, 9.0]]),),
            label="[[2, 3], [0, 9]] (saddle point at row 1, column 1)",
        ),
        Call(
            "saddle_column",
            "solve_2x2",
            (np.array([[2.0, 3.0], [1.0, -4.0]]),),
            label="[[2, 3], [1, -4]] (saddle point at row 1, column 1)",
        ),
        Call(
            "dominated",
            "solve_2x2",
            (np.array([[3.0, 1.0], [2.0, 0.0]]),),
            label="[[3, 1], [2, 0]] (row 2 is dominated)",
        ),
    ]


def _equilibrium(g: Grader, key: str) -> str | None:
    A = np.asarray(g.arg(key), dtype=float)
    scale = RTOL * max(1.0, float(np.abs(A).max()))
    p, q = g.array(key, 0, shape=(2,)), g.array(key, 1, shape=(2,))
    for name, v in (("p", p), ("q", q)):
        if not np.all(np.isfinite(v)):
            return (
                f"solve_2x2() on {g.call(key).description}: {name} = "
                f"{np.array2string(v, precision=6)} contains NaN or an infinity"
            )
        if np.any(v < -RTOL) or np.any(v > 1 + RTOL) or abs(v.sum() - 1) > RTOL:
            return (
                f"solve_2x2() on {g.call(key).description}: {name} = "
                f"{np.array2string(v, precision=6)} is not a probability vector (entries in "
                "[0, 1] summing to 1)"
            )
    row_best, col_best = (A @ q).max(), (p @ A).min()
    gap = row_best - col_best
    if gap > scale:
        return (
            f"solve_2x2() on {g.call(key).description}: (p, q) = "
            f"({np.array2string(p, precision=6)}, {np.array2string(q, precision=6)}) is "
            f"exploitable by {gap:.6g}: against q the rows pay "
            f"{np.array2string(A @ q, precision=6)}, against p the columns pay "
            f"{np.array2string(p @ A, precision=6)}"
        )
    return None


def _value(g: Grader, key: str) -> str | None:
    value = g.scalar(key, 2)
    expected = g.expected(key, 2)
    if not abs(value - expected) <= RTOL * max(1.0, abs(expected)):
        return (
            f"solve_2x2() on {g.call(key).description}: the value should be {expected:.8g}, "
            f"got {value:.8g}"
        )
    return None


def grade(g: Grader) -> None:
    g.check_close("exploitability of random strategies", "exp_random", points=1)
    g.check_close("exploitability in a 2x3 game", "exp_fixed", points=0.5)
    # The answer is 0, made of order-1 payoffs: their float32 error sets the absolute tolerance.
    g.check_close("exploitability is 0 at an equilibrium", "exp_pennies", atol=1e-6, points=0.5)
    g.check_close("exploitability of pure play in matching pennies", "exp_pure", points=0.5)
    g.custom("a mixed equilibrium", lambda: _equilibrium(g, "mixed"), points=2)
    g.custom("another mixed equilibrium", lambda: _equilibrium(g, "mixed2"), points=1)
    g.custom("the value of a mixed game", lambda: _value(g, "mixed"), points=1)
    g.custom("a game with a saddle point", lambda: _equilibrium(g, "saddle"), points=1.5)
    g.custom("the value of a game with a saddle point", lambda: _value(g, "saddle"), points=0.5)
    g.custom("a dominated row", lambda: _equilibrium(g, "dominated"), points=1)
    g.custom("a dominated column", lambda: _equilibrium(g, "column"), points=0.5)
    g.custom(
        "saddle points away from the extreme entries",
        lambda: _equilibrium(g, "saddle_row") or _equilibrium(g, "saddle_column"),
        points=0.5,
    )
    g.custom(
        "matching pennies", lambda: _equilibrium(g, "pennies") or _value(g, "pennies"), points=0.5
    )


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _arrays(A, p, q):
    return (np.asarray(v, dtype=float) for v in (A, p, q))


def _one_sided(A, p, q):
    A, p, q = _arrays(A, p, q)
    return float(np.max(A @ q) - p @ A @ q)


def _players_swapped(A, p, q):
    A, p, q = _arrays(A, p, q)
    return float(np.max(p @ A) - np.min(A @ q))


def _reversed(A, p, q):
    A, p, q = _arrays(A, p, q)
    return float(np.min(p @ A) - np.max(A @ q))


def _indifference(A, *, swap=False):
    (a, b), (c, d) = np.asarray(A, dtype=float)
    s = a - b - c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, q1 = (d - c) / s, (d - b) / s
    if swap:
        p1, q1 = q1, p1
    p, q = np.array([p1, 1 - p1]), np.array([q1, 1 - q1])
    if swap:
        return p, q, float(p @ np.asarray(A, dtype=float) @ q)
    with np.errstate(divide="ignore", invalid="ignore"):
        return p, q, float((a * d - b * c) / s)


def _saddle(A, *, reverse=False):
    A = np.asarray(A, dtype=float)
    for i in range(2):
        for j in range(2):
            row_ok = A[i, j] == (A[i].max() if reverse else A[i].min())
            col_ok = A[i, j] == (A[:, j].min() if reverse else A[:, j].max())
            if row_ok and col_ok:
                return np.eye(2)[i], np.eye(2)[j], float(A[i, j])
    return None


def _always_indifference(A):
    return _indifference(A)


def _saddle_reversed(A):
    return _saddle(A, reverse=True) or _indifference(A)


def _swapped_mixes(A):
    return _saddle(A) or _indifference(A, swap=True)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "exploitability-reversed",
            diagnosis=(
                "Your exploitability subtracts the wrong way round, min_j (pᵀA)_j - "
                "max_i (Aq)_i, which is never positive."
            ),
            fix="Return max_i (A q)_i - min_j (pᵀA)_j: the row player's best reply minus the column player's.",
            wrong={"exploitability": _reversed},
        ),
        Mistake(
            "exploitability-players-swapped",
            diagnosis=(
                "Your exploitability gives each player the other's best reply: max_j (pᵀA)_j - "
                "min_i (Aq)_i. The row player deviates over rows, (A q)_i; the column player "
                "over columns, (pᵀA)_j."
            ),
            fix="Use (A @ q).max() - (p @ A).min().",
            wrong={"exploitability": _players_swapped},
        ),
        Mistake(
            "exploitability-one-sided",
            diagnosis=(
                "Your exploitability counts only the row player's gain, max_i (Aq)_i - pᵀAq, and "
                "leaves out the column player's, pᵀAq - min_j (pᵀA)_j."
            ),
            fix="Add both gains: max_i (A q)_i - min_j (pᵀA)_j.",
            wrong={"exploitability": _one_sided},
        ),
        Mistake(
            "always-indifference",
            diagnosis=(
                "Your solve_2x2 always uses the indifference formulas: when the game has a "
                "saddle point they give 'probabilities' outside [0, 1] (or divide by zero)."
            ),
            fix=(
                "First look for a saddle point (max of the row minima equal to the min of the "
                "column maxima) and return it as one-hot vectors; only otherwise mix."
            ),
            wrong={"solve_2x2": _always_indifference},
        ),
        Mistake(
            "saddle-test-reversed",
            diagnosis=(
                "Your saddle test looks for an entry that is the maximum of its row and the "
                "minimum of its column; for a maximising row player a saddle point is the "
                "minimum of its row and the maximum of its column."
            ),
            fix="Test A[i, j] == A[i].min() and A[i, j] == A[:, j].max().",
            wrong={"solve_2x2": _saddle_reversed},
        ),
        Mistake(
            "swapped-mixes",
            diagnosis=(
                "Your mixed equilibrium swaps the two players' mixes: p must make the COLUMN "
                "player indifferent, p_1 = (d - c)/s, and q the row player, q_1 = (d - b)/s."
            ),
            fix="p1 = (d - c) / s and q1 = (d - b) / s with s = a - b - c + d.",
            wrong={"solve_2x2": _swapped_mixes},
        ),
    ]


def figures(g: Grader) -> None:
    A = np.asarray(g.arg("mixed"), dtype=float)
    p1 = np.linspace(0, 1, 101)
    # The row player's guaranteed payoff min_j (p^T A)_j as a function of p_1.
    cols = np.outer(p1, A[0]) + np.outer(1 - p1, A[1])
    fig = PlainFigure()
    fig.add_scatter(
        x=p1,
        y=cols[:, 0],
        name="payoff if the column player picks column 1",
        line={"color": plots.NEUTRAL, "dash": "dot"},
    )
    fig.add_scatter(
        x=p1,
        y=cols[:, 1],
        name="payoff if the column player picks column 2",
        line={"color": plots.NEUTRAL, "dash": "dash"},
    )
    fig.add_scatter(
        x=p1,
        y=cols.min(axis=1),
        name="guaranteed payoff min_j (pᵀA)_j",
        line={"color": plots.REFERENCE, "width": 3},
    )
    ref_p = g.expected("mixed", 0)
    fig.add_scatter(
        x=[ref_p[0]],
        y=[g.expected("mixed", 2)],
        mode="markers",
        name="reference equilibrium",
        marker={"color": plots.REFERENCE, "size": 14, "symbol": "diamond"},
    )
    try:
        yours_p = g.array("mixed", 0, shape=(2,))
        yours_v = g.scalar("mixed", 2)
        if np.all(np.isfinite([yours_p[0], yours_v])):
            fig.add_scatter(
                x=[yours_p[0]],
                y=[yours_v],
                mode="markers",
                name="your (p₁, value)",
                marker={"color": plots.LEARNER, "size": 10},
            )
    except CheckFailed:
        pass
    fig.update_layout(
        title={
            "text": "The row player's guarantee is highest where the column player is indifferent"
        },
        xaxis_title="p₁ (probability of row 1)",
        yaxis_title="row player's expected payoff",
        height=420,
    )
    g.figure(fig)
