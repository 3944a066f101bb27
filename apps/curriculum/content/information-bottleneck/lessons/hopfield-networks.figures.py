import math

import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param


def _store(patterns: np.ndarray) -> np.ndarray:
    W = patterns.T @ patterns / patterns.shape[1]
    np.fill_diagonal(W, 0.0)
    return W


def _run(W, s, rng, sweeps, pattern=None):
    """Asynchronous updates in random order; keeps the fields up to date incrementally."""
    s = s.copy()
    h = W @ s
    overlaps, energies = [], []
    n = len(s)
    for _ in range(sweeps):
        changed = False
        for i in rng.permutation(n):
            new = s[i] if h[i] == 0 else np.sign(h[i])
            if new != s[i]:
                h += W[:, i] * (new - s[i])
                s[i] = new
                changed = True
            if pattern is not None and i % 20 == 0:
                overlaps.append(float(pattern @ s) / n)
                energies.append(float(-0.5 * s @ h))
        if not changed:
            break
    return s, overlaps, energies


def _recall() -> go.Figure:
    rng = np.random.default_rng(0)
    n = 400
    fig = go.Figure()
    for load, colour in [(0.05, "#2563eb"), (0.25, "#b91c1c")]:
        patterns = rng.choice([-1.0, 1.0], size=(int(load * n), n))
        W = _store(patterns)
        cue = patterns[0] * np.where(rng.random(n) < 0.25, -1.0, 1.0)
        _, overlaps, energies = _run(W, cue, rng, 6, pattern=patterns[0])
        steps = 20 * np.arange(len(overlaps))
        fig.add_scatter(
            x=steps, y=overlaps, name=f"overlap m, P/N = {load}", line={"color": colour, "width": 3}
        )
        fig.add_scatter(
            x=steps,
            y=np.array(energies) / n,
            name=f"energy per neuron, P/N = {load}",
            line={"color": colour, "dash": "dot"},
        )
    fig.update_layout(
        title={"text": "recall from a cue with 25% of bits flipped (N = 400): overlap and energy"},
        xaxis_title="single-neuron updates",
        yaxis_title="overlap m = ξ·s / N  |  E / N",
        height=420,
    )
    return fig


def _capacity() -> go.Figure:
    rng = np.random.default_rng(1)
    n = 400
    loads = np.array([0.04, 0.08, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.24, 0.3])
    final, first_step = [], []
    for load in loads:
        patterns = rng.choice([-1.0, 1.0], size=(max(1, round(load * n)), n))
        W = _store(patterns)
        fields = patterns @ W  # row mu: the fields when the state is pattern mu
        first_step.append(float(np.mean(fields * patterns <= 0)))
        overlaps = [float(patterns[mu] @ _run(W, patterns[mu], rng, 12)[0]) / n for mu in range(3)]
        final.append(float(np.mean(overlaps)))
    fine = np.linspace(0.02, 0.3, 57)
    theory = [0.5 * (1 + math.erf(-1 / math.sqrt(2 * load))) for load in fine]
    fig = go.Figure()
    fig.add_scatter(
        x=loads,
        y=final,
        mode="lines+markers",
        name="overlap after recall from a stored pattern (mean of 3)",
        line={"color": "#2563eb", "width": 3},
    )
    fig.add_scatter(
        x=loads,
        y=first_step,
        mode="markers",
        name="fraction of unstable bits at the stored patterns",
        marker={"color": "#f97316", "size": 8},
    )
    fig.add_scatter(x=fine, y=theory, name="crosstalk estimate Φ(−1/√α)", line={"color": "#f97316"})
    fig.add_vline(x=0.138, line={"color": "#6b7280", "dash": "dot"})
    fig.update_layout(
        title={"text": "capacity of a Hopfield network of N = 400 neurons"},
        xaxis_title="load α = P/N",
        yaxis_title="overlap / fraction",
        height=400,
    )
    return fig


# ----- explorable: the load P/N and the corruption of the cue against recall --------------
LOADS = [0.02, 0.05, 0.08, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.25, 0.3]
CORRUPTIONS = [0.0, 0.1, 0.2, 0.3, 0.4]
RECALL_N, RECALL_SWEEPS = 200, 6


def _recall_explorable() -> Explorable:
    # One pool of patterns and one set of uniform numbers for the cue: a larger load adds
    # patterns to the same memory and a larger corruption flips a superset of the same bits,
    # so moving a slider changes only the thing it names.
    rng = np.random.default_rng(4)
    pool = rng.choice([-1.0, 1.0], size=(round(max(LOADS) * RECALL_N), RECALL_N))
    flips = rng.random(RECALL_N)
    steps_per_sweep = RECALL_N // 20

    def frame(load: float, corruption: float) -> dict:
        patterns = pool[: max(1, round(load * RECALL_N))]
        W = _store(patterns)
        cue = patterns[0] * np.where(flips < corruption, -1.0, 1.0)
        final, overlaps, energies = _run(
            W, cue, np.random.default_rng(5), RECALL_SWEEPS, pattern=patterns[0]
        )
        # Pad a run that stopped early with its fixed point, so every frame spans all sweeps.
        total = RECALL_SWEEPS * steps_per_sweep
        overlaps += [overlaps[-1]] * (total - len(overlaps))
        energies += [energies[-1]] * (total - len(energies))
        steps = 20 * np.arange(total)
        end = float(patterns[0] @ final) / RECALL_N
        verdict = "recalled" if end > 0.98 else "near the pattern" if end > 0.8 else "not recalled"
        return {
            "data": [
                {
                    "type": "scatter",
                    "x": steps,
                    "y": overlaps,
                    "mode": "lines",
                    "line": {"color": "#2563eb", "width": 3},
                    "name": "overlap m = ξ·s / N",
                },
                {
                    "type": "scatter",
                    "x": steps,
                    "y": np.array(energies) / RECALL_N,
                    "mode": "lines",
                    "line": {"color": "#b91c1c", "dash": "dot"},
                    "name": "energy per neuron E / N",
                },
            ],
            "layout": {
                "title": {
                    "text": (
                        f"P/N = {load:g} ({len(patterns)} patterns), {corruption:.0%} of bits "
                        f"flipped: final overlap {end:.2f}, {verdict}"
                    )
                },
                "xaxis": {"title": {"text": "single-neuron updates"}, "range": [0, 20 * total]},
                "yaxis": {"title": {"text": "overlap  |  E / N"}, "range": [-1.2, 1.05]},
                "legend": {"orientation": "h", "y": -0.2},
                "height": 420,
            },
        }

    return Explorable(
        params=[
            Param("load", "load $P/N$", LOADS, initial=0.05),
            Param("corruption", "fraction of cue bits flipped", CORRUPTIONS, initial=0.2),
        ],
        build=frame,
    )


def figures() -> dict[str, go.Figure | Explorable]:
    return {"recall": _recall(), "capacity": _capacity(), "recall-load": _recall_explorable()}
