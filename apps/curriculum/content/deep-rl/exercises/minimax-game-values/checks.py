import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, Mistake, changes_argument, plots
from apps.sandbox.grading.plain import PlainFigure, subplots

NAN = float("nan")
SYMBOLS = {1: "triangle-up", -1: "triangle-down", 0: "circle"}


# --- games ---------------------------------------------------------------------------------
def _random_game(rng, sizes, root_player=1):
    """A layered game DAG: children in later layers only (so larger indices), transpositions,
    forced moves, early terminal nodes, and turns that mostly but not always alternate."""
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    layers = [list(range(starts[i], starts[i + 1])) for i in range(len(sizes))]
    S = int(starts[-1])
    children: list[list[int]] = [[] for _ in range(S)]
    player = np.zeros(S, dtype=int)
    has_parent = np.zeros(S, dtype=bool)
    for depth, layer in enumerate(layers[:-1]):
        nxt = layers[depth + 1]
        movers = [s for s in layer if depth == 0 or rng.random() > 0.2]
        if not movers:
            movers = [layer[0]]
        for s in movers:
            pool = list(nxt)
            if depth + 2 < len(layers) and rng.random() < 0.3:
                pool.append(int(rng.choice(layers[depth + 2])))
            k = int(rng.integers(1, min(3, len(pool)) + 1))
            children[s] = [int(c) for c in rng.choice(pool, size=k, replace=False)]
        for c in nxt:
            if not has_parent[c] and not any(c in children[s] for s in movers):
                children[int(rng.choice(movers))].append(c)
        for s in movers:
            has_parent[children[s]] = True
            turn = 1 if depth % 2 == 0 else -1
            player[s] = turn if rng.random() > 0.3 else -turn
    player[0] = root_player
    terminal = np.array([not kids for kids in children])
    payoff = np.where(terminal, np.round(rng.normal(0.0, 2.0, size=S), 1), NAN)
    return children, player, payoff


def _values(children, player, payoff):
    V = np.empty(len(children))
    for s in range(len(children) - 1, -1, -1):
        kids = children[s]
        if not kids:
            V[s] = payoff[s]
        else:
            V[s] = V[kids].max() if player[s] == 1 else V[kids].min()
    return V


def _estimate(rng, game, noise):
    """A value network in miniature: the true value plus noise, and nonsense at terminals."""
    children, _, _ = game
    V = _values(*game)
    terminal = np.array([not kids for kids in children])
    guess = V + noise * rng.normal(size=V.shape)
    return np.round(np.where(terminal, guess + 3.0, guess), 3)


def _height(children):
    """The number of moves on the longest path from the root to a terminal node."""
    longest = np.zeros(len(children), dtype=int)
    for s in range(len(children) - 1, -1, -1):
        if children[s]:
            longest[s] = 1 + max(longest[c] for c in children[s])
    return int(longest[0])


TEXTBOOK = ([[1, 2], [3, 4], [4, 5], [], [], []], np.array([1, -1, -1, 0, 0, 0]))
# Max moves at 0 and again at 1 (an extra move); alternating turns would make 1 a Min node.
DOUBLE = (
    [[1, 2], [3, 4], [5, 6], [], [], [], []],
    np.array([1, 1, -1, 0, 0, 0, 0]),
    np.array([NAN, NAN, NAN, -2.0, 5.0, 1.0, 4.0]),
)
# Forced moves (nodes 0 and 2 have one child) and only losses for Max.
FORCED = (
    [[1], [2, 3], [4], [], [5, 6], [], []],
    np.array([-1, 1, -1, 0, 1, 0, 0]),
    np.array([NAN, NAN, NAN, -2.0, NAN, -4.0, -3.0]),
)
# Equal moves at the root and at node 1, and node 5 reached from both 1 and 2.
TIES = (
    [[1, 2, 3], [4, 5], [5, 6], [], [], [], []],
    np.array([1, -1, -1, 0, 0, 0, 0]),
    np.array([NAN, NAN, NAN, 1.5, 2.5, 2.5, 3.0]),
)
# Four nodes for a depth of 3: the table is square, 4 x 4.
SQUARE = ([[1, 2], [2, 3], [], []], np.array([1, -1, 0, 0]), np.array([NAN, NAN, 1.0, -1.0]))


