import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, Mistake, plots

RTOL, ATOL = 1e-5, 1e-6
ACF_ATOL = 1e-5  # mean removal of a series near 1000 costs float32 about 3e-6
LONG_T, LONG_PHI, LONG_LAGS = 4000, 0.85, 25


def _simulate(phi: float, sigma: float, x0: float, eps: np.ndarray) -> np.ndarray:
    x, prev = np.empty(len(eps)), float(x0)
    for t, e in enumerate(eps):
        prev = phi * prev + sigma * e
        x[t] = prev
    return x


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


def _compare(g: Grader, key: str, part: int | None = None, atol: float = ATOL) -> str | None:
    want = np.asarray(g.expected(key, part), dtype=float)
    got = g.array(key, part, shape=want.shape)
    call = g.call(key)
    if np.allclose(got, want, rtol=RTOL, atol=atol):
        return None
    if not np.all(np.isfinite(got)):
        return f"{call.func}() on {call.description} returned NaN or infinite values"
    error = np.abs(got - want)
    index = np.unravel_index(int(np.argmax(error)), error.shape) if got.ndim else ()
    at = f" at index {tuple(int(i) for i in index)}" if got.ndim else ""
    return (
        f"{call.func}() on {call.description} is off{at}: expected "
        f"{float(want[index]):.8g}, got {float(got[index]):.8g}"
    )


def _sim_check(g: Grader, key: str) -> str | None:
    eps = g.arg(key, 3)
    value = g.output(key)
    size = np.asarray(value).shape if isinstance(value, np.ndarray | list | tuple) else None
    if size == (len(eps) + 1,):
        raise CheckFailed(
            f"simulate_ar1() on {g.call(key).description} returned {len(eps) + 1} values for "
            f"{len(eps)} noise draws; expected {len(eps)}, x_1 to x_T"
        )
    return _compare(g, key)


def _acf_check(g: Grader, key: str) -> str | None:
    return _compare(g, key, atol=ACF_ATOL)


def grade(g: Grader) -> None:
    g.custom("simulation matches the recursion", lambda: _sim_check(g, "sim"), points=2)
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
    g.custom("theory: stationary variance", lambda: _compare(g, "theory", 0), points=1)
    g.custom("theory: autocorrelation phi^k", lambda: _compare(g, "theory", 1), points=1)
    g.custom(
        "theory with negative phi",
        lambda: _compare(g, "theory-negative", 0) or _compare(g, "theory-negative", 1),
        points=1,
    )
    g.custom(
        "theory with phi = 0",
        lambda: _compare(g, "theory-zero", 0) or _compare(g, "theory-zero", 1),
        points=1,
    )


# --- known mistakes ------------------------------------------------------------------------
def _acf_from(x, max_lag, lag_value):
    x = np.asarray(x, dtype=float)
    return np.array([lag_value(x, len(x), k) for k in range(int(max_lag) + 1)])


def _acf_corrcoef(x, max_lag):
    x = np.asarray(x, dtype=float)
    T = len(x)
    out = [1.0]
    with np.errstate(all="ignore"):
        for k in range(1, int(max_lag) + 1):
            # A one-point slice (the largest lag) has no correlation: NaN, as np.corrcoef gives
            # with a warning.
            pair = (x[: T - k], x[k:])
            out.append(np.corrcoef(*pair)[0, 1] if T - k > 1 else np.nan)
    return np.array(out)


def _acf_lag0_slice(x, max_lag):
    def value(x, T, k):
        d = x - x.mean()
        return np.sum(d[:-k] * d[k:]) / np.sum(d * d)

    return _acf_from(x, max_lag, value)


def _acf_no_mean(x, max_lag):
    return _acf_from(x, max_lag, lambda x, T, k: np.sum(x[: T - k] * x[k:]) / np.sum(x * x))


def _acf_lag_divisor(x, max_lag):
    def value(x, T, k):
        d = x - x.mean()
        return (np.sum(d[: T - k] * d[k:]) / (T - k)) / (np.sum(d * d) / T)

    return _acf_from(x, max_lag, value)


def _theory_sigma(phi, sigma, max_lag):
    return float(sigma / (1 - phi**2)), float(phi) ** np.arange(int(max_lag) + 1)


def _theory_abs(phi, sigma, max_lag):
    return float(sigma**2 / (1 - phi**2)), np.abs(float(phi)) ** np.arange(int(max_lag) + 1)


def _stores_before(phi, sigma, x0, eps):
    eps = np.asarray(eps, dtype=float)
    out, x = np.zeros(len(eps)), x0
    for t, e in enumerate(eps):
        out[t] = x
        x = phi * x + sigma * e
    return out


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "stores-before-step",
            diagnosis=(
                "simulate_ar1 stores each value before advancing it, so it returns x_0 .. x_(T-1) "
                "instead of x_1 .. x_T."
            ),
            fix="Advance first (x = phi * x + sigma * e), then store.",
            wrong={"simulate_ar1": _stores_before},
        ),
        Mistake(
            "acf-lag0-slice",
            diagnosis=(
                "Your lag-k product uses d[:-k] * d[k:]: for k = 0, d[:-0] is d[:0], an empty "
                "slice, so the lag-0 sum is 0 instead of the sum of squares."
            ),
            fix="Slice with the length: d[:T - k] * d[k:].",
            wrong={"sample_autocorrelation": _acf_lag0_slice},
        ),
        Mistake(
            "acf-no-mean",
            diagnosis=(
                "You do not subtract the sample mean, so a series with an offset (near 1000) has "
                "every autocorrelation close to 1."
            ),
            fix="Centre first: d = x - x.mean(), in the numerator and the denominator.",
            wrong={"sample_autocorrelation": _acf_no_mean},
        ),
        Mistake(
            "acf-lag-divisor",
            diagnosis=(
                "You divide the lag-k sum by its T - k terms (and the sum of squares by T), so "
                "lag k is T / (T - k) times too large; the estimator divides every lag by the "
                "same full sum of squares."
            ),
            fix="rho_hat_k = (d[:T - k] @ d[k:]) / (d @ d).",
            wrong={"sample_autocorrelation": _acf_lag_divisor},
        ),
        Mistake(
            "acf-corrcoef-per-lag",
            diagnosis=(
                "You compute a separate correlation coefficient for each lag (np.corrcoef of "
                "x[:-k] and x[k:]), with its own means and normalisation; the estimator uses one "
                "mean of the whole series and the full sum of squares."
            ),
            fix="d = x - x.mean(); rho_hat_k = (d[:T - k] @ d[k:]) / (d @ d).",
            wrong={"sample_autocorrelation": _acf_corrcoef},
        ),
        Mistake(
            "c0-sigma-not-squared",
            diagnosis="Your stationary variance is sigma / (1 - phi^2): the noise variance is sigma^2.",
            fix="C0 = sigma**2 / (1 - phi**2).",
            wrong={"ar1_theory": _theory_sigma},
        ),
        Mistake(
            "rho-abs-phi",
            diagnosis=(
                "Your autocorrelations are |phi|^k: a negative phi gives autocorrelations of "
                "alternating sign, phi^k."
            ),
            fix="rho = phi ** np.arange(max_lag + 1).",
            wrong={"ar1_theory": _theory_abs},
        ),
    ]


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
