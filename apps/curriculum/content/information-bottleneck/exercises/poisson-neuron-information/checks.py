import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots

TAIL = "the last column must hold the whole tail P(N >= n_max) = 1 - sum of the other columns"
LOGS = "compute log P(n) = -lam + n log(lam) - log(n!) with math.lgamma, then exponentiate"


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


def grade(g: Grader) -> None:
    g.check_close(
        "Poisson probabilities for a tuning curve",
        "channel",
        rtol=1e-8,
        atol=1e-12,
        points=2,
        hint=TAIL,
    )
    g.check_sums_to_one("each row sums to one", "channel", points=1)
    g.check_close(
        "stable for means of a few hundred", "high", rtol=1e-6, atol=1e-12, points=1.5, hint=LOGS
    )
    g.check_close(
        "a silent neuron always gives 0 spikes",
        "silent",
        atol=1e-12,
        points=0.5,
        hint="with lam = 0, P(N = 0) = 1 and every other count has probability 0 (0^0 = 1)",
    )
    g.check_close(
        "I(S;N) for a tuning curve",
        "info",
        rtol=1e-7,
        atol=1e-10,
        points=2,
        hint="I(S;N) is the mutual information of the joint p(s) p(n|s), in nats",
    )
    g.check_close("a flat tuning curve carries no information", "flat", atol=1e-10, points=1)
    g.check_close(
        "a stimulus with zero prior probability",
        "zero_prior",
        rtol=1e-7,
        atol=1e-10,
        points=0.5,
        hint="sum only over positive cells of the joint: 0 log 0 = 0",
    )
    g.custom(
        "a longer window carries more information",
        lambda: (
            None
            if g.scalar("long_window") > g.scalar("short_window")
            else f"counting for 1 s gave I = {g.scalar('long_window'):.4f} nats, not more than the 50 ms window's "
            f"{g.scalar('short_window'):.4f}"
        ),
        points=0.5,
    )


def figures(g: Grader) -> None:
    rates = np.asarray(g.arg("channel", 0), dtype=float)
    tau = g.arg("channel", 1)
    idx = np.arange(rates.size)
    fig = go.Figure()
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