def cases(rng: np.random.Generator) -> list[Call]:
    big = _random_game(rng, [1, 3, 5, 7, 8, 9, 6])
    small = _random_game(rng, [1, 2, 4, 5, 4], root_player=-1)
    cut = _random_game(rng, [1, 3, 4, 6, 7, 5])
    textbook = (*TEXTBOOK, np.array([NAN, NAN, NAN, 3.0, -1.0, 2.0]) + rng.integers(-3, 4))
    root = ([[]], np.array([0]), np.array([float(rng.integers(-9, 10)) / 4 + 0.1]))
    S = len(big[0])
    return [
        Call("random", "minimax", big, label=f"a random game of {S} nodes"),
        Call(
            "min-root",
            "minimax",
            small,
            label=f"a random game of {len(small[0])} nodes in which Min moves first",
        ),
        Call(
            "textbook",
            "minimax",
            textbook,
            label=f"the six-node tree with results {textbook[2][3:].tolist()}",
        ),
        Call("double", "minimax", DOUBLE, label="a game in which Max moves twice in a row"),
        Call(
            "forced",
            "minimax",
            FORCED,
            label="a game with forced moves and only losses for Max (results -2, -4, -3)",
        ),
        Call("ties", "minimax", TIES, label="a game with equally good moves"),
        Call("root", "minimax", root, label="a game that is over at the root"),
        Call(
            "d-beyond",
            "depth_limited_values",
            (*big, _estimate(rng, big, 0.8), _height(big[0]) + 2),
            label=f"the random game of {S} nodes, searched 2 moves beyond its end",
        ),
        Call(
            "d-short",
            "depth_limited_values",
            (*cut, _estimate(rng, cut, 1.5), 2),
            label=f"a random game of {len(cut[0])} nodes searched 2 moves deep",
        ),
        Call(
            "d-zero",
            "depth_limited_values",
            (*small, _estimate(rng, small, 0.5), 0),
            label="depth 0 (the value network alone)",
        ),
        Call(
            "d-double",
            "depth_limited_values",
            (*DOUBLE, np.array([0.5, -1.0, 2.0, 7.0, 7.0, 7.0, 7.0]), 3),
            label="the game in which Max moves twice in a row, depth 3",
        ),
        Call(
            "d-square",
            "depth_limited_values",
            (*SQUARE, np.array([0.25, 0.75, -5.0, 5.0]), 3),
            label="four nodes searched 3 moves deep",
        ),
        Call(
            "d-root",
            "depth_limited_values",
            (*root, np.array([root[2][0] + 1.0]), 2),
            label="a game that is over at the root, depth 2",
        ),
    ]


MINIMAX_KEYS = ("random", "min-root", "textbook", "double", "forced", "ties", "root")
DEPTH_KEYS = ("d-beyond", "d-short", "d-zero", "d-double", "d-square", "d-root")


# --- checks --------------------------------------------------------------------------------
def _line_problem(g: Grader, key: str) -> str | None:
    children, player, _ = g.args(key)
    V = np.asarray(g.expected(key, 0))
    where = f"on {g.call(key).description}"
    raw = g.output(key, 1)
    try:
        line = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        return f"the line {where} should be an array of node indices"
    if line.ndim != 1 or line.size == 0:
        return f"the line {where} should be a 1-D array of node indices, got shape {line.shape}"
    if not np.all(np.isfinite(line)) or not np.all(line == np.round(line)):
        return f"the line {where} should hold integer node indices, got {line.tolist()}"
    nodes = line.astype(int)
    if nodes[0] != 0:
        return f"the line {where} should start at the root 0, but starts at {nodes[0]}"
    for i, s in enumerate(nodes):
        if not 0 <= s < len(children):
            return f"the line {where} holds node {s}, outside 0..{len(children) - 1}"
        kids = list(children[s])
        if i == len(nodes) - 1:
            if kids:
                return (
                    f"the line {where} ends at node {s}, which is not terminal "
                    f"(its children are {kids})"
                )
            break
        nxt = int(nodes[i + 1])
        if nxt not in kids:
            what = "is terminal" if not kids else f"has the children {kids}"
            return f"the line {where} moves from node {s} to node {nxt}, but node {s} {what}"
        mover = "Max" if player[s] == 1 else "Min"
        best_at = int(np.argmax(V[kids]) if player[s] == 1 else np.argmin(V[kids]))
        best = V[kids][best_at]
        # The tolerance policy's: a float32 learner may see two nearly equal moves as a tie.
        if abs(V[nxt] - best) > max(1e-5 * abs(best), 1e-6 * np.abs(V).max(), 1e-8):
            return (
                f"the line {where} moves from node {s} to node {nxt}, worth V = {V[nxt]:.6g}, "
                f"but {mover} moves at node {s} and the move to node {kids[best_at]} is worth "
                f"{best:.6g}"
            )
    return None


