# mistake: depth_limited_values backs up row k in place (copies row k-1, then sweeps s from S-1 down to 0 reading children from row k itself), so values already updated this sweep propagate and row k goes deeper than V_k.
# diagnosis: in-place-backup
import numpy as np


def minimax(children, player, payoff):
    player = np.asarray(player)
    payoff = np.asarray(payoff, dtype=float)
    S = len(children)
    V = np.array(payoff, dtype=float)
    for s in range(S - 1, -1, -1):
        kids = list(children[s])
        if len(kids) == 0:
            V[s] = payoff[s]
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
        table[k] = table[k - 1]
        row = table[k]
        for s in range(S - 1, -1, -1):
            kids = list(children[s])
            if len(kids) == 0:
                row[s] = payoff[s]
            elif player[s] > 0:
                row[s] = np.max(row[kids])
            else:
                row[s] = np.min(row[kids])
    return table
