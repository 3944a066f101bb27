import numpy as np


def minimax(children, player, payoff):
    """Minimax values V (S,) of every node and the principal variation from the root 0."""
    player = np.asarray(player)
    payoff = np.asarray(payoff, dtype=float)
    S = len(children)
    V = np.zeros(S)
    for s in range(S - 1, -1, -1):
        # TODO: a terminal node keeps its payoff; Max takes the largest child value,
        # Min the smallest
        V[s] = 0.0
    line = [0]
    # TODO: follow a best move from the root until a terminal node is reached
    return V, np.array(line)


def depth_limited_values(children, player, payoff, estimate, depth):
    """Depth-k values V_k (depth + 1, S) for k = 0..depth, from the estimate at the cut-off."""
    payoff = np.asarray(payoff, dtype=float)
    estimate = np.asarray(estimate, dtype=float)
    S = len(children)
    table = np.zeros((depth + 1, S))
    # TODO: row 0 holds the estimate (the payoff at terminal nodes); each next row is one
    # Bellman backup of the row before
    return table