def _lines(g: Grader, keys):
    def run() -> str | None:
        for key in keys:
            problem = _line_problem(g, key)
            if problem:
                return problem
        return None

    return run


def grade(g: Grader) -> None:
    g.check_close_all("minimax values of random games", ("random", "min-root"), 0, points=2)
    g.check_close("minimax values of the six-node tree", "textbook", 0)
    g.check_close("a player moving twice in a row", "double", 0)
    g.check_close("forced moves and results all below 0", "forced", 0)
    g.check_close_all("equal moves, and a game over at the root", ("ties", "root"), 0)
    g.custom(
        "the principal variation of random games",
        _lines(g, ("random", "min-root")),
        points=2,
    )
    g.custom(
        "the principal variation of small games (ties: any best move)",
        _lines(g, ("textbook", "double", "forced", "root", "ties")),
    )
    g.check_close(
        "depth-limited values beyond the end of the game equal the minimax values",
        "d-beyond",
        points=2,
    )
    g.check_close("a lookahead of 2 moves from the value network", "d-short", points=2)
    g.check_close_all("depth 0, and a game over at the root", ("d-zero", "d-root"), points=1)
    g.check_close_all(
        "a player moving twice, and a square table", ("d-double", "d-square"), points=1
    )


# --- known mistakes ------------------------------------------------------------------------
def _floats(player, payoff):
    return np.asarray(player), np.asarray(payoff, dtype=float)


def _follow(children, choose):
    line = [0]
    while children[line[-1]]:
        s = line[-1]
        kids = list(children[s])
        line.append(int(kids[choose(s, kids)]))
    return np.array(line)


def _best_line(children, player, V):
    return _follow(
        children,
        lambda s, kids: np.argmax(V[kids]) if player[s] == 1 else np.argmin(V[kids]),
    )


def _minimax_with(children, player, payoff, backup):
    player, payoff = _floats(player, payoff)
    V = np.empty(len(children))
    for s in range(len(children) - 1, -1, -1):
        kids = list(children[s])
        V[s] = payoff[s] if not kids else backup(player[s], V[kids])
    return V


def _swapped(children, player, payoff):
    V = _minimax_with(children, player, payoff, lambda p, v: v.min() if p == 1 else v.max())
    return V, _best_line(children, -np.asarray(player), V)


def _always_max(children, player, payoff):
    V = _minimax_with(children, player, payoff, lambda p, v: v.max())
    return V, _follow(children, lambda s, kids: np.argmax(V[kids]))


def _zero_start(children, player, payoff):
    def backup(p, v):
        return max(0.0, v.max()) if p == 1 else min(0.0, v.min())

    V = _minimax_with(children, player, payoff, backup)
    return V, _best_line(children, np.asarray(player), V)


