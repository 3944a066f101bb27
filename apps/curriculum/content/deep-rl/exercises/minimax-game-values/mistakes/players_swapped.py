# diagnosis: players-swapped
import numpy as np


def minimax(children, player, payoff):
    # the minimising player is +1 here: it "adds" the cost
    S = len(children)
    V = np.array(payoff, dtype=float)
    for s in reversed(range(S)):
        kids = children[s]
        if kids:
            V[s] = V[kids].min() if player[s] == 1 else V[kids].max()
    line = [0]
    while children[line[-1]]:
        s = line[-1]
        kids = children[s]
        j = np.argmin(V[kids]) if player[s] == 1 else np.argmax(V[kids])
        line.append(kids[j])
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
