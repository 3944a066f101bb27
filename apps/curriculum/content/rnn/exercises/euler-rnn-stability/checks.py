import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, Mistake, changes_argument, plots

# The eigenvalues of a non-symmetric matrix move by up to (eigenvector condition number) times
# a perturbation of the matrix: about 10 to 100 here, so a correct float32 computation is off
# by ~1e-5 of the largest |mu|. dt_max is a ratio of those eigenvalues and inherits it.
EIG_RTOL = 1e-4
# Next to the fixed point with dt above dt_max the perturbation grows by 1.2 per step,
# about 100 times over the run, and so does any rounding of the start.
GROWING_RTOL = 1e-4
GROWTH_STEPS = 25


def _network(h_star, M):
    """W_h and b with fixed point h_star and D W_h = M, so that A = -I + M."""
    h_star = np.asarray(h_star, dtype=float)
    W_h = np.asarray(M, dtype=float) / (1 - h_star**2)[:, None]
    return W_h, np.arctanh(h_star) - W_h @ h_star, h_star


def _with_eigenvalues(basis, blocks):
    """basis @ blocks @ inv(basis): a real matrix with the eigenvalues of ``blocks``."""
    return basis @ blocks @ np.linalg.inv(basis)


# One slow mode (mu = -0.1) and one fast mode (mu = -4): the fast one limits the step.
STIFF = _network(
    [0.5, -0.3], _with_eigenvalues(np.array([[1.0, 0.4], [-0.3, 1.0]]), np.diag([0.9, -3.0]))
)
# A spiral, mu = -0.2 +- 2i, and a real mode mu = -1.5.
SPIRAL = _network(
    [0.2, -0.6, 0.4],
    _with_eigenvalues(
        np.array([[1.0, 0.3, 0.0], [0.0, 1.0, 0.5], [0.4, 0.0, 1.0]]),
        np.array([[0.8, -2.0, 0.0], [2.0, 0.8, 0.0], [0.0, 0.0, -0.5]]),
    ),
)
# A saddle: mu = 0.3 (unstable) and mu = -2.
SADDLE = _network(
    [0.1, 0.7], _with_eigenvalues(np.array([[1.0, -0.5], [0.2, 1.0]]), np.diag([1.3, -1.0]))
)
ORIGIN2 = np.zeros(2)


def _random_stable(rng, n):
    h_star = rng.uniform(-0.8, 0.8, size=n)
    G = rng.normal(size=(n, n)) / np.sqrt(n)
    M = (1 - h_star**2)[:, None] * G
    M *= rng.uniform(0.5, 0.9) / np.abs(np.linalg.eigvals(M)).max()
    return _network(h_star, M)


def _dt_max(W_h, h_star, tau):
    A = -np.eye(len(h_star)) + (1 - h_star**2)[:, None] * W_h
    mu = np.linalg.eigvals(A)
    return float(tau * np.min(-2 * mu.real / np.abs(mu) ** 2))