def _alternating(children, player, payoff):
    player, payoff = _floats(player, payoff)
    memo: dict[tuple[int, int], float] = {}

    def value(s, turn):
        if (s, turn) not in memo:
            kids = list(children[s])
            if not kids:
                memo[s, turn] = float(payoff[s])
            else:
                vals = [value(c, -turn) for c in kids]
                memo[s, turn] = max(vals) if turn == 1 else min(vals)
        return memo[s, turn]

    V = np.array([value(s, int(player[s]) or 1) for s in range(len(children))])
    line, turn = [0], int(player[0])
    while children[line[-1]]:
        kids = list(children[line[-1]])
        vals = [value(c, -turn) for c in kids]
        line.append(int(kids[int(np.argmax(vals) if turn == 1 else np.argmin(vals))]))
        turn = -turn
    return V, np.array(line)


def _forward(children, player, payoff):
    player, payoff = _floats(player, payoff)
    V = np.zeros(len(children))
    for s in range(len(children)):
        kids = list(children[s])
        if not kids:
            V[s] = payoff[s]
        else:
            V[s] = V[kids].max() if player[s] == 1 else V[kids].min()
    return V, _best_line(children, player, V)


def _right_values(children, player, payoff):
    return _minimax_with(children, player, payoff, lambda p, v: v.max() if p == 1 else v.min())


def _line_always_argmax(children, player, payoff):
    V = _right_values(children, player, payoff)
    return V, _follow(children, lambda s, kids: np.argmax(V[kids]))


def _line_without_root(children, player, payoff):
    V = _right_values(children, player, payoff)
    return V, _best_line(children, np.asarray(player), V)[1:]


def _table(children, player, payoff, estimate, depth, row0_terminal, later_terminal, inplace):
    player, payoff = _floats(player, payoff)
    estimate = np.asarray(estimate, dtype=float)
    S = len(children)
    terminal = np.array([not kids for kids in children])
    table = np.empty((depth + 1, S))
    table[0] = np.where(terminal, payoff, estimate) if row0_terminal else estimate
    for k in range(depth):
        table[k + 1] = table[k]
        source = table[k + 1] if inplace else table[k]
        for s in range(S - 1, -1, -1):
            kids = list(children[s])
            if not kids:
                table[k + 1, s] = payoff[s] if later_terminal else table[k, s]
            else:
                v = source[kids]
                table[k + 1, s] = v.max() if player[s] == 1 else v.min()
    return table


def _terminal_keeps_estimate(children, player, payoff, estimate, depth):
    return _table(children, player, payoff, estimate, depth, False, False, False)


def _estimate_at_terminal(children, player, payoff, estimate, depth):
    return _table(children, player, payoff, estimate, depth, False, True, False)


def _in_place(children, player, payoff, estimate, depth):
    return _table(children, player, payoff, estimate, depth, True, True, True)


