import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, CheckFailed, Grader, plots

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
    g.check_close(
        "a short chain matches the reference draw for draw",
        "short",
        rtol=1e-8,
        atol=1e-8,
        points=2,
        hint="each sweep draws x1 given the current x2, then x2 given the NEW x1; row t holds the state after sweep t",
    )
    g.check_close(
        "a single sweep",
        "one",
        rtol=1e-10,
        atol=1e-10,
        points=1,
        hint="with rho = 0.5 the conditional standard deviation is sqrt(1 - rho^2) = 0.866, not 1",
    )
    g.check_close("rho = 0 gives independent draws", "independent", rtol=1e-8, atol=1e-8, points=1)
    g.check_close(
        "strong correlation and unequal sigma",
        "strong",
        rtol=1e-8,
        atol=1e-8,
        points=1,
        hint="the regression slope of x1 on x2 is rho * sigma1 / sigma2, and of x2 on x1 it is rho * sigma2 / sigma1; "
        "each conditional variance is sigma_i^2 (1 - rho^2)",
    )
    g.check_close("forgets a distant start point", "far", rtol=1e-8, atol=1e-8, points=1)
    g.custom("long chain: mean", lambda: _statistics(g, "mean"), points=1)
    g.custom(
        "long chain: standard deviations",
        lambda: _statistics(g, "std"),
        points=1,
        hint="the conditional spread is sigma_i * sqrt(1 - rho^2); with the full sigma_i the chain is too wide",
    )
    g.custom(
        "long chain: correlation",
        lambda: _statistics(g, "corr"),
        points=1,
        hint="update x2 from the x1 drawn in the same sweep; updating both from the old state destroys the correlation",
    )


def figures(g: Grader) -> None:
    mu, sigma, rho = g.arg("long", 0), g.arg("long", 1), g.arg("long", 2)
    yours = g.try_array("long")
    fig = go.Figure()
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
