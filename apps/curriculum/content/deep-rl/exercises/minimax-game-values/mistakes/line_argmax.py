# diagnosis: line-always-argmax
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
    # follow the best move down to the end of the game
    line = [0]
    while children[line[-1]]:
        kids = children[line[-1]]
        line.append(kids[int(np.argmax(V[kids]))])
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
