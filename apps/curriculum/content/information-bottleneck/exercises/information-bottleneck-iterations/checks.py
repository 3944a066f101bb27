import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots

BETAS = (0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0, 15.0)
UPDATE_HINT = (
    "one iteration: q(t) = sum_x p(x) q(t|x); q(y|t) = sum_x p(x) q(t|x) p(y|x) / q(t); "
    "then q(t|x) ∝ q(t) exp(-beta KL(p(y|x) || q(y|t))), normalised over t"
)


def _problem(rng: np.random.Generator, nx: int, ny: int) -> np.ndarray:
    logits = rng.normal(scale=1.5, size=(nx, ny))
    pxy = np.exp(logits)
    return pxy / pxy.sum()


def _encoder(rng: np.random.Generator, nx: int, nt: int) -> np.ndarray:
    return rng.dirichlet(np.ones(nt) * 2.0, size=nx)


def cases(rng: np.random.Generator) -> list[Call]:
    nx, ny, nt = int(rng.integers(4, 8)), int(rng.integers(2, 5)), int(rng.integers(2, 4))
    pxy = _problem(rng, nx, ny)
    q0 = _encoder(rng, nx, nt)
    beta = float(rng.uniform(2.0, 6.0))
    calls = [
        Call(
            "one",
            "information_bottleneck",
            (pxy, beta, q0, 1),
            label=f"one iteration at beta = {beta:.2f}",
        ),
        Call(
            "many",
            "information_bottleneck",
            (pxy, beta, q0, 30),
            label=f"30 iterations at beta = {beta:.2f}",
        ),
        Call("zero_beta", "information_bottleneck", (pxy, 0.0, q0, 1), label="beta = 0"),
        Call("no_iter", "information_bottleneck", (pxy, beta, q0, 0), label="n_iter = 0"),
        Call(
            "big_beta",
            "information_bottleneck",
            (pxy, 50.0, q0, 20),
            label="beta = 50, 20 iterations",
        ),
    ]
    # A fixed problem swept over beta, for the information plane.
    fixed = np.random.default_rng(12345)
    sweep_pxy, sweep_q0 = _problem(fixed, 8, 3), _encoder(fixed, 8, 4)
    for i, b in enumerate(BETAS):
        calls.append(
            Call(
                f"sweep{i}",
                "information_bottleneck",
                (sweep_pxy, b, sweep_q0, 60),
                label=f"the information-plane problem at beta = {b}",
            )
        )
    return calls


def _independent(g: Grader) -> str | None:
    enc = g.array("zero_beta", 0)
    spread = np.abs(enc - enc.mean(axis=0, keepdims=True)).max()
    if spread > 1e-9:
        return (
            f"at beta = 0 one iteration gives q(t|x) = q(t) for every x (rows identical), "
            f"but your rows differ by up to {spread:.3g}"
        )
    i_xt = g.scalar("zero_beta", 1)
    if abs(i_xt) > 1e-9:
        return f"at beta = 0 one iteration makes T independent of X, so I(X;T) = 0, but you returned {i_xt:.6g}"
    return None


def _dpi(g: Grader) -> str | None:
    pxy = np.asarray(g.arg("many"), dtype=float)
    outer = pxy.sum(1, keepdims=True) * pxy.sum(0, keepdims=True)
    i_xy = float(np.sum(pxy * np.log(pxy / outer)))
    i_xt, i_ty = g.scalar("many", 1), g.scalar("many", 2)
    if i_ty > min(i_xt, i_xy) + 1e-9:
        return (
            f"after 30 iterations you report I(T;Y) = {i_ty:.5f}, but it cannot exceed I(X;T) = {i_xt:.5f} "
            f"or I(X;Y) = {i_xy:.5f} (data processing inequality, Y -> X -> T)"
        )
    return None


def grade(g: Grader) -> None:
    g.check_close(
        "one iteration matches the reference",
        "one",
        0,
        rtol=1e-7,
        atol=1e-10,
        points=2,
        hint=UPDATE_HINT + "; the exponent carries a minus sign and the prior factor q(t)",
    )
    g.check_sums_to_one("encoder rows sum to one", "many", 0, points=1)
    g.check_close(
        "30 iterations match the reference",
        "many",
        0,
        rtol=1e-6,
        atol=1e-9,
        points=1.5,
        hint=UPDATE_HINT,
    )
    g.check_close(
        "I(X;T) of the final encoder",
        "many",
        1,
        rtol=1e-6,
        atol=1e-9,
        points=1,
        hint="I(X;T) is the mutual information of the joint p(x) q(t|x), in nats",
    )
    g.check_close(
        "I(T;Y) of the final encoder",
        "many",
        2,
        rtol=1e-6,
        atol=1e-9,
        points=1,
        hint="I(T;Y) is the mutual information of the joint q(t) q(y|t), recomputed from the final encoder",
    )
    g.custom(
        "beta = 0 forgets X",
        lambda: _independent(g),
        points=1,
        hint="with beta = 0 the new encoder is just the prior q(t), the same row for every x",
    )
    g.check_close(
        "n_iter = 0 returns the initial encoder", "no_iter", 0, rtol=1e-12, atol=1e-14, points=0.5
    )
    g.check_close(
        "stable at beta = 50",
        "big_beta",
        0,
        rtol=1e-6,
        atol=1e-9,
        points=1,
        hint="normalise in the log domain: subtract the row maximum of log q(t) - beta KL before exponentiating",
    )
    g.custom("data processing inequality", lambda: _dpi(g), points=1)


def figures(g: Grader) -> None:
    ref = np.array(
        [[g.expected(f"sweep{i}", 1), g.expected(f"sweep{i}", 2)] for i in range(len(BETAS))]
    )
    fig = go.Figure()
    fig.add_scatter(
        x=ref[:, 0],
        y=ref[:, 1],
        mode="lines+markers",
        name="reference",
        line={"color": plots.REFERENCE, "width": 3},
        text=[f"β = {b}" for b in BETAS],
    )
    yours = []
    for i in range(len(BETAS)):
        a, b = g.try_array(f"sweep{i}", 1, shape=()), g.try_array(f"sweep{i}", 2, shape=())
        if a is None or b is None:
            yours = []
            break
        yours.append((float(a), float(b)))
    if yours:
        ys = np.array(yours)
        fig.add_scatter(
            x=ys[:, 0],
            y=ys[:, 1],
            mode="markers",
            name="yours",
            marker={"color": plots.LEARNER, "size": 9},
            text=[f"β = {b}" for b in BETAS],
        )
    fig.update_layout(
        title={"text": "The information plane: one point per β (0.5 to 15), 60 iterations each"},
        xaxis_title="I(X;T) (nats)",
        yaxis_title="I(T;Y) (nats)",
        height=420,
    )
    g.figure(fig)
    g.figure(
        plots.heatmap_pair(
            g.try_array("many", 0),
            g.expected("many", 0),
            title="The encoder q(t|x) after 30 iterations (rows x, columns t)",
            colorscale="Blues",
        )
    )
