import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, Mistake, PlainFigure, plots

LONG = 6000
BURN_IN = 200


def cases(rng: np.random.Generator) -> list[Call]:
    mu = rng.normal(scale=2.0, size=2)
    sigma = rng.uniform(0.5, 2.5, size=2)
    rho = float(rng.uniform(0.5, 0.85) * rng.choice([-1.0, 1.0]))
    return [
        Call(
            "short",
            "gibbs_gaussian",
            (mu, sigma, rho, mu + sigma * rng.normal(size=2), rng.normal(size=(20, 2))),
            label="20 sweeps from a random start",
        ),
        Call(
            "long",
            "gibbs_gaussian",
            (mu, sigma, rho, mu.copy(), rng.normal(size=(LONG, 2))),
            label=f"a chain of {LONG} sweeps with rho = {rho:.3f}",
        ),
        Call(
            "independent",
            "gibbs_gaussian",
            (mu, sigma, 0.0, mu + 1.0, rng.normal(size=(10, 2))),
            label="rho = 0",
        ),
        Call(
            "strong",
            "gibbs_gaussian",
            (
                np.zeros(2),
                np.array([1.0, 3.0]),
                -0.99,
                np.array([0.5, -0.5]),
                rng.normal(size=(30, 2)),
            ),
            label="rho = -0.99, sigma = (1, 3)",
        ),
        Call(
            "far",
            "gibbs_gaussian",
            (mu, sigma, rho, mu + 40.0 * sigma, rng.normal(size=(60, 2))),
            label="a start point 40 standard deviations from the mean",
        ),
        Call(
            "one",
            "gibbs_gaussian",
            (np.zeros(2), np.ones(2), 0.5, np.zeros(2), np.array([[1.0, -1.0]])),
            label="a single sweep from the origin",
        ),
    ]


def _statistics(g: Grader, what: str) -> str | None:
    mu, sigma, rho = g.arg("long", 0), g.arg("long", 1), g.arg("long", 2)
    samples = g.array("long")[BURN_IN:]
    if not np.all(np.isfinite(samples)):
        raise CheckFailed("the long chain contains NaN or infinite values")
    mean, std = samples.mean(axis=0), samples.std(axis=0)
    corr = float(np.corrcoef(samples.T)[0, 1])
    if what == "mean" and np.any(np.abs(mean - mu) > 0.25 * sigma):
        return f"after burn-in the sample mean is {np.round(mean, 3).tolist()}, but the target mean is {np.round(mu, 3).tolist()}"
    if what == "std" and np.any(np.abs(std / sigma - 1.0) > 0.12):
        return (
            f"after burn-in the sample standard deviations are {np.round(std, 3).tolist()}, "
            f"but the target's are {np.round(sigma, 3).tolist()}"
        )
    if what == "corr" and abs(corr - rho) > 0.08:
        return f"after burn-in the sample correlation is {corr:.3f}, but the target correlation is rho = {rho:.3f}"
    return None


def grade(g: Grader) -> None:
    # Default tolerances: each sweep is a contraction (the chain forgets its errors at rate
    # rho^2), so a correct float32 chain stays within float32's roundoff of the reference.
    g.check_close("a short chain matches the reference draw for draw", "short", points=2)
    g.check_close("a single sweep", "one", points=1)
    g.check_close("rho = 0 gives independent draws", "independent", points=1)
    g.check_close("strong correlation and unequal sigma", "strong", points=1)
    g.check_close("forgets a distant start point", "far", points=1)
    g.custom("long chain: mean", lambda: _statistics(g, "mean"), points=1)
    g.custom("long chain: standard deviations", lambda: _statistics(g, "std"), points=1)
    g.custom("long chain: correlation", lambda: _statistics(g, "corr"), points=1)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _sweeps(mu, sigma, rho, x0, noise, *, slope=None, spread=None, stale=False, start=False):
    """Gibbs sweeps with one thing changed: the regression slopes, the noise scales, both
    coordinates from the old state, or the start point kept as row 0."""
    mu, sigma, noise = (np.asarray(a, dtype=float) for a in (mu, sigma, noise))
    rho = float(rho)
    s1, s2 = slope if slope is not None else (rho * sigma[0] / sigma[1], rho * sigma[1] / sigma[0])
    if spread is None:
        spread = sigma * np.sqrt(1.0 - rho**2)
    x1, x2 = (float(v) for v in np.asarray(x0, dtype=float))
    rows = [(x1, x2)] if start else []
    for t in range(noise.shape[0]):
        new1 = mu[0] + s1 * (x2 - mu[1]) + spread[0] * noise[t, 0]
        new2 = mu[1] + s2 * ((x1 if stale else new1) - mu[0]) + spread[1] * noise[t, 1]
        x1, x2 = new1, new2
        rows.append((x1, x2))
    return np.array(rows, dtype=float).reshape(-1, 2)