def _fast_mode(W_h, h_star):
    """The eigenvector of A for its most negative eigenvalue (real here), unit length."""
    A = -np.eye(len(h_star)) + (1 - h_star**2)[:, None] * W_h
    values, vectors = np.linalg.eig(A)
    v = vectors[:, int(np.argmin(values.real))].real
    return v / np.linalg.norm(v)


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(3, 6))
    steps = int(rng.integers(25, 41))
    tau = float(rng.uniform(0.5, 3.0))
    W_run = 1.5 * rng.normal(size=(n, n)) / np.sqrt(n)
    W_sq = rng.normal(size=(4, 4))
    W_away = rng.normal(size=(3, 3))
    W_rand, b_rand, h_rand = _random_stable(rng, n)
    tau_stiff = float(rng.uniform(1.5, 3.0))
    W_st, b_st, h_st = STIFF
    dt_st = _dt_max(W_st, h_st, tau_stiff)
    # Start next to h* along the slow and the fast mode.
    h_near = h_st + 1e-3 * np.array([0.6, 0.8]) + 1e-3 * _fast_mode(W_st, h_st)
    b_sat = rng.normal(size=3)
    sim, stab = "euler_rnn", "euler_stability"
    return [
        Call(
            "run",
            sim,
            (
                W_run,
                rng.normal(scale=0.5, size=n),
                rng.normal(scale=0.5, size=n),
                float(rng.uniform(0.1, 0.5)) * tau,
                tau,
                steps,
            ),
            label=f"a random {n}-unit network, {steps} steps with alpha = dt / tau below 0.5",
        ),
        Call(
            "elman",
            sim,
            (W_away, rng.normal(size=3), rng.normal(size=3), 1.7, 1.7, 8),
            label="dt = tau (alpha = 1, the Elman RNN), 8 steps",
        ),
        Call(
            "none",
            sim,
            (W_sq, rng.normal(size=4), rng.normal(size=4), 0.3, 1.2, 0),
            label="steps = 0",
        ),
        Call(
            "square",
            sim,
            (W_sq, rng.normal(size=4), rng.normal(size=4), 0.3, 1.2, 3),
            label="4 units and 3 steps (an output of shape (4, 4))",
        ),
        Call(
            "unit",
            sim,
            (np.array([[0.5]]), np.array([0.1]), np.array([1.0]), 0.4, 2.0, 20),
            label="one unit, w = 0.5, b = 0.1, h0 = 1, dt = 0.4, tau = 2",
        ),
        Call(
            "runaway",
            sim,
            (W_away, rng.normal(size=3), rng.normal(size=3), 2.5, 1.0, 25),
            label="alpha = 2.5: the state runs away",
        ),
        Call(
            "below",
            sim,
            (W_st, b_st, h_near, 0.9 * dt_st, tau_stiff, GROWTH_STEPS),
            label="next to a fixed point with dt = 0.9 dt_max",
        ),
        Call(
            "above",
            sim,
            (W_st, b_st, h_near, 1.1 * dt_st, tau_stiff, GROWTH_STEPS),
            label="next to a fixed point with dt = 1.1 dt_max",
        ),
        Call(
            "random",
            stab,
            (W_rand, b_rand, h_rand, float(rng.uniform(0.2, 1.5)) * tau, tau),
            label=f"a stable fixed point of a random {n}-unit network",
        ),
        Call(
            "lesson",
            stab,
            (np.array([[0.5]]), np.zeros(1), np.zeros(1), 3.0, 1.0),
            label="the lesson's unit, w = 0.5 at h* = 0, dt = 3, tau = 1",
        ),
        Call(
            "stiff",
            stab,
            (W_st, b_st, h_st, 0.4 * tau_stiff, tau_stiff),
            label=f"a slow mode (mu = -0.1) and a fast one (mu = -4), tau = {tau_stiff:.3f}",
        ),
        Call(
            "spiral",
            stab,
            (*SPIRAL, 0.05, 0.5),
            label="a spiral (mu = -0.2 +- 2i) and mu = -1.5, dt = 0.05, tau = 0.5",
        ),
        Call(
            "saddle",
            stab,
            (*SADDLE, 0.5, 1.5),
            label="a saddle (mu = 0.3 and -2), tau = 1.5",
        ),
        Call(
            "centre",
            stab,
            (np.array([[1.0, -1.0], [1.0, 1.0]]), ORIGIN2, ORIGIN2, 0.1, 2.0),
            label="a centre, W_h = [[1, -1], [1, 1]] at h* = 0 (mu = +-i)",
        ),
        Call(
            "zero",
            stab,
            (np.array([[1.0, 0.3], [0.0, 0.5]]), ORIGIN2, ORIGIN2, 0.5, 2.0),
            label="W_h = [[1, 0.3], [0, 0.5]] at h* = 0 (mu = 0 and -0.5)",
        ),
        Call(
            "saturated",
            stab,
            (np.zeros((3, 3)), b_sat, np.tanh(b_sat), 0.7, 0.8),
            label="W_h = 0 (3 units), tau = 0.8",
        ),
    ]


SIMULATIONS = ("run", "elman", "none", "square", "unit", "runaway", "below", "above")
STABILITY = ("random", "lesson", "stiff", "spiral", "saddle", "centre", "zero", "saturated")


