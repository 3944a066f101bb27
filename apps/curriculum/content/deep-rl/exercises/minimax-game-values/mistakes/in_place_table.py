# diagnosis: in-place-backup
import numpy as np


def minimax(children, player, payoff):
    S = len(children)
    V = np.empty(S)
    for s in reversed(range(S)):
        kids = children[s]
        if not kids:
            V[s] = payoff[s]
        else:
            V[s] = np.max(V[kids]) if player[s] == 1 else np.min(V[kids])
    line = [0]
    while children[line[-1]]:
        s = line[-1]
        kids = children[s]
        i = np.argmax(V[kids]) if player[s] == 1 else np.argmin(V[kids])
        line.append(kids[i])
    return V, np.array(line, dtype=int)


def depth_limited_values(children, player, payoff, estimate, depth):
    S = len(children)
    V = np.array(estimate, dtype=float)
    for s in range(S):
        if not children[s]:
            V[s] = payoff[s]
    rows = [V.copy()]
    for _ in range(depth):
        # one more ply: update the values in place, children first
        for s in reversed(range(S)):
            kids = children[s]
            if kids:
                V[s] = np.max(V[kids]) if player[s] == 1 else np.min(V[kids])
        rows.append(V.copy())
    return np.array(rows)