def _stale(mu, sigma, rho, x0, noise):
    return _sweeps(mu, sigma, rho, x0, noise, stale=True)


def _marginal_spread(mu, sigma, rho, x0, noise):
    return _sweeps(mu, sigma, rho, x0, noise, spread=np.asarray(sigma, dtype=float))


def _variance_as_spread(mu, sigma, rho, x0, noise):
    sigma = np.asarray(sigma, dtype=float)
    return _sweeps(mu, sigma, rho, x0, noise, spread=sigma**2 * (1.0 - float(rho) ** 2))


def _inverted_ratio(mu, sigma, rho, x0, noise):
    sigma = np.asarray(sigma, dtype=float)
    rho = float(rho)
    slope = (rho * sigma[1] / sigma[0], rho * sigma[0] / sigma[1])
    return _sweeps(mu, sigma, rho, x0, noise, slope=slope)


def _with_start(mu, sigma, rho, x0, noise):
    return _sweeps(mu, sigma, rho, x0, noise, start=True)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "includes-start",
            diagnosis=(
                "Your chain has one row too many: row 0 is the start point x0. Row t should be "
                "the state after sweep t, so n sweeps give n rows."
            ),
            fix="Do not store x0; append (x1, x2) only after each sweep.",
            wrong=_with_start,
        ),
        Mistake(
            "stale-update",
            diagnosis=(
                "You draw x2 from the old x1 (both coordinates from the previous state), which "
                "is not Gibbs sampling: that chain settles at correlation 0 instead of rho."
            ),
            fix="Draw x1 first, then draw x2 given the new x1 of the same sweep.",
            wrong=_stale,
        ),
        Mistake(
            "marginal-spread",
            diagnosis=(
                "You scale the noise by the marginal sigma_i instead of the conditional standard "
                "deviation sigma_i * sqrt(1 - rho^2): the draws are too wide."
            ),
            fix="Multiply each draw by sigma_i * np.sqrt(1 - rho**2).",
            wrong=_marginal_spread,
        ),
        Mistake(
            "variance-as-spread",
            diagnosis=(
                "You scale the noise by the conditional variance sigma_i^2 (1 - rho^2) instead of "
                "the conditional standard deviation sigma_i sqrt(1 - rho^2)."
            ),
            fix="A draw from N(m, s^2) is m + s * eps, with s = sigma_i * np.sqrt(1 - rho**2).",
            wrong=_variance_as_spread,
        ),
        Mistake(
            "inverted-ratio",
            diagnosis=(
                "Your regression slopes use the ratio of standard deviations the wrong way "
                "round: x1 given x2 has slope rho * sigma_1 / sigma_2, and x2 given x1 has "
                "rho * sigma_2 / sigma_1."
            ),
            fix="Swap the ratios: rho * sigma[0] / sigma[1] for x1, rho * sigma[1] / sigma[0] for x2.",
            wrong=_inverted_ratio,
        ),
    ]


def figures(g: Grader) -> None:
    mu, sigma, rho = g.arg("long", 0), g.arg("long", 1), g.arg("long", 2)
    yours = g.try_array("long")
    fig = PlainFigure()
    angle = np.linspace(0, 2 * np.pi, 100)
    cov = np.array(
        [[sigma[0] ** 2, rho * sigma[0] * sigma[1]], [rho * sigma[0] * sigma[1], sigma[1] ** 2]]
    )
    root = np.linalg.cholesky(cov)
    for k in (1, 2, 3):
        ring = mu[:, None] + k * root @ np.stack([np.cos(angle), np.sin(angle)])
        fig.add_scatter(
            x=ring[0],
            y=ring[1],
            mode="lines",
            line={"color": plots.REFERENCE, "width": 2},
            name=f"target, {k} standard deviations",
            showlegend=k == 1,
        )
    if yours is not None:
        pts = yours[BURN_IN : BURN_IN + 500]
        fig.add_scatter(
            x=pts[:, 0],
            y=pts[:, 1],
            mode="markers",
            name="your samples (500 after burn-in)",
            marker={"color": plots.LEARNER, "size": 4, "opacity": 0.5},
        )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    fig.update_layout(
        title={"text": "Your Gibbs samples against the target Gaussian's contours"},
        xaxis_title="x₁",
        yaxis_title="x₂",
        height=440,
    )
    g.figure(fig)
    grid = np.linspace(mu[0] - 4 * sigma[0], mu[0] + 4 * sigma[0], 200)
    density = np.exp(-0.5 * ((grid - mu[0]) / sigma[0]) ** 2) / (sigma[0] * np.sqrt(2 * np.pi))
    g.figure(
        plots.histogram_with_density(
            None if yours is None else yours[BURN_IN:, 0],
            grid,
            density,
            title="Marginal of x₁: your samples against the target density",
        )
    )
