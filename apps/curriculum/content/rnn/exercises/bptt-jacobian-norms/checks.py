import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots

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


def grade(g: Grader) -> None:
    def diagnose(key):
        def run() -> str | None:
            W_h, hs = g.args(key)
            got = g.array(key)
            want = g.expected(key)
            if np.allclose(got, want, rtol=1e-6, atol=1e-300):
                return None
            t = int(np.argmax(np.abs(np.log(np.abs(got) + 1e-300) - np.log(want + 1e-300))))
            message = (
                f"on {g.call(key).description} the norm of dh_{t + 1}/dh_0 should be {want[t]:.6g}, "
                f"but you returned {got[t]:.6g}"
            )
            plain = np.array(
                [np.linalg.norm(np.linalg.matrix_power(W_h, k + 1), 2) for k in range(len(hs))]
            )
            if np.allclose(got, plain, rtol=1e-6):
                message += (
                    "; these are the norms of W_h^t alone: multiply each step by the tanh derivative "
                    "D_t = diag(1 - h_t^2)"
                )
            else:
                M = np.eye(W_h.shape[0])
                reversed_norms = []
                for h in hs:
                    M = M @ ((1 - h**2)[:, None] * W_h)
                    reversed_norms.append(np.linalg.norm(M, 2))
                if np.allclose(got, reversed_norms, rtol=1e-6):
                    message += (
                        "; you multiplied the Jacobians in the reverse order: the newest J_t goes on the left, "
                        "M = J_t @ M"
                    )
            return message

        return run

    g.custom("small gain: vanishing gradients", diagnose(KEYS[0]), points=2)
    g.custom(
        "moderate gain",
        diagnose(KEYS[1]),
        points=2,
        hint="J_t = D_t W_h scales row i of W_h by 1 - h_t[i]^2, the tanh derivative",
    )
    g.custom(
        "large gain with saturated units",
        diagnose(KEYS[2]),
        points=2,
        hint="saturated units have 1 - h^2 near 0, which is what keeps these norms from exploding",
    )
    g.check_close(
        "a sequence of length one",
        "single",
        rtol=1e-7,
        atol=1e-12,
        points=1,
        hint="for T = 1 the answer is the norm of D_1 W_h, with D_1 = diag(1 - h_1^2) from hs[0]",
    )

    def positive() -> str | None:
        for key in KEYS:
            got = g.array(key)
            if np.any(got < 0) or not np.all(np.isfinite(got)):
                return f"norms are finite and non-negative, but on {g.call(key).description} you returned {got[:4]}..."
        return None

    g.custom("finite non-negative norms", positive, points=1)


def figures(g: Grader) -> None:
    fig = go.Figure()
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
