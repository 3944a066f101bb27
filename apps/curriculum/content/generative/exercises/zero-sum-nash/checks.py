import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, CheckFailed, Grader, plots

MIXED_HINT = (
    "the row player's p must make the COLUMN player indifferent between columns "
    "(p^T A has equal entries), and q must make the row player indifferent (A q has equal entries)"
)


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
            "dominated",
            "solve_2x2",
            (np.array([[3.0, 1.0], [2.0, 0.0]]),),
            label="[[3, 1], [2, 0]] (row 2 is dominated)",
        ),
    ]


def _equilibrium(g: Grader, key: str) -> str | None:
    A = np.asarray(g.arg(key), dtype=float)
    p, q = g.array(key, 0, shape=(2,)), g.array(key, 1, shape=(2,))
    for name, v in (("p", p), ("q", q)):
        if np.any(v < -1e-9) or np.any(v > 1 + 1e-9) or abs(v.sum() - 1) > 1e-8:
            return (
                f"solve_2x2() on {g.call(key).description}: {name} = {np.round(v, 4).tolist()} is not a probability "
                f"vector (entries in [0, 1] summing to 1)"
            )
    row_best, col_best = (A @ q).max(), (p @ A).min()
    gap = row_best - col_best
    if gap > 1e-8:
        return (
            f"solve_2x2() on {g.call(key).description}: (p, q) = ({np.round(p, 4).tolist()}, {np.round(q, 4).tolist()}) "
            f"is exploitable by {gap:.4g}: against q the rows pay {np.round(A @ q, 4).tolist()}, against p the columns "
            f"pay {np.round(p @ A, 4).tolist()}, so a player gains by deviating"
        )
    return None


def _value(g: Grader, key: str) -> str | None:
    value = g.scalar(key, 2)
    expected = g.expected(key, 2)
    if abs(value - expected) > 1e-8 * max(1.0, abs(expected)):
        return f"solve_2x2() on {g.call(key).description}: the value should be {expected:.6g}, got {value:.6g}"
    return None


def grade(g: Grader) -> None:
    g.check_close(
        "exploitability of random strategies",
        "exp_random",
        rtol=1e-9,
        atol=1e-12,
        points=1,
        hint="the gap is max_i (A q)_i minus min_j (p^T A)_j: the best pure replies, not the current payoff",
    )
    g.check_close("exploitability is 0 at an equilibrium", "exp_pennies", atol=1e-12, points=0.5)
    g.check_close(
        "exploitability of pure play in matching pennies", "exp_pure", atol=1e-12, points=0.5
    )
    g.custom("a mixed equilibrium", lambda: _equilibrium(g, "mixed"), points=2, hint=MIXED_HINT)
    g.custom(
        "another mixed equilibrium", lambda: _equilibrium(g, "mixed2"), points=1, hint=MIXED_HINT
    )
    g.custom(
        "the value of a mixed game",
        lambda: _value(g, "mixed"),
        points=1,
        hint="the value is p^T A q at the equilibrium, (ad - bc) / (a - b - c + d) for a mixed 2x2 game",
    )
    g.custom(
        "a game with a saddle point",
        lambda: _equilibrium(g, "saddle"),
        points=1.5,
        hint="check for a saddle point first (max of row minima equal to min of column maxima): "
        "there the indifference formulas give numbers outside [0, 1]",
    )
    g.custom(
        "a dominated row",
        lambda: _equilibrium(g, "dominated"),
        points=1,
        hint="row 1 beats row 2 in every column, so the row player never plays row 2: a saddle point",
    )
    g.custom(
        "matching pennies", lambda: _equilibrium(g, "pennies") or _value(g, "pennies"), points=0.5
    )


def figures(g: Grader) -> None:
    A = np.asarray(g.arg("mixed"), dtype=float)
    p1 = np.linspace(0, 1, 101)
    # The row player's guaranteed payoff min_j (p^T A)_j as a function of p_1.
    cols = np.outer(p1, A[0]) + np.outer(1 - p1, A[1])
    fig = go.Figure()
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