def _eigenvalues(g: Grader, keys: tuple[str, ...], part: int, name: str) -> str | None:
    for key in keys:
        call = g.call(key)
        want = np.asarray(g.expected(key, part))
        got = g.array(key, part, what=f"{name} on {call.description}").astype(complex)
        error = np.abs(got - want)
        atol = EIG_RTOL * max(float(np.abs(want).max()), 1e-3)
        if not np.all(error <= atol):
            if not np.all(np.isfinite(got)):
                return f"{name} on {call.description} holds NaN or infinity; it should be {_complex(want)}"
            if np.allclose(np.sort_complex(got), want, rtol=0, atol=atol):
                return (
                    f"{name} on {call.description} are {_complex(got)}: the right values, "
                    f"but not in np.sort_complex order, {_complex(want)}"
                )
            return (
                f"{name} on {call.description} should be {_complex(want)}, but are {_complex(got)}"
            )
    return None


def _complex(values: np.ndarray) -> str:
    parts = []
    for z in values:
        if abs(z.imag) <= 1e-12 * max(abs(z), 1.0):
            parts.append(f"{z.real:.8g}")
        else:
            parts.append(f"{z.real:.8g}{z.imag:+.8g}i")
    return "[" + ", ".join(parts) + "]"


def _dt_max_check(g: Grader, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        call = g.call(key)
        want = float(g.expected(key, 2))
        got = g.scalar(key, 2)
        if not np.isclose(got, want, rtol=EIG_RTOL, atol=1e-8):
            mu = np.asarray(g.expected(key, 0))
            return (
                f"dt_max on {call.description} should be {want:.8g}, but is {got:.8g} "
                f"(the eigenvalues of A are {_complex(mu)})"
            )
    return None


def _float(g: Grader) -> str | None:
    for key in STABILITY:
        value = g.output(key, 2)
        if np.ndim(value) != 0:
            raise CheckFailed(
                f"dt_max on {g.call(key).description} should be a single float, "
                f"but has shape {np.shape(value)}"
            )
    return None


def grade(g: Grader) -> None:
    g.check_close("a random network, small steps", "run", points=1.5)
    g.check_close("dt = tau is the Elman RNN", "elman", points=0.5)
    g.check_close("steps = 0 returns h0 alone", "none", points=0.5)
    g.check_close("one row per state, also when steps + 1 = n", "square", points=0.5)
    g.check_close("one unit", "unit", points=0.5)
    g.check_close("alpha > 2 runs away", "runaway", points=0.5)
    g.check_close("next to a fixed point, dt below dt_max", "below", points=0.5)
    g.check_close("next to a fixed point, dt above dt_max", "above", rtol=GROWING_RTOL, points=0.5)
    g.custom(
        "eigenvalues mu of A at a random fixed point",
        lambda: _eigenvalues(g, ("random",), 0, "mu"),
        points=1,
    )
    g.custom(
        "eigenvalues mu: one unit, slow and fast, spiral, saddle, centre, zero, W_h = 0",
        lambda: _eigenvalues(g, STABILITY[1:], 0, "mu"),
        points=1,
    )
    g.custom(
        "eigenvalues nu of the leaky RNN's Jacobian",
        lambda: _eigenvalues(g, STABILITY, 1, "nu"),
        points=1,
    )
    g.custom(
        "dt_max at stable fixed points",
        lambda: _dt_max_check(g, ("random", "lesson", "saturated")),
        points=1,
    )
    g.custom(
        "dt_max is set by the fastest or most oscillating mode",
        lambda: _dt_max_check(g, ("stiff", "spiral")),
        points=1,
    )
    g.custom(
        "dt_max = 0 when no step is stable (saddle, centre, mu = 0)",
        lambda: _dt_max_check(g, ("saddle", "centre", "zero")),
        points=0.5,
    )
    g.custom("dt_max is a single float", lambda: _float(g), points=0.5)


# --- known mistakes ------------------------------------------------------------------------
def _simulate(
    W_h, b, h0, dt, tau, steps, *, alpha=None, leak_swapped=False, transposed=False, first=0
):
    W_h = np.asarray(W_h, dtype=float)
    a = dt / tau if alpha is None else alpha
    h = np.array(h0, dtype=float)
    states = [h]
    for _ in range(int(steps)):
        drive = np.tanh((h @ W_h if transposed else W_h @ h) + b)
        h = a * h + (1 - a) * drive if leak_swapped else (1 - a) * h + a * drive
        states.append(h)
    return np.array(states)[first:].reshape(-1, len(h))


def _sim_without_tau(W_h, b, h0, dt, tau, steps):
    return _simulate(W_h, b, h0, dt, tau, steps, alpha=dt)


def _sim_leak_swapped(W_h, b, h0, dt, tau, steps):
    return _simulate(W_h, b, h0, dt, tau, steps, leak_swapped=True)


def _sim_transposed(W_h, b, h0, dt, tau, steps):
    return _simulate(W_h, b, h0, dt, tau, steps, transposed=True)


def _sim_no_h0(W_h, b, h0, dt, tau, steps):
    return _simulate(W_h, b, h0, dt, tau, steps, first=1)


def _stability(
    W_h, b, h_star, dt, tau, *, jacobian=None, multiplier=None, rate=None, clamp=True, step_tau=True
):
    W_h = np.asarray(W_h, dtype=float)
    h_star = np.asarray(h_star, dtype=float)
    n = len(h_star)
    M = (1 - h_star**2)[:, None] * W_h if jacobian is None else jacobian(W_h, b, h_star)
    mu = np.sort_complex(np.linalg.eigvals(-np.eye(n) + M))
    alpha = dt / tau if step_tau else dt
    nu = np.sort_complex(1 + alpha * mu if multiplier is None else multiplier(alpha, mu))
    with np.errstate(all="ignore"):
        ratios = -2 * mu.real / np.abs(mu) ** 2 if rate is None else rate(mu)
        limit = float(np.min(ratios))
    if clamp and np.any(mu.real >= 0):
        limit = 0.0
    return mu, nu, (tau if step_tau else 1.0) * limit


def _no_leak(W_h, b, h_star, dt, tau):
    # A taken as D W_h (the Elman Jacobian): the -I of the leak is missing.
    return _stability(
        W_h, b, h_star, dt, tau, jacobian=lambda W, b, h: (1 - h**2)[:, None] * W + np.eye(len(h))
    )


def _tanh_of_state(W_h, b, h_star, dt, tau):
    return _stability(
        W_h, b, h_star, dt, tau, jacobian=lambda W, b, h: (1 - np.tanh(h) ** 2)[:, None] * W
    )


def _without_tau(W_h, b, h_star, dt, tau):
    return _stability(W_h, b, h_star, dt, tau, step_tau=False)


def _no_tanh_derivative(W_h, b, h_star, dt, tau):
    return _stability(W_h, b, h_star, dt, tau, jacobian=lambda W, b, h: W)


def _strict_test(W_h, b, h_star, dt, tau):
    mu, nu, dt_max = _stability(W_h, b, h_star, dt, tau, clamp=False)
    return mu, nu, 0.0 if np.any(mu.real > 0) else dt_max


def _dt_max_in_alpha(W_h, b, h_star, dt, tau):
    mu, nu, dt_max = _stability(W_h, b, h_star, dt, tau)
    return mu, nu, dt_max / tau


def _exact_flow(W_h, b, h_star, dt, tau):
    return _stability(W_h, b, h_star, dt, tau, multiplier=lambda a, mu: np.exp(a * mu))


def _slowest_mode(W_h, b, h_star, dt, tau):
    def rate(mu):
        slow = mu[np.argmax(mu.real)]
        return np.array([-2 * slow.real / abs(slow) ** 2])

    return _stability(W_h, b, h_star, dt, tau, rate=rate)


def _real_part_only(W_h, b, h_star, dt, tau):
    return _stability(W_h, b, h_star, dt, tau, rate=lambda mu: -2 / mu.real)


def _no_clamp(W_h, b, h_star, dt, tau):
    return _stability(W_h, b, h_star, dt, tau, clamp=False)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "simulation-without-tau",
            diagnosis=(
                "Your Euler step mixes with alpha = dt instead of alpha = dt / tau: the time "
                "constant tau is left out, so the step is tau times too large or too small."
            ),
            fix="alpha = dt / tau; h = (1 - alpha) * h + alpha * np.tanh(W_h @ h + b).",
            wrong={"euler_rnn": _sim_without_tau},
        ),
        Mistake(
            "leak-swapped",
            diagnosis=(
                "Your step keeps alpha of the old state and adds (1 - alpha) of the tanh: the "
                "weights of the leak are the wrong way round (alpha = 1 would then never move)."
            ),
            fix="h = (1 - alpha) * h + alpha * np.tanh(W_h @ h + b).",
            wrong={"euler_rnn": _sim_leak_swapped},
        ),
        Mistake(
            "weights-transposed",
            diagnosis=(
                "You multiply h @ W_h, which is W_h^T h: row i of W_h holds the weights into "
                "unit i, so the drive of the units is W_h @ h."
            ),
            fix="np.tanh(W_h @ h + b).",
            wrong={"euler_rnn": _sim_transposed},
        ),
        Mistake(
            "initial-state-missing",
            diagnosis=(
                "Your array starts at h_1: h0 itself should be row 0, so there are steps + 1 rows "
                "(one row for steps = 0)."
            ),
            fix="Start the list of states with h0 and append each new state.",
            wrong={"euler_rnn": _sim_no_h0},
        ),
        Mistake(
            "jacobian-without-leak",
            diagnosis=(
                "Your A is D W_h, the Jacobian of the tanh alone (the Elman RNN's): the "
                "derivative of the -h term, -I, is missing, so every mu is 1 too large."
            ),
            fix="A = -np.eye(n) + (1 - h_star**2)[:, None] * W_h.",
            wrong={"euler_stability": _no_leak},
        ),
        Mistake(
            "jacobian-without-tanh-derivative",
            diagnosis=(
                "Your A is W_h - I: the factor tanh'(W_h h* + b) = 1 - h*^2 of each row is "
                "missing (it is 1 only where h*_i = 0), so A is the Jacobian of a linear network."
            ),
            fix="A = -np.eye(n) + (1 - h_star**2)[:, None] * W_h.",
            wrong={"euler_stability": _no_tanh_derivative},
        ),
        Mistake(
            "tanh-derivative-at-state",
            diagnosis=(
                "Your D is 1 - tanh(h_star)^2: tanh' is taken at the pre-activation "
                "W_h h* + b, where tanh(W_h h* + b) = h*, so D = 1 - h_star^2."
            ),
            fix="D = 1 - h_star**2 (or 1 - np.tanh(W_h @ h_star + b)**2).",
            wrong={"euler_stability": _tanh_of_state},
        ),
        Mistake(
            "without-tau",
            diagnosis=(
                "You use dt where the Euler map has alpha = dt / tau: both nu = 1 + alpha mu "
                "and dt_max = tau alpha_max leave tau out."
            ),
            fix="alpha = dt / tau, nu = 1 + alpha * mu, and dt_max = tau * min(-2 Re mu / |mu|^2).",
            wrong={"euler_stability": _without_tau},
        ),
        Mistake(
            "dt-max-in-units-of-tau",
            diagnosis=(
                "Your dt_max is the largest alpha = dt / tau, min(-2 Re mu / |mu|^2), not yet a "
                "step dt: it still has to be multiplied by tau."
            ),
            fix="dt_max = tau * min(-2 * mu.real / abs(mu)**2).",
            wrong={"euler_stability": _dt_max_in_alpha},
        ),
        Mistake(
            "exact-flow-multipliers",
            diagnosis=(
                "Your nu is exp(alpha mu), what the differential equation does to a mode over "
                "one step; the Euler step multiplies it by 1 + alpha mu instead."
            ),
            fix="nu = np.sort_complex(1 + (dt / tau) * mu).",
            wrong={"euler_stability": _exact_flow},
        ),
        Mistake(
            "slowest-mode-only",
            diagnosis=(
                "Your dt_max comes from the eigenvalue with the largest real part alone, the "
                "slowest mode; the step must keep every |1 + alpha mu| < 1, and a fast or "
                "oscillating mode breaks that first."
            ),
            fix="Take the minimum of -2 Re mu / |mu|^2 over all the eigenvalues.",
            wrong={"euler_stability": _slowest_mode},
        ),
        Mistake(
            "real-part-only",
            diagnosis=(
                "Your dt_max uses -2 / Re mu, the bound for a real eigenvalue: for a complex mu "
                "the condition |1 + alpha mu| < 1 is alpha < -2 Re mu / |mu|^2, much smaller "
                "when the imaginary part is large."
            ),
            fix="dt_max = tau * min(-2 * mu.real / abs(mu)**2).",
            wrong={"euler_stability": _real_part_only},
        ),
        Mistake(
            "zero-eigenvalue-not-zero",
            diagnosis=(
                "You return 0 only when some Re mu > 0: for mu = 0 the formula divides 0 by 0 "
                "and gives NaN, and with Re mu = 0 no positive step is stable either "
                "(|1 + alpha mu| >= 1)."
            ),
            fix="Test np.any(mu.real >= 0) (not > 0) before the formula and return 0.0.",
            wrong={"euler_stability": _strict_test},
        ),
        Mistake(
            "unstable-not-zero",
            diagnosis=(
                "When some Re mu >= 0 your dt_max is the formula's value (negative, or NaN for "
                "mu = 0); then no positive step is stable and dt_max is 0."
            ),
            fix="Return 0.0 when np.any(mu.real >= 0), before dividing by |mu|^2.",
            wrong={"euler_stability": _no_clamp},
        ),
        Mistake(
            "h0-changed-in-place",
            diagnosis=(
                "Your euler_rnn changes the caller's h0 (h = h0 and then h += ... or "
                "h[:] = ...): the caller's start state is gone."
            ),
            fix="Start from a copy: h = np.array(h0, dtype=float).",
            predicate=changes_argument("h0"),
        ),
    ]


