# diagnosis: zero-start
import numpy as np


def minimax(children, player, payoff):
    S = len(children)
    V = np.empty(S)
    for s in range(S - 1, -1, -1):
        if not children[s]:
            V[s] = payoff[s]
            continue
        best = 0.0
        for c in children[s]:
            if player[s] == 1 and V[c] > best:
                best = V[c]
            if player[s] == -1 and V[c] < best:
                best = V[c]
        V[s] = best
    line = [0]
    while children[line[-1]]:
        s = line[-1]
        kids = children[s]
        i = np.argmax(V[kids]) if player[s] == 1 else np.argmin(V[kids])
        line.append(kids[i])
    return V, np.array(line)


def depth_limited_values(children, player, payoff, estimate, depth):
    terminal = np.array([not kids for kids in children])
    table = np.empty((depth + 1, len(children)))
    table[0] = np.where(terminal, payoff, estimate)
    for k in range(depth):
        for s, kids in enumerate(children):
            if not kids:
                table[k + 1, s] = payoff[s]
            elif player[s] == 1:
                table[k + 1, s] = table[k, kids].max()
            else:
                table[k + 1, s] = table[k, kids].min()
    return table
