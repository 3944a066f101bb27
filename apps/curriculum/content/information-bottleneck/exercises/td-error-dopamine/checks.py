import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, Mistake, changes_argument, plots
from apps.sandbox.grading.plain import PlainFigure

FIG_N, FIG_CUE, FIG_REWARD, FIG_TRIALS = 20, 3, 14, 120


def _rewards(n, trials, k, R, omit_last=False):
    rewards = np.zeros((trials, n))
    rewards[:, k] = R
    if omit_last:
        rewards[-1, k] = 0.0
    return rewards


def _converged(n, cue, k, R, gamma):
    values = np.zeros(n)
    for t in range(cue, k):
        values[t] = gamma ** (k - 1 - t) * R
    return values


def cases(rng: np.random.Generator) -> list[Call]:
    k = int(rng.integers(8, 14))
    R, gamma, alpha = (
        float(rng.uniform(0.5, 2.0)),
        float(rng.uniform(0.85, 0.99)),
        float(rng.uniform(0.1, 0.4)),
    )
    p = float(rng.uniform(0.3, 0.8))
    coin = (rng.random(200) < p).astype(float)
    probabilistic = np.zeros((200, 12))
    probabilistic[:, 9] = coin
    fig_rewards = _rewards(FIG_N, FIG_TRIALS + 1, FIG_REWARD, 1.0, omit_last=True)
    return [
        Call(
            "worked",
            "td_dopamine",
            (_rewards(10, 3, 6, 1.0), 2, 0.9, 0.5, np.zeros(10)),
            label="the lesson's worked example (n = 10, cue 2, reward 1 at step 6, 3 trials)",
        ),
        Call(
            "learning",
            "td_dopamine",
            (_rewards(16, 150, k, R, omit_last=True), 3, gamma, alpha, np.zeros(16)),
            label=f"150 trials (cue 3, reward {R:.3f} at step {k}, gamma {gamma:.3f}, alpha {alpha:.3f}), "
            "the reward omitted on the last",
        ),
        Call(
            "probabilistic",
            "td_dopamine",
            (probabilistic, 2, 0.95, 0.1, np.zeros(12)),
            label=f"200 trials in which the reward comes with probability {p:.2f}",
        ),
        Call(
            "gamma0",
            "td_dopamine",
            (_rewards(10, 20, 6, 1.0), 2, 0.0, 0.3, np.zeros(10)),
            label="gamma = 0 (nothing propagates to the cue), 20 trials",
        ),
        Call(
            "alpha1",
            "td_dopamine",
            (_rewards(8, 12, 5, 1.0), 1, 0.9, 1.0, np.zeros(8)),
            label="alpha = 1, 12 trials",
        ),
        Call(
            "cue0",
            "td_dopamine",
            (_rewards(8, 30, 4, 1.0), 0, 0.9, 0.4, np.zeros(8)),
            label="a cue at step 0, 30 trials",
        ),
        Call(
            "learned",
            "td_dopamine",
            (_rewards(12, 4, 8, 2.0, omit_last=True), 3, 0.9, 0.5, _converged(12, 3, 8, 2.0, 0.9)),
            label="starting from the learned values, the reward omitted on the last of 4 trials",
        ),
        Call(
            "at-cue",
            "td_dopamine",
            (_rewards(8, 10, 2, 1.0), 2, 0.9, 0.5, np.zeros(8)),
            label="a reward delivered at the cue itself, 10 trials",
        ),
        Call(
            "last-step",
            "td_dopamine",
            (_rewards(7, 15, 6, 1.5), 2, 0.8, 0.4, np.zeros(7)),
            label="a reward at the last step n - 1 (n = 7, cue 2), 15 trials",
        ),
        Call(
            "figure",
            "td_dopamine",
            (fig_rewards, FIG_CUE, 0.95, 0.3, np.zeros(FIG_N)),
            label=f"{FIG_TRIALS} rewarded trials and one without reward",
        ),
    ]


