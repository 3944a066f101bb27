import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, CheckFailed, Grader, plots

RTOL, ATOL = 1e-5, 1e-6
FIG_N, FIG_CUE, FIG_REWARD, FIG_TRIALS = 20, 3, 14, 120


def _td(rewards, cue, gamma, alpha, values0, variant=""):
    values = values0.copy()
    n = rewards.shape[1]
    errors = np.zeros_like(rewards)
    g = 1.0 if variant == "no-gamma" else gamma
    before_last = values.copy()
    for trial, r in enumerate(rewards):
        before_last = values.copy()
        if variant == "sutton-index":
            following = np.concatenate([values[1:], [0.0]])
            reward_next = np.concatenate([r[1:], [0.0]])
            delta = reward_next + g * following - values
            for t in range(n - 1):
                if t >= cue:
                    values[t] += alpha * delta[t]
            errors[trial] = delta
            continue
        previous = np.concatenate([[0.0], values[:-1]])
        delta = r + g * values - previous
        if variant == "sign":
            delta = -delta
        for t in range(1, n):
            if variant == "update-current":
                if cue <= t <= n - 2:
                    values[t] += alpha * delta[t]
            elif variant == "learn-before-cue" or t - 1 >= cue:
                values[t - 1] += alpha * delta[t]
        errors[trial] = delta
    if variant == "values-before-last":
        return errors, before_last
    return errors, values


SLIPS = {
    "sign": "the error is reward plus new prediction minus old prediction: "
    "delta_t = r_t + gamma V_t - V_{t-1}",
    "update-current": "the error at time t corrects the prediction made one step earlier: "
    "update V_{t-1}, not V_t",
    "learn-before-cue": "states before the cue must keep V = 0: the cue arrives at unpredictable "
    "times, so nothing before it predicts reward (and the burst at the cue depends on it)",
    "no-gamma": "the new prediction is discounted: gamma V_t",
    "sutton-index": "that reports the error of the transition from t to t+1 at time t; here the "
    "error at time t is r_t + gamma V_t - V_{t-1}, reported when the reward arrives",
    "values-before-last": "the values must include the updates of the last trial",
}


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
            label="gamma = 0 (nothing propagates to the cue)",
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
            label="a cue at step 0",
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
            label="a reward delivered at the cue itself",
        ),
        Call(
            "figure",
            "td_dopamine",
            (fig_rewards, FIG_CUE, 0.95, 0.3, np.zeros(FIG_N)),
            label=f"{FIG_TRIALS} rewarded trials and one without reward",
        ),
    ]


def _check(g: Grader, key: str) -> str | None:
    call = g.call(key)
    where = f"td_dopamine() on {call.description}"
    got = [g.array(key, i, what=f"{where}, the {'errors' if i == 0 else 'values'}") for i in (0, 1)]
    want = [np.asarray(g.expected(key, i)) for i in (0, 1)]
    ok = [bool(np.allclose(a, b, rtol=RTOL, atol=ATOL)) for a, b in zip(got, want, strict=True)]
    if all(ok):
        return None
    if not all(np.all(np.isfinite(a)) for a in got):
        return f"{where} returned NaN or an infinity"
    for variant, diagnosis in SLIPS.items():
        alt = _td(*call.args, variant=variant)
        if all(np.allclose(a, b, rtol=RTOL, atol=ATOL) for a, b in zip(got, alt, strict=True)):
            return f"{where}: {diagnosis}"
    if not ok[0]:
        error = np.abs(got[0] - want[0])
        trial, t = (
            int(i)
            for i in np.unravel_index(
                int(np.argmax(error > ATOL + RTOL * np.abs(want[0]))), error.shape
            )
        )
        return (
            f"{where}: the first wrong error is in trial {trial} at step {t}: expected "
            f"{want[0][trial, t]:.6g}, got {got[0][trial, t]:.6g}"
        )
    t = int(np.argmax(np.abs(got[1] - want[1])))
    return f"{where}: the final value V_{t} should be {want[1][t]:.6g}, but is {got[1][t]:.6g}"


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
    for key, name, points in [
        ("worked", "the lesson's worked example", 2),
        ("learning", "learning over many trials, then an omitted reward", 2),
        ("probabilistic", "probabilistic rewards", 1),
        ("gamma0", "gamma = 0", 1),
        ("alpha1", "alpha = 1", 1),
        ("cue0", "a cue at step 0", 1),
        ("learned", "starting from learned values", 1),
        ("at-cue", "a reward at the cue", 1),
        ("figure", "the run of the figure", 1),
    ]:
        g.custom(name, lambda key=key: _check(g, key), points=points)
    g.custom(
        "the burst moves to the cue and the omitted reward dips", lambda: _transfer(g), points=1
    )


def figures(g: Grader) -> None:
    want = np.asarray(g.expected("figure", 0))
    yours = g.try_array("figure", 0)
    t = np.arange(FIG_N)
    fig = go.Figure()
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
