# diagnosis: alternating-turns
import numpy as np


def minimax(children, player, payoff):
    payoff = np.asarray(payoff, dtype=float)

    def value(s, maximizing):
        if len(children[s]) == 0:
            return payoff[s]
        vals = [value(c, not maximizing) for c in children[s]]
        return max(vals) if maximizing else min(vals)

    V = np.array([value(s, player[s] != -1) for s in range(len(children))])
    line, maximizing = [0], player[0] == 1
    while len(children[line[-1]]) > 0:
        kids = children[line[-1]]
        vals = [value(c, not maximizing) for c in kids]
        line.append(kids[int(np.argmax(vals)) if maximizing else int(np.argmin(vals))])
        maximizing = not maximizing
    return V, np.array(line)


def depth_limited_values(children, player, payoff, estimate, depth):
    payoff = np.asarray(payoff, dtype=float)
    S = len(children)
    terminal = np.array([len(c) == 0 for c in children])
    rows = [np.where(terminal, payoff, np.asarray(estimate, dtype=float))]
    for _ in range(depth):
        prev, new = rows[-1], rows[-1].copy()
        for s in range(S):
            if children[s]:
                vals = prev[children[s]]
                new[s] = vals.max() if player[s] == 1 else vals.min()
        rows.append(new)
    return np.array(rows)
