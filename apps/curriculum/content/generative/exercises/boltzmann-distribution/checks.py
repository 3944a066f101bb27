import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots

TEMPERATURES = (0.25, 1.0, 4.0)


def _landscape(k: int = 30) -> np.ndarray:
    """A fixed double-well energy over K states, for the figure."""
    s = np.linspace(-2.0, 2.0, k)
    return s**4 - 2.0 * s**2 + 0.3 * s


def cases(rng: np.random.Generator) -> list[Call]:
    k = int(rng.integers(4, 10))
    energies = rng.normal(scale=2.0, size=k)
    calls = [
        Call(
            "random",
            "boltzmann",
            (energies, float(rng.uniform(0.5, 2.0))),
            label="random energies at a moderate temperature",
        ),
        Call("cold", "boltzmann", (energies, 1e-3), label="the same energies at T = 0.001"),
        Call("hot", "boltzmann", (energies, 1e6), label="the same energies at T = 10^6"),
        Call(
            "low",
            "boltzmann",
            (-1000.0 + rng.normal(size=k), 1.0),
            label="energies near -1000 at T = 1",
        ),
        Call(
            "high",
            "boltzmann",
            (1000.0 + rng.normal(size=k), 1.0),
            label="energies near +1000 at T = 1",
        ),
        Call(
            "single",
            "boltzmann",
            (np.array([float(rng.normal())]), 1.0),
            label="a single state (K = 1)",
        ),
        Call(
            "ordered",
            "boltzmann",
            (np.array([0.0, 1.0, 2.0]), 1.0),
            label="energies [0, 1, 2] at T = 1",
        ),
    ]
    for i, t in enumerate(TEMPERATURES):
        calls.append(
            Call(
                f"landscape{i}",
                "boltzmann",
                (_landscape(), t),
                label=f"a double-well landscape at T = {t}",
            )
        )
    return calls


def _lowest_energy_most_probable(g: Grader) -> str | None:
    p = g.array("ordered", 0)
    if not (p[0] > p[1] > p[2]):
        return (
            f"for energies [0, 1, 2] the probabilities should decrease (low energy = high probability), "
            f"but you returned {np.round(p, 4).tolist()}"
        )
    return None


def grade(g: Grader) -> None:
    g.check_close("probabilities on random energies", "random", 0, rtol=1e-6, points=2)
    g.check_close(
        "log Z on random energies",
        "random",
        1,
        rtol=1e-6,
        atol=1e-8,
        points=1,
        hint="log_Z is the natural log of the sum of exp(-E_k / T), before normalising",
    )
    g.custom(
        "low energy is more probable",
        lambda: _lowest_energy_most_probable(g),
        points=1,
        hint="p_k ∝ exp(-E_k / T) carries a minus sign",
    )
    g.check_sums_to_one("probabilities sum to one", "random", 0, points=1)
    g.check_close(
        "stable for energies near -1000",
        "low",
        0,
        rtol=1e-6,
        points=1,
        hint="exp(1000) overflows to inf; use the log-sum-exp trick (subtract the largest -E/T)",
    )
    g.check_close(
        "log Z for energies near -1000",
        "low",
        1,
        rtol=1e-9,
        points=1,
        hint="log Z is about 1000 here: compute it as m + log(sum(exp(a - m))), the log-sum-exp trick",
    )
    g.check_close(
        "stable for energies near +1000",
        "high",
        0,
        rtol=1e-6,
        points=1,
        hint="exp(-1000) underflows to 0 and 0/0 is nan; the log-sum-exp trick fixes this too",
    )
    g.check_close(
        "a very cold distribution",
        "cold",
        0,
        rtol=1e-6,
        atol=1e-10,
        points=1,
        hint="at T = 0.001, -E/T is in the thousands: use the log-sum-exp trick",
    )
    g.check_close("a very hot distribution is nearly uniform", "hot", 0, rtol=1e-6, points=0.5)
    g.check_close("a single state has probability one", "single", 0, points=0.5)


def figures(g: Grader) -> None:
    energies = _landscape()
    states = np.arange(energies.size)
    fig = go.Figure()
    fig.add_bar(
        x=states, y=energies, name="energy E(x)", marker_color="#d1d5db", yaxis="y2", opacity=0.6
    )
    dashes = ("solid", "dash", "dot")
    for i, t in enumerate(TEMPERATURES):
        fig.add_scatter(
            x=states,
            y=g.expected(f"landscape{i}", 0),
            name=f"reference, T = {t}",
            line={"color": plots.REFERENCE, "width": 3, "dash": dashes[i]},
        )
        yours = g.try_array(f"landscape{i}", 0)
        if yours is not None:
            fig.add_scatter(
                x=states,
                y=yours,
                name=f"yours, T = {t}",
                mode="markers",
                marker={
                    "color": plots.LEARNER,
                    "size": 6,
                    "symbol": ["circle", "square", "diamond"][i],
                },
            )
    fig.update_layout(
        title={
            "text": "A double-well energy and its Boltzmann probabilities at three temperatures"
        },
        xaxis_title="state x",
        yaxis_title="probability p(x)",
        height=420,
        yaxis2={"overlaying": "y", "side": "right", "title": "energy", "showgrid": False},
    )
    g.figure(fig)
