import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, plots

TOL = 1e-9
TIE_PATTERNS = np.array(
    [[-1, 1, 1, -1, 1, 1, 1, -1], [-1, 1, -1, 1, -1, -1, -1, -1]], dtype=float
)  # with TIE_STATE, the fields of neurons 1, 3, 5, 6 and 7 are exactly 0
TIE_STATE = np.array([-1, -1, -1, -1, -1, 1, 1, 1], dtype=float)
TWO = np.array([[0.0, 1.0], [1.0, 0.0]])


def _weights(patterns, variant=""):
    P, N = patterns.shape
    W = patterns.T @ patterns / (P if variant == "over-p" else 1 if variant == "no-scale" else N)
    if variant != "diagonal":
        np.fill_diagonal(W, 0.0)
    return W


def _energy(W, s, variant=""):
    value = float(s @ W @ s)
    return {"no-half": -value, "sign": 0.5 * value}.get(variant, -0.5 * value)


def _recall(W, s0, order, variant=""):
    s = s0.copy()
    stale = W @ s0
    energies = [_energy(W, s)]
    for i in order:
        h = stale[i] if variant == "stale" else W[i] @ s
        if h > 0 or (h == 0 and variant == "tie-up"):
            s[i] = 1.0
        elif h < 0 or (h == 0 and variant == "tie-down"):
            s[i] = -1.0
        energies.append(_energy(W, s))
    return s, np.array(energies)


SLIPS = {
    "hebbian_weights": (
        _weights,
        {
            "diagonal": "set the diagonal to zero: a neuron has no connection to itself",
            "no-scale": "divide the sum over patterns by N, the number of neurons",
            "over-p": "divide by N, the number of neurons, not by P, the number of patterns",
        },
    ),
    "energy": (
        _energy,
        {
            "no-half": "the energy is -1/2 s^T W s: each pair i, j is counted twice in the double sum",
            "sign": "the energy is -1/2 s^T W s, with a minus sign: stored patterns are low-energy states",
        },
    ),
    "recall": (
        _recall,
        {
            "stale": "every update must use the current state, including the neurons already updated "
            "in this pass; computing all fields once from s0 is a synchronous update",
            "tie-up": "a neuron whose field is exactly 0 keeps its state; yours switches to +1",
            "tie-down": "a neuron whose field is exactly 0 keeps its state; yours switches to -1",
        },
    ),
}


def _pm1(rng, shape):
    return rng.choice([-1.0, 1.0], size=shape)


def cases(rng: np.random.Generator) -> list[Call]:
    patterns = _pm1(rng, (4, 64))
    W = _weights(patterns)
    cue = patterns[0].copy()
    cue[rng.choice(64, size=12, replace=False)] *= -1
    order = np.concatenate([rng.permutation(64) for _ in range(3)])
    W_tie = _weights(TIE_PATTERNS)
    return [
        Call(
            "w", "hebbian_weights", (_pm1(rng, (5, 64)),), label="5 random patterns of 64 neurons"
        ),
        Call(
            "w-one",
            "hebbian_weights",
            (_pm1(rng, (1, 16)),),
            label="a single pattern of 16 neurons",
        ),
        Call("e", "energy", (W, _pm1(rng, 64)), label="a random state of the 64-neuron network"),
        Call("e-pattern", "energy", (W, patterns[1]), label="a stored pattern"),
        Call(
            "e-two",
            "energy",
            (TWO, np.array([1.0, -1.0])),
            label="the two-neuron example, s = (1, -1)",
        ),
        Call(
            "r",
            "recall",
            (W, cue, order),
            label="a stored pattern with 12 of 64 bits flipped, three sweeps in random order",
        ),
        Call(
            "r-ties",
            "recall",
            (W_tie, TIE_STATE, np.array([1, 3, 5, 6, 7, 0, 1])),
            label="a state of 8 neurons in which neurons 1, 3, 5, 6 and 7 have a field of exactly 0",
        ),
        Call(
            "r-two",
            "recall",
            (TWO, np.array([1.0, -1.0]), np.array([0, 1, 0, 1])),
            label="the two-neuron example from s = (1, -1), order 0, 1, 0, 1",
        ),
        Call("r-empty", "recall", (W, cue, np.array([], dtype=int)), label="an empty order"),
        Call(
            "r-repeat",
            "recall",
            (W, cue, np.repeat(order[:3], 3)),
            label="three neurons each updated three times in a row",
        ),
    ]


