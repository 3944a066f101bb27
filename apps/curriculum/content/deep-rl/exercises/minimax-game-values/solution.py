import numpy as np


def minimax(children, player, payoff):
    """Minimax values V (S,) of every node and the principal variation from the root 0."""
    player = np.asarray(player)
    payoff = np.asarray(payoff, dtype=float)
    S = len(children)
    V = np.empty(S)
    for s in reversed(range(S)):
        kids = list(children[s])
        if not kids:
            V[s] = payoff[s]
        elif player[s] == 1:
            V[s] = V[kids].max()
        else:
            V[s] = V[kids].min()
    line = [0]
    while children[line[-1]]:
        s = line[-1]
        kids = list(children[s])
        best = np.argmax(V[kids]) if player[s] == 1 else np.argmin(V[kids])
        line.append(int(kids[best]))
    return V, np.array(line)


def depth_limited_values(children, player, payoff, estimate, depth):
    """Depth-k values V_k (depth + 1, S) for k = 0..depth, from the estimate at the cut-off."""
    player = np.asarray(player)
    payoff = np.asarray(payoff, dtype=float)
    S = len(children)
    table = np.empty((depth + 1, S))
    terminal = np.array([len(kids) == 0 for kids in children])
    table[0] = np.where(terminal, payoff, np.asarray(estimate, dtype=float))
    for k in range(depth):
        for s in range(S):
            kids = list(children[s])
            if not kids:
                table[k + 1, s] = payoff[s]
            elif player[s] == 1:
                table[k + 1, s] = table[k, kids].max()
            else:
                table[k + 1, s] = table[k, kids].min()
    return table
