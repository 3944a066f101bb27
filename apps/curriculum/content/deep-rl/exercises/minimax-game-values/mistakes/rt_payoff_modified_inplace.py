# mistake: minimax writes the values into np.asarray(payoff) itself (V = payoff, no copy), so the caller's payoff array is overwritten with V; the returned values and line are right.
# diagnosis: payoff-overwritten
import numpy as np


def minimax(children, player, payoff):
    player = np.asarray(player)
    V = np.asarray(payoff, dtype=float)
    S = len(children)
    for s in range(S - 1, -1, -1):
        kids = list(children[s])
        if len(kids) == 0:
            continue
        elif player[s] > 0:
            V[s] = np.max(V[kids])
        else:
            V[s] = np.min(V[kids])
    line = [0]
    s = 0
    while len(children[s]) > 0:
        kids = list(children[s])
        vals = V[kids]
        j = int(np.argmax(vals)) if player[s] > 0 else int(np.argmin(vals))
        s = int(kids[j])
        line.append(s)
    return V, np.array(line, dtype=int)


def depth_limited_values(children, player, payoff, estimate, depth):
    player = np.asarray(player)
    payoff = np.asarray(payoff, dtype=float)
    estimate = np.asarray(estimate, dtype=float)
    S = len(children)
    terminal = np.array([len(c) == 0 for c in children], dtype=bool)
    table = np.zeros((depth + 1, S))
    table[0] = np.where(terminal, payoff, estimate)
    for k in range(1, depth + 1):
        prev = table[k - 1]
        for s in range(S):
            kids = list(children[s])
            if len(kids) == 0:
                table[k, s] = payoff[s]
            elif player[s] > 0:
                table[k, s] = np.max(prev[kids])
            else:
                table[k, s] = np.min(prev[kids])
    return table
