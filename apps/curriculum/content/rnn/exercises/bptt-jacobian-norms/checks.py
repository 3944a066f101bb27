import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, plots

GAINS = (0.7, 1.5, 4.0)


def _forward(rng, n, T, gain):
    W_h = rng.normal(scale=gain / np.sqrt(n), size=(n, n))
    W_x = rng.normal(size=(n, 2))
    h = np.zeros(n)
    hs = np.empty((T, n))
    for t in range(T):
        h = np.tanh(W_h @ h + W_x @ (0.5 * rng.normal(size=2)))
        hs[t] = h
    return W_h, hs


def cases(rng: np.random.Generator) -> list[Call]:
    n, T = int(rng.integers(5, 10)), int(rng.integers(30, 45))
    calls = []
    for gain in GAINS:
        W_h, hs = _forward(rng, n, T, gain)
        calls.append(
            Call(
                f"gain_{gain}",
                "bptt_jacobian_norms",
                (W_h, hs),
                label=f"a random {n}-unit tanh RNN with recurrent gain {gain} over T={T} steps",
            )
        )
    W_h, hs = _forward(rng, 4, 1, 1.0)
    calls.append(Call("single", "bptt_jacobian_norms", (W_h, hs), label="a sequence of length T=1"))
    return calls


KEYS = tuple(f"gain_{gain}" for gain in GAINS)


# The norms span many orders of magnitude and each is compared relatively; a product of up to
# 45 Jacobians in float32 accumulates about 45 roundings of 6e-8 in every entry.
RTOL, ATOL = 1e-4, 1e-300


def grade(g: Grader) -> None:
    g.check_close("small gain: vanishing gradients", KEYS[0], rtol=RTOL, atol=ATOL, points=2)
    g.check_close("moderate gain", KEYS[1], rtol=RTOL, atol=ATOL, points=2)
    g.check_close("large gain with saturated units", KEYS[2], rtol=RTOL, atol=ATOL, points=2)
    g.check_close("a sequence of length one", "single", rtol=RTOL, atol=ATOL, points=1)

    def positive() -> str | None:
        for key in KEYS:
            got = g.array(key)
            if np.any(got < 0) or not np.all(np.isfinite(got)):
                return f"norms are finite and non-negative, but on {g.call(key).description} you returned {got[:4]}..."
        return None

    g.custom("finite non-negative norms", positive, points=1)


# --- known mistakes ------------------------------------------------------------------------
def _products(W_h, hs, jacobian, combine, norm=lambda M: np.linalg.norm(M, 2)):
    W_h, hs = np.asarray(W_h, dtype=float), np.asarray(hs, dtype=float)
    M, prev, out = np.eye(W_h.shape[0]), np.zeros(W_h.shape[0]), []
    for h in hs:
        M = combine(jacobian(W_h, h, prev), M)
        out.append(norm(M))
        prev = h
    return np.array(out)


def _rows(W_h, h, prev):
    return (1 - h**2)[:, None] * W_h


def _newest_left(J, M):
    return J @ M


def _no_derivative(W_h, hs):
    return _products(W_h, hs, lambda W_h, h, prev: W_h, _newest_left)


def _reversed(W_h, hs):
    return _products(W_h, hs, _rows, lambda J, M: M @ J)


def _columns(W_h, hs):
    return _products(W_h, hs, lambda W_h, h, prev: W_h * (1 - h**2), _newest_left)


def _previous_state(W_h, hs):
    return _products(W_h, hs, lambda W_h, h, prev: (1 - prev**2)[:, None] * W_h, _newest_left)


def _frobenius(W_h, hs):
    return _products(W_h, hs, _rows, _newest_left, norm=np.linalg.norm)


def _single_step(W_h, hs):
    return _products(W_h, hs, _rows, lambda J, M: J)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "no-tanh-derivative",
            diagnosis=(
                "Your norms are those of W_h^t alone: each step's Jacobian is D_t W_h, with the "
                "tanh derivative D_t = diag(1 - h_t^2)."
            ),
            fix="Multiply by J_t = (1 - h**2)[:, None] * W_h at each step.",
            wrong=_no_derivative,
        ),
        Mistake(
            "reversed-product",
            diagnosis=(
                "You multiply the Jacobians in the reverse order, M = M @ J_t: the chain rule "
                "puts the newest Jacobian on the left, dh_t/dh_0 = J_t ... J_1."
            ),
            fix="M = J_t @ M.",
            wrong=_reversed,
        ),
        Mistake(
            "columns-scaled",
            diagnosis=(
                "You scale the columns of W_h by 1 - h^2 (W_h * d), which is W_h D_t; the "
                "Jacobian D_t W_h scales its rows (row i by the derivative of unit i)."
            ),
            fix="Use d[:, None] * W_h.",
            wrong=_columns,
        ),
        Mistake(
            "derivative-at-previous-state",
            diagnosis=(
                "You evaluate the tanh derivative at the previous state h_(t-1) (h_0 = 0 at the "
                "first step); D_t uses the step's own output, h_t = hs[t - 1]."
            ),
            fix="Use 1 - h**2 of the row of hs the step produced.",
            wrong=_previous_state,
        ),
        Mistake(
            "frobenius-norm",
            diagnosis=(
                "You record the Frobenius norm np.linalg.norm(M); the spectral norm, the largest "
                "singular value, is np.linalg.norm(M, 2)."
            ),
            fix="np.linalg.norm(M, 2).",
            wrong=_frobenius,
        ),
        Mistake(
            "single-step-jacobian",
            diagnosis=(
                "You record the norm of each step's Jacobian J_t alone instead of the running "
                "product J_t ... J_1."
            ),
            fix="Keep M = J_t @ M across the steps.",
            wrong=_single_step,
        ),
    ]


def figures(g: Grader) -> None:
    fig = PlainFigure()
    palette = ["#1e3a8a", "#6b7280", "#b91c1c"]
    for colour, gain, key in zip(palette, GAINS, KEYS, strict=True):
        ref = g.expected(key)
        steps = np.arange(1, ref.shape[0] + 1)
        fig.add_scatter(
            x=steps,
            y=np.maximum(ref, 1e-300),
            name=f"reference, gain {gain}",
            line={"color": colour, "width": 3},
            opacity=0.45,
        )
        yours = g.try_array(key)
        if yours is not None:
            fig.add_scatter(
                x=steps,
                y=np.clip(yours, 1e-300, None),
                name=f"yours, gain {gain}",
                line={"color": colour, "dash": "dash"},
            )
    fig.update_yaxes(type="log")
    fig.update_layout(
        title={"text": "‖∂h_t/∂h_0‖ by time step in a tanh RNN"},
        xaxis_title="time step t",
        yaxis_title="spectral norm (log scale)",
        height=420,
    )
    g.figure(fig)
    W_h, hs = g.args(KEYS[1])
    plain = [np.linalg.norm(np.linalg.matrix_power(W_h, k + 1), 2) for k in range(len(hs))]
    g.figure(
        plots.compare_lines(
            np.arange(1, len(hs) + 1),
            g.try_array(KEYS[1]),
            g.expected(KEYS[1]),
            title=f"gain {GAINS[1]}: with the tanh derivative (lines) vs ‖W_h^t‖ alone (grey)",
            x_label="time step t",
            y_label="spectral norm",
            log_y=True,
        ).add_scatter(
            x=np.arange(1, len(hs) + 1),
            y=plain,
            name="‖W_h^t‖ without D_t",
            line={"color": plots.NEUTRAL, "dash": "dot"},
        )
    )
