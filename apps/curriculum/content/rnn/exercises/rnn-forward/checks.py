import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, plots


def _params(rng, n, d, scale):
    W_h = rng.normal(scale=scale / np.sqrt(n), size=(n, n))
    W_x = rng.normal(scale=1.0 / np.sqrt(d), size=(n, d))
    b = rng.normal(scale=0.1, size=n)
    return W_h, W_x, b


def cases(rng: np.random.Generator) -> list[Call]:
    n, d, T = int(rng.integers(3, 7)), int(rng.integers(2, 5)), int(rng.integers(25, 45))
    W_h, W_x, b = _params(rng, n, d, 1.2)
    xs = np.sin(np.linspace(0, 4 * np.pi, T))[:, None] * rng.normal(size=(1, d)) + 0.3 * rng.normal(
        size=(T, d)
    )
    h0 = rng.normal(scale=0.5, size=n)
    W_h1, W_x1, b1 = _params(rng, 4, 3, 0.9)
    W_hs, W_xs, bs = _params(rng, 5, 1, 8.0)
    return [
        Call(
            "sequence",
            "rnn_forward",
            (xs, h0, W_h, W_x, b),
            label=f"a random sequence of T={T} inputs of dimension d={d}, n={n} hidden units",
        ),
        Call(
            "single",
            "rnn_forward",
            (rng.normal(size=(1, 3)), rng.normal(size=4), W_h1, W_x1, b1),
            label="a sequence of length T=1",
        ),
        Call(
            "free",
            "rnn_forward",
            (np.zeros((6, d)), h0, W_h, W_x, np.zeros(n)),
            label="zero inputs and zero bias from a non-zero h0: the recurrence alone",
        ),
        Call(
            "scalar_input",
            "rnn_forward",
            (rng.normal(size=(12, 1)), np.zeros(5), W_hs, 5 * W_xs, bs),
            label="scalar inputs (d=1) with large weights that saturate tanh",
        ),
    ]


def grade(g: Grader) -> None:
    def one_state_per_step() -> str | None:
        xs = g.arg("sequence", 0)
        got = np.asarray(g.output("sequence"), dtype=float)
        T, n = xs.shape[0], g.arg("sequence", 1).shape[0]
        if got.shape != (T, n):
            return (
                f"rnn_forward() returned shape {got.shape} for T={T} inputs and n={n} hidden "
                f"units; expected ({T}, {n}), one state per input"
            )
        return None

    g.custom("one hidden state per time step", one_state_per_step, points=1)
    g.custom("first step", lambda: _first_step(g), points=1)
    g.check_close("every state of a random sequence", "sequence", points=3)
    g.check_close("a sequence of length one", "single", points=1)
    g.check_close("the recurrence alone, with zero inputs", "free", points=1)
    g.check_close("saturated tanh with scalar inputs", "scalar_input", points=1)

    def bounded() -> str | None:
        got = g.array("scalar_input")
        if np.any(np.abs(got) > 1.0):
            return f"a tanh state must lie in [-1, 1], but one entry is {got.flat[np.argmax(np.abs(got))]:.6g}"
        return None

    g.custom("states stay inside the tanh range", bounded, points=1)


def _first_step(g: Grader) -> str | None:
    xs, h0, W_h, W_x, b = g.args("sequence")
    got = g.array("sequence")
    want = np.tanh(W_h @ h0 + W_x @ xs[0] + b)
    if not np.allclose(got[0], want, rtol=1e-5, atol=1e-6):
        return (
            f"row 0 should be h_1 = tanh(W_h h0 + W_x x_1 + b) = {np.round(want, 6)}, "
            f"but it is {np.round(got[0], 6)}"
        )
    return None


# --- known mistakes ------------------------------------------------------------------------
def _run(xs, h0, step):
    h = np.asarray(h0, dtype=float)
    states = []
    for x in np.asarray(xs, dtype=float):
        h = step(h, x)
        states.append(h)
    return states


def _includes_h0(xs, h0, W_h, W_x, b):
    states = _run(xs, h0, lambda h, x: np.tanh(W_h @ h + W_x @ x + b))
    return np.stack([np.asarray(h0, dtype=float), *states])


def _reuses_h0(xs, h0, W_h, W_x, b):
    h0 = np.asarray(h0, dtype=float)
    return np.stack([np.tanh(W_h @ h0 + W_x @ x + b) for x in np.asarray(xs, dtype=float)])


def _bias_outside(xs, h0, W_h, W_x, b):
    return np.stack(_run(xs, h0, lambda h, x: np.tanh(W_h @ h + W_x @ x) + b))


def _last_state_everywhere(xs, h0, W_h, W_x, b):
    states = _run(xs, h0, lambda h, x: np.tanh(W_h @ h + W_x @ x + b))
    return np.stack([states[-1]] * len(states))


def _transposed_recurrence(xs, h0, W_h, W_x, b):
    return np.stack(_run(xs, h0, lambda h, x: np.tanh(h @ W_h + W_x @ x + b)))


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "includes-h0",
            diagnosis=(
                "You return T + 1 rows: the initial state h0 followed by the T new states. The "
                "result should hold only the states after each input."
            ),
            fix="Start the list empty and append each new h; return np.stack(states) of shape (T, n).",
            wrong=_includes_h0,
        ),
        Mistake(
            "reuses-h0",
            diagnosis=(
                "Every step starts again from h0: you compute tanh(W_h h0 + W_x x_t + b) for each t, "
                "so the state never carries over and only row 0 is right."
            ),
            fix="Keep one variable h, feed it into the step and overwrite it with the result.",
            wrong=_reuses_h0,
        ),
        Mistake(
            "bias-outside-tanh",
            diagnosis=(
                "You add the bias after the nonlinearity, tanh(W_h h + W_x x) + b, so the states "
                "are shifted by b and can leave (-1, 1)."
            ),
            fix="Put b inside: np.tanh(W_h @ h + W_x @ x + b).",
            wrong=_bias_outside,
        ),
        Mistake(
            "same-array-appended",
            diagnosis=(
                "Every row of your result equals the last state: you update one array in place "
                "(h[:] = ...) and append that same array each step, so all the stored rows are "
                "one object."
            ),
            fix="Assign a new array each step (h = np.tanh(...)) or append h.copy().",
            wrong=_last_state_everywhere,
        ),
        Mistake(
            "transposed-recurrence",
            diagnosis=(
                "You multiply the state as a row vector, h @ W_h, which applies W_h transposed: "
                "the recurrence is W_h @ h (row i of W_h feeds unit i)."
            ),
            fix="Write W_h @ h.",
            wrong=_transposed_recurrence,
        ),
    ]


def figures(g: Grader) -> None:
    ref = g.expected("sequence")
    yours = g.try_array("sequence")
    steps = np.arange(1, ref.shape[0] + 1)
    fig = PlainFigure()
    for unit in range(min(3, ref.shape[1])):
        fig.add_scatter(
            x=steps,
            y=ref[:, unit],
            name=f"reference unit {unit + 1}",
            line={"color": plots.REFERENCE, "width": 3},
        )
        if yours is not None:
            fig.add_scatter(
                x=steps,
                y=yours[:, unit],
                name=f"yours unit {unit + 1}",
                line={"color": plots.LEARNER, "dash": "dash"},
            )
    fig.update_layout(
        title={"text": "hidden-state trajectories h_t (first three units)"},
        xaxis_title="time step t",
        yaxis_title="h_t",
        height=380,
    )
    g.figure(fig)
