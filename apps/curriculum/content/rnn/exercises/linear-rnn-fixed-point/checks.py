import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, plots


def _rotation(rng, radius):
    theta = rng.uniform(0.4, 2.5)
    c, s = np.cos(theta), np.sin(theta)
    Q, _ = np.linalg.qr(rng.normal(size=(2, 2)))
    return radius * Q @ np.array([[c, -s], [s, c]]) @ Q.T


def _with_spectrum(rng, eigenvalues):
    n = len(eigenvalues)
    V = rng.normal(size=(n, n)) + 2 * np.eye(n)
    return V @ np.diag(eigenvalues) @ np.linalg.inv(V)


# Eigenvalues 0.3 +- 0.4i (largest real part, modulus 0.5) and -0.9 (largest modulus), in a
# fixed non-orthogonal basis: the largest real part, its modulus and the spectral radius differ.
_BASIS = np.array([[1.0, 0.5, 0.0], [0.0, 1.0, 0.5], [0.5, 0.0, 1.0]])
MIXED = (
    _BASIS @ np.array([[0.3, -0.4, 0.0], [0.4, 0.3, 0.0], [0.0, 0.0, -0.9]]) @ np.linalg.inv(_BASIS)
)


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(3, 6))
    A = rng.normal(size=(n, n))
    stable = A * rng.uniform(0.5, 0.9) / np.abs(np.linalg.eigvals(A)).max()
    unstable = A * rng.uniform(1.2, 1.6) / np.abs(np.linalg.eigvals(A)).max()
    negative = _with_spectrum(
        rng, [-rng.uniform(0.8, 0.95), rng.uniform(0.1, 0.4), rng.uniform(0.1, 0.4)]
    )
    off = rng.uniform(2.0, 3.0)
    non_normal = np.array([[0.5, off], [0.0, rng.uniform(0.6, 0.8)]])
    return [
        Call(
            "spiral",
            "linear_rnn_fixed_point",
            (_rotation(rng, rng.uniform(0.6, 0.9)), rng.normal(size=2)),
            label="a 2x2 rotation-like W with complex eigenvalues inside the unit circle",
        ),
        Call(
            "stable",
            "linear_rnn_fixed_point",
            (stable, rng.normal(size=n)),
            label=f"a random stable {n}x{n} W",
        ),
        Call(
            "unstable",
            "linear_rnn_fixed_point",
            (unstable, rng.normal(size=n)),
            label=f"a random unstable {n}x{n} W",
        ),
        Call(
            "negative",
            "linear_rnn_fixed_point",
            (negative, rng.normal(size=3)),
            label="a 3x3 W whose largest-modulus eigenvalue is negative",
        ),
        Call(
            "non_normal",
            "linear_rnn_fixed_point",
            (non_normal, rng.normal(size=2)),
            label=f"the non-symmetric W = [[0.5, {off:.2f}], [0, {non_normal[1, 1]:.2f}]]",
        ),
        Call(
            "mixed",
            "linear_rnn_fixed_point",
            (MIXED, np.array([1.0, -2.0, 0.5])),
            label="a 3x3 W with eigenvalues 0.3 +- 0.4i and -0.9",
        ),
        Call(
            "boundary",
            "linear_rnn_fixed_point",
            (np.array([[-1.0]]), np.array([4.0])),
            label="the 1x1 system h_t = -h_(t-1) + 4, exactly on the boundary rho = 1",
        ),
        Call(
            "scalar",
            "linear_rnn_fixed_point",
            (np.array([[-0.5]]), np.array([3.0])),
            label="the 1x1 system h_t = -0.5 h_(t-1) + 3",
        ),
    ]


KEYS = ("spiral", "stable", "unstable", "negative", "non_normal", "mixed", "boundary", "scalar")


def grade(g: Grader) -> None:
    def fixed_point() -> str | None:
        for key in KEYS:
            W, b = g.args(key)
            h = g.array(key, 0, shape=b.shape)
            residual = np.abs(W @ h + b - h).max()
            # (I - W) h* = b solved in float32 leaves a residual of about 6e-8 times its terms.
            scale = 1 + np.abs(W).sum(axis=1).max() * np.abs(h).max() + np.abs(b).max()
            if not np.isfinite(residual) or residual > 1e-5 * scale:
                want = g.expected(key, 0)
                return (
                    f"on {g.call(key).description}, h_star = {np.round(h, 6)} is not fixed: "
                    f"W h_star + b - h_star is off by {residual:.6g}; the fixed point is {np.round(want, 6)}"
                )
        return None

    g.custom("h_star is a fixed point", fixed_point, points=3)
    # The eigenvalues of a non-normal W are conditioned by its eigenvector basis (condition
    # numbers up to about 100 here), so a correct float32 computation is off by ~1e-5.
    rtol = 1e-4
    g.check_close_all(
        "spectral radius of a random W", ("stable", "unstable"), 1, rtol=rtol, points=2
    )
    g.check_close_all(
        "spectral radius with complex and negative eigenvalues",
        ("spiral", "negative", "mixed", "boundary", "scalar"),
        1,
        rtol=rtol,
        points=2,
    )
    g.check_close_all(
        "spectral radius of a non-symmetric W", ("non_normal",), 1, rtol=rtol, points=1
    )

    def classified() -> str | None:
        for key in KEYS:
            got = g.output(key, 2)
            want = g.expected(key, 2)
            if not isinstance(got, bool | np.bool_):
                return f"the third item should be a bool (True or False), but it is {type(got).__name__}"
            if bool(got) != bool(want):
                rho = g.expected(key, 1)
                return (
                    f"on {g.call(key).description} the spectral radius is {rho:.6g}, so the fixed point is "
                    f"{'stable' if want else 'unstable'}, but you returned stable={bool(got)}"
                )
        return None

    g.custom("stability is classified", classified, points=2)


