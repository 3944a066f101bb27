import math

import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, conditioned, plots


def _tuning(s: np.ndarray, peak: float, centre: float, width: float, base: float) -> np.ndarray:
    return base + peak * np.exp(-0.5 * ((s - centre) / width) ** 2)


def cases(rng: np.random.Generator) -> list[Call]:
    S = int(rng.integers(5, 9))
    s = np.linspace(-1, 1, S)
    rates = _tuning(
        s, rng.uniform(20, 60), rng.uniform(-0.5, 0.5), rng.uniform(0.3, 0.6), rng.uniform(1, 5)
    )
    p_s = rng.dirichlet(np.ones(S) * 3)
    tau = float(rng.uniform(0.05, 0.3))
    zero_prior = p_s.copy()
    zero_prior[0] = 0.0
    zero_prior /= zero_prior.sum()
    grid = np.linspace(-1, 1, 9)
    n_max = max(2, int(np.ceil(rates.max() * tau)))
    return [
        Call(
            "channel",
            "poisson_channel",
            (rates, tau, n_max),
            label=f"a Gaussian tuning curve, tau = {tau:.3f} s, n_max = {n_max}",
        ),
        Call(
            "high",
            "poisson_channel",
            (np.array([800.0, 1000.0, 1200.0]), 0.25, 400),
            label="rates 800-1200 Hz over 0.25 s (means 200-300), n_max = 400",
        ),
        Call(
            "silent", "poisson_channel", (np.array([0.0, 0.0]), 0.1, 5), label="rates of exactly 0"
        ),
        Call(
            "info",
            "stimulus_information",
            (p_s, rates, tau, 25),
            label="the same tuning curve with a random prior",
        ),
        Call(
            "flat",
            "stimulus_information",
            (p_s, np.full(S, 20.0), tau, 25),
            label="a flat tuning curve",
        ),
        Call(
            "zero_prior",
            "stimulus_information",
            (zero_prior, rates, tau, 25),
            label="a prior with p(s_1) = 0",
        ),
        Call(
            "short_window",
            "stimulus_information",
            (np.ones(9) / 9, _tuning(grid, 40, 0, 0.4, 2), 0.05, 30),
            label="a 50 ms window",
        ),
        Call(
            "long_window",
            "stimulus_information",
            (np.ones(9) / 9, _tuning(grid, 40, 0, 0.4, 2), 1.0, 120),
            label="a 1 s window",
        ),
    ]


def _rtol(g: Grader, key: str) -> float:
    # log P(n) = -lam + n log(lam) - log n! cancels terms of size n_max log(lam) + lam: a
    # correct float32 computation is off by that many roundoffs, relative, in P.
    rates, duration, n_max = g.args(key)
    lam = float(np.max(rates)) * float(duration)
    return conditioned(lam + n_max * abs(math.log(max(lam, 1.0))))


def _longer_window(g: Grader) -> str | None:
    long, short = g.scalar("long_window"), g.scalar("short_window")
    if long > short:
        return None
    return (
        f"counting for 1 s gave I = {long:.6f} nats, not more than the 50 ms window's {short:.6f}"
    )


def grade(g: Grader) -> None:
    g.check_close(
        "Poisson probabilities for a tuning curve", "channel", rtol=_rtol(g, "channel"), points=2
    )
    g.check_sums_to_one("each row sums to one", "channel", points=1)
    g.check_close("stable for means of a few hundred", "high", rtol=_rtol(g, "high"), points=1.5)
    g.check_close("a silent neuron always gives 0 spikes", "silent", points=0.5)
    g.check_close("I(S;N) for a tuning curve", "info", points=2)
    # The answer is 0, made of order-1 terms: their float32 error sets the absolute tolerance.
    g.check_close("a flat tuning curve carries no information", "flat", atol=1e-6, points=1)
    g.check_close("a stimulus with zero prior probability", "zero_prior", points=0.5)
    g.custom("a longer window carries more information", lambda: _longer_window(g), points=0.5)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _information(channel, p_s, rates, duration, n_max, *, renormalise=False):
    joint = np.asarray(p_s, dtype=float)[:, None] * channel(rates, duration, n_max)
    if renormalise:
        joint = joint / joint.sum()
    outer = joint.sum(axis=1, keepdims=True) * joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / outer[nz])))


def _logs(lam: np.ndarray, n: np.ndarray) -> np.ndarray:
    log_fact = np.array([math.lgamma(k + 1.0) for k in n])
    log_lam = np.log(np.where(lam > 0, lam, 1.0))
    head = np.exp(-lam[:, None] + n[None, :] * log_lam[:, None] - log_fact[None, :])
    head[lam == 0, 1:] = 0.0
    return head


def _with_tail(head: np.ndarray, *, clip: bool = False) -> np.ndarray:
    tail = 1.0 - head.sum(axis=1, keepdims=True)
    return np.hstack([head, np.maximum(tail, 0.0) if clip else tail])