def _ode(W_h, b, h0, tau, t_end):
    """The differential equation's solution, |h(t) - h*| sampled on a fine grid: Euler with
    a step of t_end / 2000, far below dt_max, so it is the exact curve to the eye."""
    dt = t_end / 2000
    h = np.array(h0, dtype=float)
    states = [h]
    for _ in range(2000):
        h = h + (dt / tau) * (-h + np.tanh(W_h @ h + b))
        states.append(h)
    return dt * np.arange(2001), np.array(states)


def figures(g: Grader) -> None:
    W_h, b, h0, dt_below, tau, steps = g.args("below")
    dt_above = g.arg("above", 3)
    h_star = STIFF[2]

    def distance(states: np.ndarray | None) -> np.ndarray | None:
        return None if states is None else np.linalg.norm(states - h_star, axis=1)

    t_fine, exact = _ode(W_h, b, h0, tau, steps * dt_above)
    fig = plots.compare_lines(
        t_fine,
        None,
        distance(exact),
        title="distance from h*: the differential equation, and Euler just below and above dt_max",
        x_label="time t",
        y_label="|h - h*|",
        log_y=True,
    )
    fig.data[0].name = "differential equation"
    fig.data[0].line.color = plots.NEUTRAL
    runs = (("below", dt_below, "0.9", plots.REFERENCE), ("above", dt_above, "1.1", "#b45309"))
    for key, dt, factor, colour in runs:
        t = dt * np.arange(steps + 1)
        fig.add_scatter(
            x=t,
            y=distance(np.asarray(g.expected(key))),
            name=f"reference, dt = {factor} dt_max",
            line={"color": colour, "width": 3},
        )
        yours = distance(g.try_array(key))
        if yours is not None:
            fig.add_scatter(
                x=t,
                y=yours,
                name=f"yours, dt = {factor} dt_max",
                mode="lines+markers",
                line={"color": plots.LEARNER, "dash": "dash"},
                marker={"size": 4},
            )
    g.figure(fig)