# --- known mistakes ------------------------------------------------------------------------
def _solve(W, b):
    return np.linalg.solve(np.eye(len(b)) - np.asarray(W, dtype=float), np.asarray(b, dtype=float))


def _radius(W):
    return float(np.abs(np.linalg.eigvals(np.asarray(W, dtype=float))).max())


def _with_radius(W, b, rho):
    return _solve(W, b), rho, bool(rho < 1)


def _real_part(W, b):
    return _with_radius(W, b, float(np.linalg.eigvals(np.asarray(W, dtype=float)).real.max()))


def _abs_of_max(W, b):
    return _with_radius(W, b, float(np.abs(np.max(np.linalg.eigvals(np.asarray(W, dtype=float))))))


def _spectral_norm(W, b):
    return _with_radius(W, b, float(np.linalg.norm(np.asarray(W, dtype=float), 2)))


def _iterated(W, b):
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    h = np.zeros_like(b)
    with np.errstate(all="ignore"):
        for _ in range(2000):
            h = W @ h + b
    rho = _radius(W)
    return h, rho, bool(rho < 1)


def _plus_w(W, b):
    rho = _radius(W)
    return np.linalg.solve(np.eye(len(b)) + np.asarray(W, dtype=float), b), rho, bool(rho < 1)


def _transposed_system(W, b):
    rho = _radius(W)
    return np.linalg.solve((np.eye(len(b)) - np.asarray(W, dtype=float)).T, b), rho, bool(rho < 1)


def _stable_from_h(W, b):
    h = _solve(W, b)
    return h, _radius(W), bool(np.linalg.norm(h) < 1)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "largest-real-part",
            diagnosis=(
                "Your spectral radius is the largest real part of the eigenvalues. A complex "
                "pair a +- bi has modulus sqrt(a^2 + b^2), larger than a, and a negative "
                "eigenvalue counts by its size."
            ),
            fix="Take the largest modulus: np.abs(np.linalg.eigvals(W)).max().",
            wrong=_real_part,
        ),
        Mistake(
            "modulus-of-largest-real-part",
            diagnosis=(
                "You take np.max of the complex eigenvalues and then its modulus: np.max orders "
                "complex numbers by their real part, so it picks the eigenvalue furthest right, "
                "not the one furthest from 0 (here -0.9 beats 0.3 +- 0.4i)."
            ),
            fix="Take the modulus first, then the maximum: np.abs(np.linalg.eigvals(W)).max().",
            wrong=_abs_of_max,
        ),
        Mistake(
            "spectral-norm",
            diagnosis=(
                "You return the largest singular value, np.linalg.norm(W, 2): for a non-symmetric "
                "W it is larger than the largest eigenvalue modulus, which is what decides stability."
            ),
            fix="Use the eigenvalues: np.abs(np.linalg.eigvals(W)).max().",
            wrong=_spectral_norm,
        ),
        Mistake(
            "iterated-to-fixed-point",
            diagnosis=(
                "You find h_star by running h <- W h + b many times: that converges only when the "
                "fixed point is stable, and runs off to infinity for an unstable W, whose fixed "
                "point still exists."
            ),
            fix="Solve the linear system (I - W) h_star = b with np.linalg.solve.",
            wrong=_iterated,
        ),
        Mistake(
            "plus-w",
            diagnosis=(
                "You solve (I + W) h = b: moving W h_star to the left of h_star = W h_star + b "
                "gives (I - W) h_star = b."
            ),
            fix="np.linalg.solve(np.eye(n) - W, b).",
            wrong=_plus_w,
        ),
        Mistake(
            "transposed-system",
            diagnosis=(
                "You solve (I - W)^T h = b (for example b @ inv(I - W), h as a row vector): that "
                "is the fixed point of h = W^T h + b."
            ),
            fix="np.linalg.solve(np.eye(n) - W, b), with W as given.",
            wrong=_transposed_system,
        ),
        Mistake(
            "stability-from-h",
            diagnosis=(
                "You decide stability from the size of the fixed point itself; whether nearby "
                "states return to h_star depends only on W: stable exactly when rho(W) < 1."
            ),
            fix="Return bool(rho < 1).",
            wrong=_stable_from_h,
        ),
    ]


def figures(g: Grader) -> None:
    for key in ("stable", "non_normal"):
        W = g.arg(key, 0)
        eig = np.linalg.eigvals(W)
        t = np.linspace(0, 2 * np.pi, 121)
        fig = PlainFigure()
        fig.add_scatter(
            x=np.cos(t),
            y=np.sin(t),
            name="unit circle",
            line={"color": plots.NEUTRAL, "dash": "dot"},
        )
        rho = g.expected(key, 1)
        fig.add_scatter(
            x=rho * np.cos(t),
            y=rho * np.sin(t),
            name="reference spectral radius",
            line={"color": plots.REFERENCE, "width": 3},
        )
        try:
            mine = g.scalar(key, 1)
        except Exception:
            mine = None
        if mine is not None and np.isfinite(mine) and 0 < abs(mine) < 100:
            fig.add_scatter(
                x=mine * np.cos(t),
                y=mine * np.sin(t),
                name="your spectral radius",
                line={"color": plots.LEARNER, "dash": "dash"},
            )
        fig.add_scatter(
            x=eig.real,
            y=eig.imag,
            mode="markers",
            name="eigenvalues of W",
            marker={"color": "#10b981", "size": 10},
        )
        fig.update_yaxes(scaleanchor="x", scaleratio=1)
        fig.update_layout(
            title={"text": f"eigenvalues of W in the complex plane ({g.call(key).description})"},
            xaxis_title="Re λ",
            yaxis_title="Im λ",
            height=420,
        )
        g.figure(fig)