def _check(g: Grader, key: str, part: int | None = None) -> str | None:
    call = g.call(key)
    want = np.asarray(g.expected(key, part))
    what = {None: "", 0: ", the final state", 1: ", the energies"}[part]
    got = g.array(key, part, shape=want.shape, what=f"{call.func}() on {call.description}{what}")
    if np.allclose(got, want, rtol=TOL, atol=TOL):
        return None
    where = f"{call.func}() on {call.description}{what}"
    if call.func == "recall" and part == 0 and np.any(got == 0):
        return (
            f"{where} contains a 0: np.sign(0) is 0, which is not a neuron state; a neuron whose "
            "field is exactly 0 keeps its state"
        )
    if not np.all(np.isfinite(got)):
        return f"{where} contains NaN or an infinity"
    model, slips = SLIPS[call.func]
    for variant, diagnosis in slips.items():
        alt = model(*call.args, variant=variant)
        alt = np.asarray(alt[part] if part is not None else alt)
        if alt.shape == got.shape and np.allclose(got, alt, rtol=TOL, atol=TOL):
            return f"{where}: {diagnosis}"
    if got.ndim == 0:
        return f"{where} should be {float(want):.6g}, but is {float(got):.6g}"
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.abs(got - want))), want.shape))
    return f"{where}: entry {index} should be {want[index]:.6g}, but is {got[index]:.6g}"


def _never_rises(g: Grader) -> str | None:
    energies = g.array("r", 1)
    rises = np.flatnonzero(np.diff(energies) > 1e-9)
    if rises.size:
        k = int(rises[0])
        raise CheckFailed(
            f"your energy rises from {energies[k]:.6g} to {energies[k + 1]:.6g} at update {k + 1}; "
            "an asynchronous update s_i <- sign(h_i) can never raise it"
        )
    return None


def grade(g: Grader) -> None:
    g.custom("Hebbian weights of 5 patterns", lambda: _check(g, "w"), points=2)
    g.custom("Hebbian weights of one pattern", lambda: _check(g, "w-one"), points=1)
    g.custom("energy of a random state", lambda: _check(g, "e"), points=1)
    g.custom("energy of a stored pattern", lambda: _check(g, "e-pattern"), points=1)
    g.custom("energy of the two-neuron example", lambda: _check(g, "e-two"), points=1)
    g.custom("recall of a corrupted pattern: final state", lambda: _check(g, "r", 0), points=2)
    g.custom("recall of a corrupted pattern: energies", lambda: _check(g, "r", 1), points=1)
    g.custom("the energy never rises during recall", lambda: _never_rises(g), points=1)
    g.custom(
        "zero fields leave neurons unchanged",
        lambda: _check(g, "r-ties", 0) or _check(g, "r-ties", 1),
        points=2,
    )
    g.custom(
        "the two-neuron example settles at (-1, -1)",
        lambda: _check(g, "r-two", 0) or _check(g, "r-two", 1),
        points=1,
    )
    g.custom("an empty order", lambda: _check(g, "r-empty", 0) or _check(g, "r-empty", 1), points=1)
    g.custom(
        "repeated updates of the same neuron",
        lambda: _check(g, "r-repeat", 0) or _check(g, "r-repeat", 1),
        points=1,
    )


def figures(g: Grader) -> None:
    want = np.asarray(g.expected("r", 1))
    g.figure(
        plots.compare_lines(
            np.arange(len(want)),
            g.try_array("r", 1),
            want,
            title="energy during recall of a corrupted pattern (64 neurons, 4 patterns)",
            x_label="single-neuron updates",
            y_label="energy E(s)",
        )
    )
