from collections.abc import Callable

import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, plots

RTOL, ATOL = 1e-5, 1e-6
ACF_ATOL = 1e-5  # mean removal of a series near 1000 costs float32 about 3e-6
LONG_T, LONG_PHI, LONG_LAGS = 4000, 0.85, 25


def _simulate(phi: float, sigma: float, x0: float, eps: np.ndarray) -> np.ndarray:
    x, prev = np.empty(len(eps)), float(x0)
    for t, e in enumerate(eps):
        prev = phi * prev + sigma * e
        x[t] = prev
    return x


def _acf(x: np.ndarray, max_lag: int, *, centre: bool = True, per_lag: str = "") -> np.ndarray:
    x = np.asarray(x, dtype=float)
    n = len(x)
    d = x - x.mean() if centre else x
    out = []
    for k in range(max_lag + 1):
        a, b = d[: n - k], d[k:]
        if per_lag == "count":  # mean product over the n - k terms, over the variance
            out.append((a @ b) / (n - k) / ((d @ d) / n))
        elif per_lag == "pearson":  # a separate correlation coefficient for every lag
            a0, b0 = x[: n - k] - x[: n - k].mean(), x[k:] - x[k:].mean()
            out.append((a0 @ b0) / np.sqrt((a0 @ a0) * (b0 @ b0)))
        else:
            out.append((a @ b) / (d @ d))
    return np.array(out)


def cases(rng: np.random.Generator) -> list[Call]:
    phi = float(rng.uniform(0.3, 0.95) * rng.choice([-1.0, 1.0]))
    sigma = float(rng.uniform(0.5, 2.0))
    long_x = _simulate(LONG_PHI, 1.0, 0.0, rng.normal(size=LONG_T))
    offset = 1000.0 + _simulate(0.6, 1.0, 0.0, rng.normal(size=300))
    return [
        Call(
            "sim",
            "simulate_ar1",
            (phi, sigma, float(rng.normal(scale=3.0)), rng.normal(size=40)),
            label=f"phi = {phi:.3f}, sigma = {sigma:.3f}, 40 steps",
        ),
        Call(
            "sim-walk",
            "simulate_ar1",
            (1.0, 0.5, 3.0, rng.normal(size=30)),
            label="a random walk: phi = 1, sigma = 0.5, x0 = 3",
        ),
        Call(
            "sim-zero",
            "simulate_ar1",
            (0.0, 2.0, 5.0, rng.normal(size=10)),
            label="phi = 0 (pure noise), sigma = 2, x0 = 5",
        ),
        Call(
            "sim-one",
            "simulate_ar1",
            (0.5, 1.0, 2.0, np.array([0.0])),
            label="one step with eps_1 = 0 from x0 = 2 (the answer is [1.0])",
        ),
        Call(
            "acf",
            "sample_autocorrelation",
            (_simulate(phi, 1.0, 0.0, rng.normal(size=200)), 10),
            label="a simulated series of length 200, lags 0 to 10",
        ),
        Call(
            "acf-offset",
            "sample_autocorrelation",
            (offset, 8),
            label="a series fluctuating around 1000, lags 0 to 8",
        ),
        Call(
            "acf-alternating",
            "sample_autocorrelation",
            (np.tile([1.0, -1.0], 5), 9),
            label="the series +1, -1, +1, ... of length 10, lags 0 to 9",
        ),
        Call(
            "acf-lag0",
            "sample_autocorrelation",
            (rng.normal(size=7), 0),
            label="max_lag = 0",
        ),
        Call(
            "acf-long",
            "sample_autocorrelation",
            (long_x, LONG_LAGS),
            label=f"a simulated series of length {LONG_T} with phi = {LONG_PHI}",
        ),
        Call(
            "theory",
            "ar1_theory",
            (phi, sigma, 12),
            label=f"phi = {phi:.3f}, sigma = {sigma:.3f}",
        ),
        Call("theory-negative", "ar1_theory", (-0.6, 2.0, 6), label="phi = -0.6, sigma = 2"),
        Call("theory-zero", "ar1_theory", (0.0, 1.5, 4), label="phi = 0, sigma = 1.5"),
    ]


def _compare(
    g: Grader,
    key: str,
    part: int | None = None,
    wrong: tuple[tuple[Callable[[], np.ndarray], str], ...] = (),
    atol: float = ATOL,
) -> str | None:
    want = np.asarray(g.expected(key, part), dtype=float)
    got = g.array(key, part, shape=want.shape)
    call = g.call(key)
    if np.allclose(got, want, rtol=RTOL, atol=atol):
        return None
    if not np.all(np.isfinite(got)):
        return f"{call.func}() on {call.description} returned NaN or infinite values"
    for make, diagnosis in wrong:
        alternative = np.asarray(make(), dtype=float)
        if alternative.shape == got.shape and np.allclose(got, alternative, rtol=RTOL, atol=atol):
            return f"{call.func}() on {call.description} is not right: {diagnosis}"
    error = np.abs(got - want)
    index = np.unravel_index(int(np.argmax(error)), error.shape) if got.ndim else ()
    at = f" at index {tuple(int(i) for i in index)}" if got.ndim else ""
    return (
        f"{call.func}() on {call.description} is off{at}: expected "
        f"{float(want[index]):.6g}, got {float(got[index]):.6g}"
    )


