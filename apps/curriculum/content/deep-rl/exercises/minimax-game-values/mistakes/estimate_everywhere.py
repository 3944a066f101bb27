# diagnosis: terminal-keeps-estimate
import numpy as np


def minimax(children, player, payoff):
    S = len(children)
    V = np.empty(S)
    for s in range(S - 1, -1, -1):
        if not children[s]:
            V[s] = payoff[s]
        elif player[s] == 1:
            V[s] = V[children[s]].max()
        else:
            V[s] = V[children[s]].min()
    line = [0]
    while children[line[-1]]:
        kids = children[line[-1]]
        best = V[kids].argmax() if player[line[-1]] == 1 else V[kids].argmin()
        line.append(kids[best])
    return V, np.array(line)


def depth_limited_values(children, player, payoff, estimate, depth):
    table = [np.array(estimate, dtype=float)]
    for _ in range(depth):
        new = table[-1].copy()
        for s, kids in enumerate(children):
            if kids:
                new[s] = table[-1][kids].max() if player[s] == 1 else table[-1][kids].min()
        table.append(new)
    return np.array(table)