def _no_tail_channel(rates, duration, n_max):
    lam = np.asarray(rates, dtype=float) * float(duration)
    return _logs(lam, np.arange(n_max + 1))


def _no_tail_information(p_s, rates, duration, n_max):
    return _information(_no_tail_channel, p_s, rates, duration, n_max, renormalise=True)


def _powers_channel(rates, duration, n_max):
    lam = np.asarray(rates, dtype=float) * duration
    n = np.arange(n_max)
    fact = np.array([float(math.factorial(k)) if k < 171 else np.inf for k in n])
    with np.errstate(over="ignore", invalid="ignore"):
        return _with_tail(np.exp(-lam)[:, None] * lam[:, None] ** n / fact)


def _powers_information(p_s, rates, duration, n_max):
    return _information(_powers_channel, p_s, rates, duration, n_max)


def _rate_channel(rates, duration, n_max):
    return _with_tail(_logs(np.asarray(rates, dtype=float), np.arange(n_max)), clip=True)


def _rate_information(p_s, rates, duration, n_max):
    return _information(_rate_channel, p_s, rates, duration, n_max)


def _zero_rate_channel(rates, duration, n_max):
    lam = np.asarray(rates, dtype=float) * duration
    n = np.arange(n_max)
    log_fact = np.array([math.lgamma(k + 1.0) for k in n])
    with np.errstate(divide="ignore", invalid="ignore"):
        return _with_tail(np.exp(-lam[:, None] + n * np.log(lam)[:, None] - log_fact))


def _zero_rate_information(p_s, rates, duration, n_max):
    return _information(_zero_rate_channel, p_s, rates, duration, n_max)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "no-tail",
            diagnosis=(
                "Your last column is P(N = n_max), not the whole tail P(N >= n_max): the rows "
                "of the channel no longer sum to one."
            ),
            fix=(
                "Compute columns 0 .. n_max - 1 from the Poisson formula and put "
                "1 - (their sum) in the last column."
            ),
            wrong={
                "poisson_channel": _no_tail_channel,
                "stimulus_information": _no_tail_information,
            },
        ),
        Mistake(
            "direct-powers",
            diagnosis=(
                "You compute lambda^n / n! directly: for means of a few hundred lambda^n "
                "overflows to inf and n! is too large for a float, so the probabilities "
                "become NaN."
            ),
            fix="Work in logs: exp(-lam + n * log(lam) - math.lgamma(n + 1)).",
            wrong={
                "poisson_channel": _powers_channel,
                "stimulus_information": _powers_information,
            },
        ),
        Mistake(
            "rate-not-times-duration",
            diagnosis=(
                "You use the firing rates f(s) as the Poisson means; the mean count is the rate "
                "times the counting window, lambda_s = f(s) * duration."
            ),
            fix="Multiply the rates by duration before building the channel.",
            wrong={
                "poisson_channel": _rate_channel,
                "stimulus_information": _rate_information,
            },
        ),
        Mistake(
            "zero-rate-nan",
            diagnosis=(
                "For a rate of exactly 0 you compute n * log(0) = 0 * (-inf) = NaN at n = 0: "
                "a silent neuron should give P(N = 0) = 1 (0^0 = 1) and 0 for every other count."
            ),
            fix="Treat lambda = 0 separately: a row of [1, 0, ..., 0].",
            wrong={
                "poisson_channel": _zero_rate_channel,
                "stimulus_information": _zero_rate_information,
            },
        ),
    ]


def figures(g: Grader) -> None:
    rates = np.asarray(g.arg("channel", 0), dtype=float)
    tau = g.arg("channel", 1)
    idx = np.arange(rates.size)
    fig = PlainFigure()
    fig.add_scatter(
        x=idx,
        y=rates * tau,
        mode="lines+markers",
        name="mean count f(s) τ",
        line={"color": plots.NEUTRAL, "width": 2},
    )
    ref = g.expected("channel")[:, :-1]
    counts = np.arange(ref.shape[1])
    fig.add_scatter(
        x=idx,
        y=ref @ counts,
        mode="markers",
        name="reference: mean of p(n|s) below n_max",
        marker={"color": plots.REFERENCE, "size": 11, "symbol": "diamond"},
    )
    yours = g.try_array("channel")
    if yours is not None:
        fig.add_scatter(
            x=idx,
            y=yours[:, :-1] @ counts,
            mode="markers",
            name="yours: mean of p(n|s) below n_max",
            marker={"color": plots.LEARNER, "size": 7},
        )
    fig.update_layout(
        title={"text": "The tuning curve as mean spike count per stimulus"},
        xaxis_title="stimulus index s",
        yaxis_title="spike count",
        height=400,
    )
    g.figure(fig)
    g.figure(
        plots.heatmap_pair(
            yours,
            g.expected("channel"),
            title="p(n | s): rows are stimuli, columns spike counts 0..n_max (last = tail)",
            colorscale="Blues",
        )
    )