def _sim_check(g: Grader, key: str) -> str | None:
    phi, sigma, x0, eps = g.args(key)
    value = g.output(key)
    size = np.asarray(value).shape if isinstance(value, np.ndarray | list | tuple) else None
    if size == (len(eps) + 1,):
        raise CheckFailed(
            f"simulate_ar1() on {g.call(key).description} returned {len(eps) + 1} values for "
            f"{len(eps)} noise draws: leave out the start value x_0 and return x_1, ..., x_T"
        )
    return _compare(
        g,
        key,
        wrong=(
            (
                lambda: _simulate(phi, 1.0, x0, eps),
                "it matches the recursion without sigma: the noise term is sigma * eps_t",
            ),
            (
                lambda: _simulate(phi, sigma, 0.0, eps),
                "it matches a series started from 0: the recursion starts from x_0 = x0",
            ),
            (
                lambda: _simulate(phi, 0.0, x0, eps),
                "it matches phi * x_{t-1} without any noise: add sigma * eps_t at every step",
            ),
            (
                lambda: sigma * np.asarray(eps) + phi * x0,
                "every step uses x0 instead of the previous value x_{t-1}",
            ),
        ),
    )


def _acf_check(g: Grader, key: str) -> str | None:
    x, max_lag = g.args(key)
    return _compare(
        g,
        key,
        atol=ACF_ATOL,
        wrong=(
            (
                lambda: _acf(x, max_lag, centre=False),
                "it matches the autocorrelation without subtracting the mean: "
                "use d = x - x.mean() in both the numerator and the denominator",
            ),
            (
                lambda: _acf(x, max_lag, per_lag="count"),
                "it divides the lag-k sum by its T - k terms; the estimator divides every lag "
                "by the same full sum of squares, so rho_hat_k shrinks at large lags",
            ),
            (
                lambda: _acf(x, max_lag, per_lag="pearson"),
                "it matches a separate correlation coefficient for each lag (np.corrcoef of "
                "x[:-k] and x[k:]); use one mean of the whole series and the full sum of squares",
            ),
        ),
    )


def _variance_check(g: Grader, key: str) -> str | None:
    phi, sigma, _ = g.args(key)
    return _compare(
        g,
        key,
        0,
        wrong=(
            (
                lambda: np.asarray(sigma**2 / (1 - phi)),
                "C_0 = sigma^2 / (1 - phi) is wrong: variances add as "
                "C_0 = phi^2 C_0 + sigma^2, so C_0 = sigma^2 / (1 - phi^2)",
            ),
            (
                lambda: np.asarray(sigma / (1 - phi**2)),
                "that is sigma / (1 - phi^2); the noise variance is sigma^2",
            ),
            (
                lambda: np.asarray(sigma**2 / np.sqrt(1 - phi**2)),
                "that divides by sqrt(1 - phi^2); the stationary variance is sigma^2 / (1 - phi^2)",
            ),
        ),
    )


def _rho_check(g: Grader, key: str) -> str | None:
    phi, _, max_lag = g.args(key)
    lags = np.arange(max_lag + 1)
    return _compare(
        g,
        key,
        1,
        wrong=(
            (
                lambda: np.abs(phi) ** lags,
                "it matches |phi|^k; a negative phi gives autocorrelations of alternating sign, phi^k",
            ),
            (lambda: phi * lags, "it matches phi * k; the autocorrelation is the power phi^k"),
            (
                lambda: phi ** (lags + 1),
                "it matches phi^(k+1): the list starts at lag 0, where rho_0 = 1",
            ),
        ),
    )


def grade(g: Grader) -> None:
    g.custom(
        "simulation matches the recursion",
        lambda: _sim_check(g, "sim"),
        points=2,
        hint="x_t = phi * x_{t-1} + sigma * eps[t-1] in 0-based arrays, starting from x0",
    )
    g.custom("a random walk (phi = 1)", lambda: _sim_check(g, "sim-walk"), points=1)
    g.custom("phi = 0 gives scaled noise", lambda: _sim_check(g, "sim-zero"), points=1)
    g.custom("a single step", lambda: _sim_check(g, "sim-one"), points=1)
    g.custom(
        "sample autocorrelation of a simulated series",
        lambda: _acf_check(g, "acf"),
        points=2,
    )
    g.custom("removes the mean of an offset series", lambda: _acf_check(g, "acf-offset"), points=1)
    g.custom(
        "an alternating series: (-1)^k (T - k) / T",
        lambda: _acf_check(g, "acf-alternating"),
        points=1,
    )
    g.custom("max_lag = 0 returns [1.0]", lambda: _acf_check(g, "acf-lag0"), points=1)
    g.custom("a long series", lambda: _acf_check(g, "acf-long"), points=1)
    g.custom("theory: stationary variance", lambda: _variance_check(g, "theory"), points=1)
    g.custom("theory: autocorrelation phi^k", lambda: _rho_check(g, "theory"), points=1)
    g.custom(
        "theory with negative phi",
        lambda: _variance_check(g, "theory-negative") or _rho_check(g, "theory-negative"),
        points=1,
    )
    g.custom(
        "theory with phi = 0",
        lambda: _variance_check(g, "theory-zero") or _rho_check(g, "theory-zero"),
        points=1,
    )


def figures(g: Grader) -> None:
    lags = np.arange(LONG_LAGS + 1)
    fig = plots.compare_lines(
        lags,
        g.try_array("acf-long"),
        g.expected("acf-long"),
        title=f"sample autocorrelation of a long AR(1) series (φ = {LONG_PHI}) against φ^k",
        x_label="lag k",
        y_label="autocorrelation",
    )
    fig.add_scatter(
        x=lags,
        y=LONG_PHI**lags,
        name="theory φ^k",
        mode="markers",
        marker={"color": plots.NEUTRAL, "size": 6},
    )
    g.figure(fig)