def _no_row_zero(children, player, payoff, estimate, depth):
    return _table(children, player, payoff, estimate, depth, True, True, False)[1:]


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "alternating-turns",
            diagnosis=(
                "In minimax you switch the player at every move (Max, Min, Max, ...) instead of "
                "reading player[s] at each node: where a player moves twice in a row, the second "
                "node gets the other player's max or min."
            ),
            fix="At each node s use the max when player[s] == 1 and the min when player[s] == -1.",
            hints=("On the game where Max moves twice, who moves at node 1?",),
            wrong={"minimax": _alternating},
        ),
        Mistake(
            "players-swapped",
            diagnosis=(
                "In minimax you take the min where Max moves (player[s] == 1) and the max where "
                "Min moves: the two players' roles are exchanged."
            ),
            fix="player[s] == 1 is Max, who picks the child of largest V; -1 is Min.",
            wrong={"minimax": _swapped},
        ),
        Mistake(
            "always-max",
            diagnosis=(
                "In minimax every non-terminal node takes the largest child value, as in "
                "single-agent value iteration: Min's nodes should take the smallest."
            ),
            fix="Use V[kids].min() where player[s] == -1 (for the values and for the line).",
            wrong={"minimax": _always_max},
        ),
        Mistake(
            "zero-start",
            diagnosis=(
                "In minimax your max and min start from 0 instead of from the children: a node "
                "whose children are all worth less than 0 (for Max) or more than 0 (for Min) "
                "gets 0."
            ),
            fix="Take the max or min over the children's values only, e.g. V[kids].max().",
            wrong={"minimax": _zero_start},
        ),
        Mistake(
            "forward-order",
            diagnosis=(
                "In minimax you loop over the nodes from 0 upwards, so a parent reads its "
                "children's values before they are computed (children have larger indices)."
            ),
            fix="Loop for s in range(S - 1, -1, -1), so every child is done before its parents.",
            wrong={"minimax": _forward},
        ),
        Mistake(
            "line-always-argmax",
            diagnosis=(
                "Your values are right, but your principal variation takes the child of largest "
                "V at every node, also where Min moves and would choose the smallest."
            ),
            fix="On the line use np.argmin(V[kids]) where player[s] == -1.",
            wrong={"minimax": _line_always_argmax},
        ),
        Mistake(
            "line-without-root",
            diagnosis="Your principal variation leaves out the root: it should start with node 0.",
            fix="Start the line as [0] and append each move's node.",
            wrong={"minimax": _line_without_root},
        ),
        Mistake(
            "terminal-keeps-estimate",
            diagnosis=(
                "In depth_limited_values the terminal nodes keep the value network's estimate in "
                "every row: at a finished game the result z(s) is known, at every depth, row 0 "
                "included."
            ),
            fix="Set every row's terminal entries to payoff[s], row 0 as well.",
            wrong={"depth_limited_values": _terminal_keeps_estimate},
        ),
        Mistake(
            "estimate-at-terminal",
            diagnosis=(
                "In depth_limited_values row 0 holds the estimate at terminal nodes too: a "
                "finished game needs no estimate, so V_0(s) = z(s) there."
            ),
            fix="Row 0 is np.where(terminal, payoff, estimate).",
            wrong={"depth_limited_values": _estimate_at_terminal},
        ),
        Mistake(
            "in-place-backup",
            diagnosis=(
                "In depth_limited_values row k + 1 is computed from itself, children before "
                "parents, so it is backward induction: every row after row 0 is already the full "
                "minimax value. V_(k+1) should read only row k."
            ),
            fix="Compute table[k + 1, s] from table[k, kids], never from table[k + 1].",
            wrong={"depth_limited_values": _in_place},
        ),
        Mistake(
            "no-row-zero",
            diagnosis=(
                "depth_limited_values returns the rows V_1, ..., V_depth: row 0, the value "
                "network's estimate (the payoff at terminal nodes), is missing."
            ),
            fix="Return depth + 1 rows, starting with V_0.",
            wrong={"depth_limited_values": _no_row_zero},
        ),
        Mistake(
            "payoff-overwritten",
            diagnosis=(
                "Your values are right, but minimax writes them into the caller's payoff array "
                "(np.asarray(payoff) is the same array, not a copy): after the call its NaNs at "
                "non-terminal nodes are gone."
            ),
            fix="Build V in a new array: V = np.array(payoff, dtype=float) or np.empty(S).",
            predicate=changes_argument("payoff"),
        ),
    ]


# --- figures -------------------------------------------------------------------------------
def _levels(children):
    level = np.zeros(len(children), dtype=int)
    for s in range(len(children)):
        for c in children[s]:
            level[c] = max(level[c], level[s] + 1)
    return level


def _tree(fig: PlainFigure, game, V, lines, scale, col=None):
    """The game drawn by move number, nodes coloured by V, and lines of play on top."""
    children, player = game
    level = _levels(children)
    x = np.zeros(len(children))
    for d in range(level.max() + 1):
        nodes = np.flatnonzero(level == d)
        x[nodes] = np.arange(len(nodes)) - (len(nodes) - 1) / 2
    at = {"row": None if col is None else 1, "col": col}
    ex, ey = [], []
    for s, kids in enumerate(children):
        for c in kids:
            ex += [x[s], x[c], None]
            ey += [level[s], level[c], None]
    fig.add_scatter(
        x=ex,
        y=ey,
        mode="lines",
        line={"color": "#d1d5db", "width": 1},
        showlegend=False,
        hoverinfo="skip",
        **at,
    )
    for line, colour, name, dash in lines:
        fig.add_scatter(
            x=x[line],
            y=level[line],
            mode="lines",
            line={"color": colour, "width": 4, "dash": dash},
            name=name,
            **at,
        )
    lo, hi = scale
    fig.add_scatter(
        x=x,
        y=level,
        mode="markers",
        showlegend=False,
        text=[f"node {s}: V = {v:.4g}" for s, v in enumerate(V)],
        hoverinfo="text",
        marker={
            "size": 14,
            "symbol": [SYMBOLS[int(p)] for p in player],
            "color": np.clip(np.nan_to_num(V, nan=lo), lo, hi),
            "colorscale": "RdBu",
            "cmin": lo,
            "cmax": hi,
            "showscale": col != 1,
            "line": {"color": "#374151", "width": 1},
        },
        **at,
    )


