import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, changes_argument, plots

# With TIE_STATE, the fields of neurons 1, 3, 5, 6 and 7 are exactly 0 (neurons 1 and 3 at -1,
# neurons 5, 6 and 7 at +1), so a zero field pushed to +1, to -1 or to np.sign(0) = 0 shows.
TIE_PATTERNS = np.array([[-1, 1, 1, -1, 1, 1, 1, -1], [-1, 1, -1, 1, -1, -1, -1, -1]], dtype=float)
TIE_STATE = np.array([-1, -1, -1, -1, -1, 1, 1, 1], dtype=float)
TIE_ORDER = np.array([1, 3, 5, 6, 7, 0, 1])
# The lesson's two neurons: synchronous updates from (1, -1) cycle, asynchronous ones settle.
TWO = np.array([[0.0, 1.0], [1.0, 0.0]])


def _pm1(rng, shape):
    return rng.choice([-1.0, 1.0], size=shape)


def _hebbian(patterns):
    W = patterns.T @ patterns / patterns.shape[1]
    np.fill_diagonal(W, 0.0)
    return W


def cases(rng: np.random.Generator) -> list[Call]:
    # N is a power of two, so every weight k/N and every field is exact, and a zero field is 0.
    patterns = _pm1(rng, (4, 64))
    W = _hebbian(patterns)
    cue = patterns[0].copy()
    cue[rng.choice(64, size=12, replace=False)] *= -1
    order = np.concatenate([rng.permutation(64) for _ in range(3)])
    return [
        # P != N, so dividing by the wrong one, or multiplying in the wrong order, shows.
        Call(
            "w", "hebbian_weights", (_pm1(rng, (5, 64)),), label="5 random patterns of 64 neurons"
        ),
        Call(
            "w-one",
            "hebbian_weights",
            (_pm1(rng, (1, 16)),),
            label="a single pattern of 16 neurons",
        ),
        Call("e", "energy", (W, _pm1(rng, 64)), label="a random state of a 64-neuron network"),
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
            (_hebbian(TIE_PATTERNS), TIE_STATE, TIE_ORDER),
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


def _states_are_pm1(g: Grader) -> str | None:
    for key in ("r-ties", "r"):
        state = g.array(key, 0)
        bad = np.flatnonzero((state != 1.0) & (state != -1.0))
        if bad.size:
            i = int(bad[0])
            return (
                f"recall() on {g.call(key).description}: the final state has {state[i]:g} at "
                f"index {i}; every neuron's state is -1 or +1"
            )
    return None


def _never_rises(g: Grader) -> str | None:
    energies = g.array("r", 1)
    rises = np.flatnonzero(np.diff(energies) > 1e-6 * (1.0 + np.abs(energies).max()))
    if rises.size:
        k = int(rises[0])
        return (
            f"recall() on {g.call('r').description}: your energy rises from {energies[k]:.8g} to "
            f"{energies[k + 1]:.8g} at update {k + 1}; an asynchronous update never raises it"
        )
    return None


def grade(g: Grader) -> None:
    # Default tolerances (NOTATION.md): every number here is a small sum of multiples of 1/N,
    # exact in float32 as in float64.
    g.check_close("Hebbian weights of 5 patterns", "w", points=2)
    g.check_close("Hebbian weights of one pattern", "w-one")
    g.check_close("energy of a random state", "e")
    g.check_close("energy of a stored pattern", "e-pattern")
    g.check_close("energy of the two-neuron example", "e-two")
    g.check_close("recall of a corrupted pattern: final state", "r", 0, points=2)
    g.check_close("recall of a corrupted pattern: energies", "r", 1)
    g.custom("the energy never rises during recall", lambda: _never_rises(g))
    g.custom("every neuron ends at -1 or +1", lambda: _states_are_pm1(g))
    g.check_close("zero fields leave neurons unchanged: final state", "r-ties", 0, points=1.5)
    g.check_close("zero fields leave neurons unchanged: energies", "r-ties", 1, points=0.5)
    g.check_close("the two-neuron example settles at (-1, -1)", "r-two", 0)
    g.check_close("the two-neuron example: energies", "r-two", 1, points=0.5)
    g.check_close("an empty order: the start state", "r-empty", 0, points=0.5)
    g.check_close("an empty order: the start energy alone", "r-empty", 1, points=0.5)
    g.check_close("repeated updates of the same neuron: final state", "r-repeat", 0, points=0.5)
    g.check_close("repeated updates of the same neuron: energies", "r-repeat", 1, points=0.5)
    g.check_inputs_unchanged("leaves the caller's s0 unchanged")


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _energy(W, s, *, half=True):
    s = np.asarray(s, dtype=float)
    value = float(s @ np.asarray(W, dtype=float) @ s)
    return -0.5 * value if half else -value


def _recall(*, zero="keep", fields="current", start=True, half=True):
    """The reference recall with one mistake: a zero field, stale fields, energies."""

    def recall(W, s0, order):
        W = np.asarray(W, dtype=float)
        s = np.array(s0, dtype=float)
        stale = W @ s
        energies = [_energy(W, s, half=half)] if start else []
        for i in np.asarray(order, dtype=int):
            h = stale[i] if fields == "stale" else W[i] @ s
            if h > 0 or (h == 0 and zero == "plus"):
                s[i] = 1.0
            elif h < 0:
                s[i] = -1.0
            elif zero == "sign":
                s[i] = 0.0
            energies.append(_energy(W, s, half=half))
        return s, np.array(energies)

    return recall


def _weights(*, by="N", diagonal=False):
    def hebbian_weights(patterns):
        patterns = np.asarray(patterns, dtype=float)
        P, N = patterns.shape
        W = patterns.T @ patterns / (P if by == "P" else N)
        if not diagonal:
            np.fill_diagonal(W, 0.0)
        return W

    return hebbian_weights


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "zero-field-to-zero",
            diagnosis=(
                "In recall you set s[i] = np.sign(h): for a field of exactly 0 that is 0, which "
                "is not a neuron state, and the neuron should have kept its value."
            ),
            fix="Change s[i] only when h != 0: +1 if h > 0, -1 if h < 0, otherwise leave it.",
            wrong={"recall": _recall(zero="sign")},
        ),
        Mistake(
            "zero-field-to-plus",
            diagnosis=(
                "In recall a field of exactly 0 sets the neuron to +1 (h >= 0 counts as "
                "positive), so a neuron at -1 with a zero field flips."
            ),
            fix="Use strict comparisons: +1 if h > 0, -1 if h < 0, and leave s[i] alone if h == 0.",
            wrong={"recall": _recall(zero="plus")},
        ),
        Mistake(
            "synchronous-fields",
            diagnosis=(
                "In recall you compute every field once from the start state (W @ s0) before "
                "the loop, so an update does not see the neurons updated before it: that is "
                "synchronous dynamics, which can cycle (the two-neuron example)."
            ),
            fix="Compute h = W[i] @ s inside the loop, from the current state, before each update.",
            wrong={"recall": _recall(fields="stale")},
        ),
        Mistake(
            "energies-without-start",
            diagnosis=(
                "Your energies leave out the energy of the start state: they have len(order) "
                "entries instead of len(order) + 1."
            ),
            fix="Put energy(W, s0) first, before the loop, then append one energy per update.",
            wrong={"recall": _recall(start=False)},
        ),
        Mistake(
            "energy-without-half",
            diagnosis=(
                "Your energy is -s^T W s, twice the defined energy: the factor 1/2 is missing "
                "(the double sum counts each pair i, j twice). Recall's energies double with it."
            ),
            fix="Return -0.5 * s @ W @ s.",
            wrong={
                "energy": lambda W, s: _energy(W, s, half=False),
                "recall": _recall(half=False),
            },
        ),
        Mistake(
            "diagonal-kept",
            diagnosis=(
                "Your Hebbian weights keep the diagonal W_ii = P/N: each neuron is connected "
                "to itself, where the definition sets W_ii = 0."
            ),
            fix="After the sum over patterns, set the diagonal to zero: np.fill_diagonal(W, 0.0).",
            wrong={"hebbian_weights": _weights(diagonal=True)},
        ),
        Mistake(
            "divided-by-p",
            diagnosis=(
                "Your Hebbian weights divide the sum over patterns by P, the number of patterns "
                "(rows of patterns), instead of N, the number of neurons (columns)."
            ),
            fix="Divide by N = patterns.shape[1].",
            wrong={"hebbian_weights": _weights(by="P")},
        ),
        Mistake(
            "changes-s0",
            diagnosis=(
                "Your recall is right, but it updates the caller's s0 in place: np.asarray "
                "(or s = s0) does not copy a float array, so s and s0 are the same array."
            ),
            fix="Start from a copy: s = np.array(s0, dtype=float) or s0.copy().",
            predicate=changes_argument("s0"),
        ),
    ]


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
