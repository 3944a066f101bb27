"""Concept checks of the lesson: one Q-learning update on one's own numbers, how often an
epsilon-greedy agent takes the greedy action, and which target Q-learning uses."""

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Wrong


def one_update(rng: np.random.Generator) -> Number:
    alpha = float(rng.choice([0.1, 0.2, 0.25, 0.5]))
    gamma = float(rng.choice([0.5, 0.8, 0.9]))
    q_old = int(rng.integers(-2, 3))
    reward = int(rng.integers(-1, 3))
    row = rng.choice(np.arange(-3, 6), size=3, replace=False).astype(float)
    a = int(np.argmin(row))  # the action taken in s' is not the greedy one
    target = reward + gamma * row.max()
    answer = q_old + alpha * (target - q_old)
    candidates = [
        (
            q_old + alpha * (reward + gamma * row[a] - q_old),
            f"That target uses $Q(s', a_{{{a}}})$, not the maximum over the row: Q-learning bootstraps from the greedy action.",
        ),
        (
            target,
            "That replaces the entry by the target; with step size $\\alpha$ it moves only a fraction $\\alpha$ of the way.",
        ),
        (
            q_old + alpha * target,
            "The step is $\\alpha$ times the TD error $y - Q(s, a)$, not $\\alpha$ times the target.",
        ),
        (
            q_old + alpha * (reward + row.max() - q_old),
            "The next state's value is discounted: the target is $r + \\gamma \\max_{a'} Q(s', a')$.",
        ),
    ]
    wrong: list[Wrong] = []
    for value, message in candidates:
        if abs(value - answer) > 3e-2 and all(abs(value - w.value) > 3e-2 for w in wrong):
            wrong.append(Wrong(value, message))
    row_text = ", ".join(f"{v:g}" for v in row)
    return Number(
        prompt=(
            f"With $\\alpha = {alpha:g}$ and $\\gamma = {gamma:g}$, the table has $Q(s, a) = {q_old}$ "
            f"and the row $Q(s', \\cdot) = ({row_text})$. The agent observes reward $r = {reward}$ and "
            "next state $s'$. What is $Q(s, a)$ after the Q-learning update? (Three decimals.)"
        ),
        answer=answer,
        tolerance=1e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"Target $y = {reward} + {gamma:g} \\cdot {row.max():g} = {target:g}$; "
            f"$Q \\leftarrow {q_old} + {alpha:g}({target:g} - ({q_old})) = {answer:.4g}$."
        ),
    )


def greedy_probability(rng: np.random.Generator) -> Number:
    eps = float(rng.choice([0.05, 0.1, 0.2, 0.3]))
    actions = int(rng.choice([2, 3, 4, 5]))
    answer = 1 - eps + eps / actions
    return Number(
        prompt=(
            f"An $\\varepsilon$-greedy agent with $\\varepsilon = {eps:g}$ has ${actions}$ actions and a "
            "unique greedy action. With what probability does it take the greedy action? (Four decimals.)"
        ),
        answer=answer,
        tolerance=1e-4,
        wrong=[
            Wrong(
                1 - eps,
                f"The random choice picks among all ${actions}$ actions, the greedy one included: add $\\varepsilon/{actions}$.",
            ),
            Wrong(eps / actions, "That is the probability of one particular non-greedy action."),
            Wrong(eps, "That is the probability of exploring, not of the greedy action."),
        ],
        explanation=f"$(1 - \\varepsilon) + \\varepsilon/{actions} = {1 - eps:g} + {eps / actions:.4g} = {answer:.4g}$.",
    )


def which_target(rng: np.random.Generator) -> Choice:
    options = [
        "$r + \\gamma \\max_{a'} Q(s', a')$",
        "$r + \\gamma\\, Q(s', a_{\\mathrm{next}})$",
        "$r + \\gamma \\max_{a'} Q(s, a')$",
        "$r + \\max_{a'} Q(s', a')$",
    ]
    messages = {
        1: "That is SARSA's target, which follows the action actually taken; Q-learning is off-policy and uses the greedy one.",
        2: "The bootstrap reads the next state's row, $s'$, not the current one.",
        3: "Future value is discounted by $\\gamma$.",
    }
    order = rng.permutation(len(options))
    position = {int(old): new for new, old in enumerate(order)}
    return Choice(
        prompt=(
            "An $\\varepsilon$-greedy agent takes action $a$ in state $s$, receives $r$, lands in $s'$, "
            "and will next take the exploratory action $a_{\\mathrm{next}}$. Which target does "
            "Q-learning move $Q(s, a)$ towards?"
        ),
        options=[options[int(i)] for i in order],
        answer=position[0],
        wrong=[Wrong(position[old], message) for old, message in messages.items()],
        explanation="Q-learning samples the Bellman optimality operator: the target takes the maximum over the next state's actions, whatever the agent does next.",
    )


def questions():
    return {
        "one-update": one_update,
        "greedy-probability": greedy_probability,
        "which-target": which_target,
    }