CASES = [
    ("worked", "the lesson's worked example", 2),
    ("learning", "learning over many trials, then an omitted reward", 2),
    ("probabilistic", "probabilistic rewards", 1),
    ("gamma0", "gamma = 0", 1),
    ("alpha1", "alpha = 1", 1),
    ("cue0", "a cue at step 0", 1),
    ("learned", "starting from learned values", 1),
    ("at-cue", "a reward at the cue", 1),
    ("last-step", "a reward at the last step", 1),
    ("figure", "the run of the figure", 1),
]


def _transfer(g: Grader) -> str | None:
    errors = g.array("figure", 0)
    rewarded = errors[FIG_TRIALS - 1]
    omitted = errors[FIG_TRIALS]
    cue_target = 0.95 ** (FIG_REWARD - FIG_CUE)
    if (
        abs(rewarded[FIG_CUE] - cue_target) > 0.05
        or abs(rewarded[FIG_REWARD]) > 0.05
        or omitted[FIG_REWARD] > -0.9
    ):
        raise CheckFailed(
            f"after {FIG_TRIALS} rewarded trials your error at the cue is {rewarded[FIG_CUE]:.3f} "
            f"(expected about gamma^(k-c) = {cue_target:.3f}), at the reward {rewarded[FIG_REWARD]:.3f} "
            f"(expected about 0), and at an omitted reward {omitted[FIG_REWARD]:.3f} (expected about -1)"
        )
    return None


def grade(g: Grader) -> None:
    # Default tolerances (NOTATION.md): values and errors are of order 1 and each trial is a
    # few operations per step, so a float32 computation passes.
    for key, name, points in CASES:
        g.check_close(f"{name}: the errors", key, 0, points=points)
    g.check_close_all("the values after the last trial", [key for key, _, _ in CASES], 1, points=2)
    g.custom(
        "the burst moves to the cue and the omitted reward dips", lambda: _transfer(g), points=1
    )


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _td(rewards, cue, gamma, alpha, values0, *, error, learns):
    """TD on the delay line with the trial's errors ``error(r, V, gamma)`` (from the values at
    the start of the trial) and the states ``learns(t, cue, n)`` that take alpha delta_t."""
    rewards = np.asarray(rewards, dtype=float)
    values = np.array(values0, dtype=float)
    n = rewards.shape[1]
    errors = np.zeros_like(rewards)
    for trial, r in enumerate(rewards):
        delta = error(r, values, gamma)
        for t in range(n):
            state = learns(t, cue, n)
            if state is not None:
                values[state] += alpha * delta[t]
        errors[trial] = delta
    return errors, values


def _prompt_error(r, V, gamma):
    return r + gamma * V - np.concatenate([[0.0], V[:-1]])


def _state_before(t, cue, n):
    return t - 1 if t >= 1 and t - 1 >= cue else None


def _gamma_on_previous(rewards, cue, gamma, alpha, values0):
    def error(r, V, gamma):
        return r + V - gamma * np.concatenate([[0.0], V[:-1]])

    return _td(rewards, cue, gamma, alpha, values0, error=error, learns=_state_before)


def _before_cue(rewards, cue, gamma, alpha, values0):
    def learns(t, cue, n):
        return t - 1 if t >= 1 else None

    return _td(rewards, cue, gamma, alpha, values0, error=_prompt_error, learns=learns)


def _state_itself(t, cue, n):
    return t if cue <= t <= n - 2 else None


def _current_state(rewards, cue, gamma, alpha, values0):
    return _td(rewards, cue, gamma, alpha, values0, error=_prompt_error, learns=_state_itself)


def _sutton_index(rewards, cue, gamma, alpha, values0):
    def error(r, V, gamma):
        return np.concatenate([r[1:], [0.0]]) + gamma * np.concatenate([V[1:], [0.0]]) - V

    return _td(rewards, cue, gamma, alpha, values0, error=error, learns=_state_itself)


