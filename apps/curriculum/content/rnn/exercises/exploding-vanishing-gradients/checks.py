import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, plots

# Eigenvalues 0.3 +- 1i: modulus 1.044, while the largest real part is 0.3.
SPIRAL = np.array([[0.3, -1.0], [1.0, 0.3]])


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(4, 9))
    T = int(rng.integers(30, 50))
    W = rng.normal(size=(n, n)) / np.sqrt(n)
    radii = np.array([0.8, 0.95, 1.0, 1.05, 1.2])
    Q, _ = np.linalg.qr(rng.normal(size=(5, 5)))
    shear = float(rng.uniform(4.0, 8.0))
    return [
        Call(
            "random",
            "gradient_norms",
            (W, radii, T),
            label=f"a random {n}x{n} Gaussian W, radii [0.8, 0.95, 1, 1.05, 1.2], T={T}",
        ),
        Call(
            "orthogonal",
            "gradient_norms",
            (Q, rng.uniform(0.5, 1.5, size=3), 20),
            label="an orthogonal 5x5 W (all eigenvalues on one circle), T=20",
        ),
        Call(
            "non_normal",
            "gradient_norms",
            (np.array([[1.0, shear], [0.0, 1.0]]) * 0.9, np.array([0.9]), 40),
            label=f"the non-symmetric W = 0.9 [[1, {shear:.2f}], [0, 1]] at radius 0.9, T=40",
        ),
        Call(
            "spiral",
            "gradient_norms",
            (SPIRAL, np.array([0.9, 1.1]), 10),
            label="W = [[0.3, -1], [1, 0.3]] (eigenvalues 0.3 +- 1i), radii [0.9, 1.1], T=10",
        ),
        Call("zero_steps", "gradient_norms", (W, np.array([0.5, 2.0]), 0), label="T=0"),
    ]


def grade(g: Grader) -> None:
    def shape_and_start() -> str | None:
        for key in ("random", "zero_steps"):
            _W, radii, T = g.args(key)
            got = np.asarray(g.output(key), dtype=float)
            want = (len(radii), T + 1)
            if got.shape != want:
                return f"gradient_norms() on {g.call(key).description} should return shape {want}, not {got.shape}"
            if not np.allclose(got[:, 0], 1.0):
                return f"column t = 0 is the norm of W^0 = I, which is 1, but you returned {np.round(got[:, 0], 6)}"
        return None

    g.custom("one row per radius, columns t = 0..T", shape_and_start, points=2)
    g.check_close("random W on both sides of radius 1", "random", points=3)
    g.check_close("orthogonal W decays or grows exactly like rho^t", "orthogonal", points=1)
    g.check_close("a W with complex eigenvalues", "spiral", points=1)
    g.check_close("transient growth of a non-symmetric W", "non_normal", points=2)

    def explode_vs_vanish() -> str | None:
        got = g.array("random")
        if not (got[0, -1] < got[0, 0] and got[-1, -1] > got[-1, 0]):
            return (
                f"with radius 0.8 the norm should vanish and with radius 1.2 it should explode over T steps, "
                f"but your last column is {np.round(got[:, -1], 6)}"
            )
        return None

    g.custom("radius below one vanishes, above one explodes", explode_vs_vanish, points=1)


# --- known mistakes ------------------------------------------------------------------------
def _norms(W, radii, T, scale, norm, first=0, count=None):
    """Norms of (c_k W)^t for t = first .. first + count - 1, c_k = radii[k] / scale(W)."""
    W, radii = np.asarray(W, dtype=float), np.asarray(radii, dtype=float)
    count = T + 1 if count is None else count
    out = np.empty((len(radii), count))
    for k, target in enumerate(radii):
        W_k = (target / scale(W)) * W
        M = np.linalg.matrix_power(W_k, first)
        for t in range(count):
            out[k, t] = norm(M)
            M = W_k @ M
    return out


def _radius(W):
    return np.abs(np.linalg.eigvals(W)).max()


def _spectral(M):
    return np.linalg.norm(M, 2)


def _drops_t0(W, radii, T):
    return _norms(W, radii, T, _radius, _spectral, first=1, count=T)


def _t_columns(W, radii, T):
    return _norms(W, radii, T, _radius, _spectral, count=T)


