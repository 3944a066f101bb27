import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, conditioned, plots

TEMPERATURES = (0.25, 1.0, 4.0)


def _landscape(k: int = 30) -> np.ndarray:
    """A fixed double-well energy over K states, for the figure."""
    s = np.linspace(-2.0, 2.0, k)
    return s**4 - 2.0 * s**2 + 0.3 * s


# Deterministic stress cases: exponents beyond +-709 under every seed (the naive exp(-E/T)
# overflows to inf or underflows to 0 on them whatever the random draw).
COLD = np.array([-1.0, 0.0, 2.0])  # at T = 0.001: -E/T = 1000, 0, -2000
LOW = np.array([-1000.0, -999.0, -998.0, -995.0])
HIGH = np.array([1000.0, 1001.0, 1003.0])


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
        Call("cold", "boltzmann", (COLD, 1e-3), label="energies [-1, 0, 2] at T = 0.001"),
        Call("hot", "boltzmann", (energies, 1e6), label="random energies at T = 10^6"),
        Call(
            "low",
            "boltzmann",
            (LOW, 1.0),
            label="energies [-1000, -999, -998, -995] at T = 1",
        ),
        Call(
            "low-random",
            "boltzmann",
            (-1000.0 + rng.normal(size=k), 1.0),
            label="random energies near -1000 at T = 1",
        ),
        Call("high", "boltzmann", (HIGH, 1.0), label="energies [1000, 1001, 1003] at T = 1"),
        Call(
            "warm",
            "boltzmann",
            (np.array([0.0, 1.0, 2.0, 4.0]), 2.5),
            label="energies [0, 1, 2, 4] at T = 2.5",
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


def _rtol(g: Grader, key: str) -> float:
    # The exponents -E/T are the inputs that matter: float32 rounds an exponent of size |a| by
    # about |a| x 6e-8, and the probabilities and log Z move by that much (relative to log Z).
    energies, temperature = g.args(key)
    return conditioned(np.abs(np.asarray(energies) / temperature).max())


def _lowest_energy_most_probable(g: Grader) -> str | None:
    p = g.array("ordered", 0)
    if not (p[0] > p[1] > p[2]):
        return (
            "for energies [0, 1, 2] the probabilities should decrease as the energy grows, "
            f"but you returned {np.array2string(p, precision=6)}"
        )
    return None


def grade(g: Grader) -> None:
    g.check_close("probabilities on random energies", "random", 0, points=2)
    g.check_close("log Z on random energies", "random", 1, points=1)
    g.custom("low energy is more probable", lambda: _lowest_energy_most_probable(g), points=1)
    g.check_sums_to_one("probabilities sum to one", "random", 0, points=1)
    g.check_close("probabilities at T = 2.5", "warm", 0, points=0.5)
    g.check_close("log Z at T = 2.5", "warm", 1, points=0.5)
    g.check_close("stable for energies near -1000", "low", 0, rtol=_rtol(g, "low"), points=1)
    g.check_close("log Z for energies near -1000", "low", 1, rtol=_rtol(g, "low"), points=1)
    g.check_close(
        "random energies near -1000", "low-random", 1, rtol=_rtol(g, "low-random"), points=0.5
    )
    g.check_close("stable for energies near +1000", "high", 0, rtol=_rtol(g, "high"), points=1)
    g.check_close("log Z for energies near +1000", "high", 1, rtol=_rtol(g, "high"), points=0.5)
    g.check_close("a very cold distribution", "cold", 0, rtol=_rtol(g, "cold"), points=1)
    g.check_close("log Z of a very cold distribution", "cold", 1, rtol=_rtol(g, "cold"), points=0.5)
    g.check_close("a very hot distribution is nearly uniform", "hot", 0, points=0.5)
    g.check_close("a single state has probability one", "single", 0, points=0.5)
    g.check_close("log Z of a single state", "single", 1, points=0.5)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _stable(a: np.ndarray) -> tuple[np.ndarray, float]:
    m = a.max()
    log_z = m + np.log(np.exp(a - m).sum())
    return np.exp(a - log_z), float(log_z)


def _naive(energies, temperature):
    with np.errstate(all="ignore"):
        weights = np.exp(-np.asarray(energies, dtype=float) / temperature)
        z = weights.sum()
        return weights / z, float(np.log(z))


def _plus_sign(energies, temperature):
    return _stable(np.asarray(energies, dtype=float) / temperature)


def _times_temperature(energies, temperature):
    return _stable(-np.asarray(energies, dtype=float) * temperature)


def _free_energy(energies, temperature):
    p, log_z = _stable(-np.asarray(energies, dtype=float) / temperature)
    return p, -temperature * log_z


def _shift_not_added_back(energies, temperature):
    a = -np.asarray(energies, dtype=float) / temperature
    p, log_z = _stable(a)
    return p, log_z - float(a.max())


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "naive-exp",
            diagnosis=(
                "You compute exp(-E/T) directly: for energies near -1000 (or a tiny T) it "
                "overflows to inf and inf / inf is NaN; near +1000 it underflows to 0 and 0 / 0 "
                "is NaN."
            ),
            fix=(
                "Use the log-sum-exp trick: with a = -E/T and m = a.max(), "
                "log Z = m + log(sum(exp(a - m))) and p = exp(a - log Z)."
            ),
            hints=("Try np.exp(1000.0) and np.exp(-1000.0) and see what comes back.",),
            wrong=_naive,
        ),
        Mistake(
            "plus-sign",
            diagnosis=(
                "You exponentiate +E/T instead of -E/T, so high energy gets high probability: "
                "the distribution is reversed."
            ),
            fix="The Boltzmann weight is exp(-E_k / T): put the minus sign on the energies.",
            wrong=_plus_sign,
        ),
        Mistake(
            "times-temperature",
            diagnosis=(
                "You multiply the energies by the temperature, -E * T, instead of dividing: a "
                "small T then flattens the distribution and a large T sharpens it (T = 1 hides it)."
            ),
            fix="Divide: the exponent is -E_k / T.",
            wrong=_times_temperature,
        ),
        Mistake(
            "free-energy",
            diagnosis=(
                "Your second output is the free energy F = -T log Z, not log Z itself; the "
                "probabilities are right."
            ),
            fix="Return log Z = m + log(sum(exp(a - m))) as it is, without the factor -T.",
            wrong=_free_energy,
        ),
        Mistake(
            "shift-not-added-back",
            diagnosis=(
                "You subtract m = max(-E/T) to stabilise but do not add it back to log Z: you "
                "return log(sum(exp(a - m))) instead of m + log(sum(exp(a - m))). The "
                "probabilities are right."
            ),
            fix="log Z = m + np.log(np.exp(a - m).sum()).",
            wrong=_shift_not_added_back,
        ),
    ]


def figures(g: Grader) -> None:
    energies = _landscape()
    states = np.arange(energies.size)
    fig = PlainFigure()
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
