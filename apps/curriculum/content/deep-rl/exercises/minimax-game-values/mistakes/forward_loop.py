# diagnosis: forward-order
import numpy as np


def minimax(children, player, payoff):
    S = len(children)
    V = np.zeros(S)
    for s in range(S):
        if len(children[s]) == 0:
            V[s] = payoff[s]
        elif player[s] == 1:
            V[s] = max(V[c] for c in children[s])
        else:
            V[s] = min(V[c] for c in children[s])
    line = [0]
    while children[line[-1]]:
        s = line[-1]
        pick = max if player[s] == 1 else min
        line.append(pick(children[s], key=lambda c: V[c]))
    return V, np.array(line)


def depth_limited_values(children, player, payoff, estimate, depth):
    S = len(children)
    table = np.zeros((depth + 1, S))
    for s in range(S):
        table[0, s] = payoff[s] if len(children[s]) == 0 else estimate[s]
    for k in range(1, depth + 1):
        for s in range(S):
            if len(children[s]) == 0:
                table[k, s] = payoff[s]
            elif player[s] == 1:
                table[k, s] = max(table[k - 1, c] for c in children[s])
            else:
                table[k, s] = min(table[k - 1, c] for c in children[s])
    return table