def _norm_scaling(W, radii, T):
    return _norms(W, radii, T, _spectral, _spectral)


def _real_part(W, radii, T):
    return _norms(W, radii, T, lambda W: np.linalg.eigvals(W).real.max(), _spectral)


def _undivided(W, radii, T):
    return _norms(W, radii, T, lambda W: 1.0, _spectral)


def _frobenius(W, radii, T):
    return _norms(W, radii, T, _radius, np.linalg.norm)


def _rho_power(W, radii, T):
    return np.asarray(radii, dtype=float)[:, None] ** np.arange(T + 1)[None, :]


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "drops-t0",
            diagnosis=(
                "Your columns are t = 1..T: you multiply before recording, so the identity W^0 "
                "at t = 0 is missing and there are only T columns."
            ),
            fix="Record the norm of M before multiplying, for t in range(T + 1).",
            wrong=_drops_t0,
        ),
        Mistake(
            "t-columns",
            diagnosis="Your columns are t = 0..T-1: the last power W_k^T is missing.",
            fix="There are T + 1 entries per row, t = 0, ..., T: loop over range(T + 1).",
            wrong=_t_columns,
        ),
        Mistake(
            "rho-power",
            diagnosis=(
                "You return rho_k^t instead of the norm of the matrix power: that is right only "
                "for a normal W (an orthogonal one, say); a non-normal W grows for a while first."
            ),
            fix="Multiply the matrices and take np.linalg.norm(M, 2) of each power.",
            wrong=_rho_power,
        ),
        Mistake(
            "scaled-by-norm",
            diagnosis=(
                "You rescale W by radii[k] divided by its spectral norm (largest singular value); "
                "the target is the spectral radius, the largest |eigenvalue|."
            ),
            fix="Divide by np.abs(np.linalg.eigvals(W)).max().",
            wrong=_norm_scaling,
        ),
        Mistake(
            "radius-from-real-part",
            diagnosis=(
                "Your spectral radius is the largest real part of the eigenvalues; complex or "
                "negative eigenvalues count by their modulus."
            ),
            fix="rho = np.abs(np.linalg.eigvals(W)).max().",
            wrong=_real_part,
        ),
        Mistake(
            "not-divided-by-radius",
            diagnosis=(
                "You scale W by radii[k] without dividing by rho(W) first, so W_k has spectral "
                "radius radii[k] * rho(W)."
            ),
            fix="W_k = (radii[k] / rho(W)) * W.",
            wrong=_undivided,
        ),
        Mistake(
            "frobenius-norm",
            diagnosis=(
                "You record the Frobenius norm np.linalg.norm(M), which is sqrt(n) for the "
                "identity; the checks want the spectral norm, the largest singular value."
            ),
            fix="np.linalg.norm(M, 2).",
            wrong=_frobenius,
        ),
    ]


def figures(g: Grader) -> None:
    ref = g.expected("random")
    yours = g.try_array("random")
    radii = g.arg("random", 1)
    steps = np.arange(ref.shape[1])
    palette = ["#1e3a8a", "#2563eb", "#6b7280", "#ea580c", "#b91c1c"]
    fig = PlainFigure()
    for k, rho in enumerate(radii):
        fig.add_scatter(
            x=steps,
            y=ref[k],
            name=f"reference ρ = {rho:g}",
            line={"color": palette[k], "width": 3},
            opacity=0.45,
        )
        if yours is not None:
            fig.add_scatter(
                x=steps,
                y=np.clip(yours[k], 1e-300, None),
                name=f"yours ρ = {rho:g}",
                line={"color": palette[k], "dash": "dash"},
            )
    fig.update_yaxes(type="log")
    fig.update_layout(
        title={"text": "‖∂h_t/∂h_0‖ = ‖W^t‖ by time step: vanishing below ρ = 1, exploding above"},
        xaxis_title="time step t",
        yaxis_title="spectral norm (log scale)",
        height=420,
    )
    g.figure(fig)
    nn = g.expected("non_normal")[0]
    mine = g.try_array("non_normal")
    g.figure(
        plots.compare_lines(
            np.arange(nn.shape[0]),
            None if mine is None else mine[0],
            nn,
            title="transient growth: a non-normal W with spectral radius 0.9",
            x_label="time step t",
            y_label="‖W^t‖₂",
            log_y=True,
        )
    )
