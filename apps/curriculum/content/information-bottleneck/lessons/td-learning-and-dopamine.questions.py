"""Concept checks of the lesson: the errors of the second trial, the burst at the cue after
learning, the response to a probabilistic reward, and why the reward stops causing a burst."""

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Vector, Wrong


def second_trial(rng: np.random.Generator) -> Vector:
    alpha = float(rng.choice([0.2, 0.4, 0.5, 0.8]))
    gamma = float(rng.choice([0.5, 0.8, 0.9]))
    reward = float(rng.choice([1.0, 2.0]))
    v_before = alpha * reward  # V_{k-1} after the first trial
    answer = [gamma * v_before, reward - v_before]
    wrong = [
        Wrong(
            [v_before, reward - v_before],
            f"The value of the next state is discounted: $\\delta_{{k-1}} = \\gamma V_{{k-1}} - V_{{k-2}}$ with $\\gamma = {gamma:g}$.",
        ),
        Wrong(
            [gamma * v_before, reward],
            "The reward is now partly predicted: $\\delta_k = R - V_{k-1}$, with $V_{k-1} = \\alpha R$ after the first trial.",
        ),
        Wrong(
            [0.0, reward - v_before],
            "The state before the reward now has a value, and the step into it carries an error $\\gamma V_{k-1} - 0$.",
        ),
    ]
    return Vector(
        prompt=(
            f"The tapped-delay-line model with $\\alpha = {alpha:g}$, $\\gamma = {gamma:g}$ and a reward "
            f"$R = {reward:g}$ at step $k$ starts with all values $0$. On the *second* trial, what are "
            "the errors $\\delta_{k-1}$ and $\\delta_k$? (Two numbers.)"
        ),
        answer=answer,
        tolerance=2e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"Trial 1 leaves $V_{{k-1}} = \\alpha R = {v_before:g}$. Trial 2: "
            f"$\\delta_{{k-1}} = \\gamma V_{{k-1}} - 0 = {answer[0]:g}$ and $\\delta_k = R - V_{{k-1}} = {answer[1]:g}$."
        ),
    )


def cue_burst(rng: np.random.Generator) -> Number:
    gamma = float(rng.choice([0.8, 0.9, 0.95]))
    delay = int(rng.integers(2, 7))
    reward = float(rng.choice([1.0, 2.0]))
    answer = gamma**delay * reward
    wrong = [
        Wrong(
            reward,
            "The cue predicts a reward that is still some steps away: it is discounted by $\\gamma$ per step.",
        ),
        Wrong(
            gamma ** (delay - 1) * reward,
            f"Count the steps: from the cue at $c$ to the reward at $k = c + {delay}$ the value is discounted {delay} times, $\\gamma^{{k-c}}$.",
        ),
        Wrong(
            0.0,
            "The error at the reward goes to zero; the one at the cue does not, because the step *into* the cue comes from a state of value $0$.",
        ),
    ]
    return Number(
        prompt=(
            f"After learning to convergence with $\\gamma = {gamma:g}$, a reward $R = {reward:g}$ "
            f"arrives {delay} steps after the cue. What is the TD error $\\delta_c$ at the cue? "
            "(Three significant digits.)"
        ),
        answer=answer,
        tolerance=3e-3,
        wrong=wrong,
        explanation=f"$V_c = \\gamma^{{k-1-c}}R$, so $\\delta_c = \\gamma V_c - 0 = \\gamma^{{{delay}}}\\cdot {reward:g} \\approx {answer:.4g}$.",
    )


def probable_reward(rng: np.random.Generator) -> Number:
    p = float(rng.choice([0.2, 0.25, 0.4, 0.6, 0.75, 0.8]))
    reward = float(rng.choice([1.0, 2.0, 4.0]))
    answer = (1 - p) * reward
    wrong = [
        Wrong(
            p * reward,
            "That is what was expected, $pR$; the error is what arrives minus that, $R - pR$.",
        ),
        Wrong(
            reward,
            "The reward is partly predicted after learning: subtract its expected value $pR$.",
        ),
        Wrong(
            -p * reward,
            "That is the dip when the reward is *omitted*, $0 - pR$; the question asks about a delivered reward.",
        ),
    ]
    return Number(
        prompt=(
            f"After learning, a cue is followed by a reward $R = {reward:g}$ with probability ${p:g}$ "
            "(and by nothing otherwise). What is the TD error when the reward *is* delivered?"
        ),
        answer=answer,
        tolerance=2e-3,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=f"The learned value before the reward is $pR = {p * reward:g}$, so $\\delta = R - pR = {answer:g}$.",
    )


def why_at_cue(rng: np.random.Generator) -> Choice:
    steps = int(rng.integers(3, 8))
    options = [
        f"After learning $V_{{k-1}} = R$, so at the reward $\\delta_k = R - R = 0$; the cue comes at an unpredictable time from a state of value $0$, so the step into it carries $\\delta_c = \\gamma^{{{steps}}}R$.",
        "The neurons adapt: after many rewards they fatigue and stop responding to juice.",
        "The cue has become a reward in itself, so the juice is no longer needed.",
        "The learning rate has decayed to zero, so the reward no longer changes anything.",
    ]
    messages = {
        1: "Fatigue would not explain the dip *below* baseline when the juice is omitted; a prediction error does.",
        2: "Then the dip at an omitted reward would not happen: the model's cue carries value only because it predicts the juice.",
        3: "With $\\alpha$ fixed the error still vanishes: $\\delta_k = r_k - V_{k-1}$ is zero because the reward is predicted, not because learning stopped.",
    }
    order = rng.permutation(len(options))
    position = {int(old): new for new, old in enumerate(order)}
    return Choice(
        prompt=(
            f"In the delay-line model the juice comes {steps} steps after the cue. After learning, "
            "the dopamine-like error shows a burst at the cue and none at the juice. Why?"
        ),
        options=[options[int(i)] for i in order],
        answer=position[0],
        wrong=[Wrong(position[old], message) for old, message in messages.items()],
        explanation="The error reports surprise: a predicted reward is no surprise; the cue, whose timing nothing predicts, is.",
    )


def questions():
    return {
        "second-trial": second_trial,
        "cue-burst": cue_burst,
        "probable-reward": probable_reward,
        "why-at-cue": why_at_cue,
    }