def _errors_after_update(rewards, cue, gamma, alpha, values0):
    """Step by step, each error recorded after V[t - 1] has taken it: (1 - alpha) delta_t
    wherever the state before t learns."""
    errors, values = _td(
        rewards, cue, gamma, alpha, values0, error=_prompt_error, learns=_state_before
    )
    n = errors.shape[1]
    learned = np.array([_state_before(t, cue, n) is not None for t in range(n)])
    return np.where(learned, (1 - alpha) * errors, errors), values


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "sutton-index",
            diagnosis=(
                "Your error at time t is r_(t+1) + gamma V_(t+1) - V_t, the textbook's indexing: "
                "every error comes one step early (the burst at the reward shows at step k - 1)."
            ),
            fix=(
                "Index as the prompt does: delta_t = r_t + gamma V_t - V_(t-1), with V_(-1) = 0, "
                "and let delta_t update V_(t-1)."
            ),
            wrong=_sutton_index,
        ),
        Mistake(
            "gamma-on-previous",
            diagnosis=(
                "Your error discounts the previous value, r_t + V_t - gamma V_(t-1), instead of "
                "the current one."
            ),
            fix="delta_t = r_t + gamma V_t - V_(t-1).",
            wrong=_gamma_on_previous,
        ),
        Mistake(
            "updates-current-state",
            diagnosis=(
                "Your error delta_t updates V_t, the state at which it arrives, instead of "
                "V_(t-1), the state whose prediction it corrects."
            ),
            fix="For t >= 1 with t - 1 >= cue: V[t - 1] += alpha * delta[t].",
            wrong=_current_state,
        ),
        Mistake(
            "learns-before-cue",
            diagnosis=(
                "Your steps before the cue learn too: their values grow, so the cue no longer "
                "comes as a surprise. Only the states t - 1 >= cue are updated."
            ),
            fix="Update V[t - 1] only when t - 1 >= cue; the steps before the cue keep V = 0.",
            wrong=_before_cue,
        ),
        Mistake(
            "errors-after-update",
            diagnosis=(
                "Your values are right, but you record each error after V[t - 1] has taken it, "
                "so the recorded delta_t is (1 - alpha) times the error wherever the state "
                "before t learns."
            ),
            fix=(
                "Compute all errors of a trial from the values at its start (or record delta_t "
                "before updating V[t - 1])."
            ),
            wrong=_errors_after_update,
        ),
        Mistake(
            "modifies-values0",
            diagnosis=(
                "Your errors and values are right, but you update the caller's values0 in "
                "place: np.asarray(values0) is the same array, not a copy."
            ),
            fix="Start from a copy: values = np.array(values0, dtype=float).",
            predicate=changes_argument("values0"),
        ),
    ]


def figures(g: Grader) -> None:
    want = np.asarray(g.expected("figure", 0))
    yours = g.try_array("figure", 0)
    t = np.arange(FIG_N)
    fig = PlainFigure()
    for trial, label in [
        (0, "trial 1"),
        (FIG_TRIALS - 1, f"trial {FIG_TRIALS}"),
        (FIG_TRIALS, "reward omitted"),
    ]:
        fig.add_scatter(
            x=t,
            y=want[trial],
            name=f"reference, {label}",
            line={"color": plots.REFERENCE, "width": 3},
        )
        if yours is not None:
            fig.add_scatter(
                x=t,
                y=yours[trial],
                name=f"yours, {label}",
                line={"color": plots.LEARNER, "dash": "dash"},
            )
    fig.update_layout(
        title={
            "text": f"TD errors within a trial: cue at step {FIG_CUE}, reward at step {FIG_REWARD}"
        },
        xaxis_title="time step t",
        yaxis_title="δ_t",
        height=420,
    )
    g.figure(fig)