def _scale(V):
    hi = max(float(np.nanmax(np.abs(V))), 1e-9)
    return -hi, hi


def _your_line(g: Grader, key: str):
    """The learner's line when it can be drawn (node indices inside the game), else None."""
    try:
        raw = np.asarray(g.output(key, 1), dtype=float)
    except (CheckFailed, TypeError, ValueError):
        return None
    size = len(g.arg(key, 0))
    if raw.ndim != 1 or not np.all(np.isfinite(raw)) or np.any((raw < 0) | (raw >= size)):
        return None
    return raw.astype(int)


def _finish_tree(fig: PlainFigure, title: str, height: int) -> None:
    fig.update_yaxes(autorange="reversed", title_text="move number", zeroline=False)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_layout(
        title={
            "text": f"{title}<br><sup>▲ Max moves, ▼ Min moves, ● game over; "
            "blue: good for Max, red: good for Min</sup>"
        },
        height=height,
        margin={"t": 110},
    )


def failure_figures(g: Grader, key: str) -> None:
    """When only the line of a minimax case is wrong, draw it on the game beside the reference's;
    otherwise (wrong values, a depth table) the engine draws yours against the reference."""
    if g.call(key).func != "minimax":
        return
    V = np.asarray(g.expected(key, 0))
    mine = g.try_array(key, 0)
    line = _your_line(g, key)
    if mine is None or line is None or not np.allclose(mine, V, rtol=1e-5, atol=1e-6):
        return
    fig = PlainFigure()
    lines = [
        (np.asarray(g.expected(key, 1)), plots.REFERENCE, "a best line (reference)", "solid"),
        (line, plots.LEARNER, "your line", "dash"),
    ]
    _tree(fig, (g.arg(key, 0), g.arg(key, 1)), V, lines, _scale(V))
    _finish_tree(fig, f"your line on {g.call(key).description}, nodes coloured by V", 440)
    g.figure(fig)


def figures(g: Grader) -> None:
    table = g.expected("d-beyond")
    depth = table.shape[0] - 1
    yours = g.try_array("d-beyond")
    fig = plots.compare_lines(
        np.arange(depth + 1),
        None if yours is None else yours[:, 0],
        table[:, 0],
        title="the root's depth-k value V_k(0): a lookahead of k moves from the value network",
        x_label="search depth k (moves)",
        y_label="V_k(root)",
    )
    fig.add_hline(
        y=float(table[-1, 0]),
        line={"color": plots.NEUTRAL, "dash": "dot"},
        annotation_text="minimax value V(0)",
    )
    fig.add_vline(
        x=_height(g.arg("d-beyond", 0)),
        line={"color": plots.NEUTRAL, "dash": "dot"},
        annotation_text="longest game",
    )
    g.figure(fig)

    game = (g.arg("random", 0), g.arg("random", 1))
    V = np.asarray(g.expected("random", 0))
    tree = subplots(2, titles=["yours", "reference"])
    mine = g.try_array("random", 0)
    line = _your_line(g, "random")
    if mine is not None:
        lines = [] if line is None else [(line, plots.LEARNER, "your line", "solid")]
        _tree(tree, game, mine, lines, _scale(V), col=1)
    best = [(np.asarray(g.expected("random", 1)), plots.REFERENCE, "reference line", "solid")]
    _tree(tree, game, V, best, _scale(V), col=2)
    _finish_tree(tree, "minimax values of the random game and the line of best play", 460)
    g.figure(tree)
