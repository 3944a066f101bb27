import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots

TOL = {0: (1e-5, 1e-6), 1: (1e-4, 1e-6)}  # part -> (rtol, atol): means, variances
WHAT = {0: "means", 1: "variances"}


def _filter(y, a, c, q, r, m0, p0, variant=""):
    """The reference recursion, or one of the slips the checks recognise."""
    m, p = float(m0), float(p0)
    means, variances = [], []
    for t, obs in enumerate(np.asarray(y, dtype=float)):
        if variant == "prior-is-x1" and t == 0:
            m_pred, p_pred = m, p
        else:
            m_pred = a * m
            p_pred = {"no-square": a * p + q, "no-noise": a * a * p}.get(variant, a * a * p + q)
        if variant == "gain-no-c":
            gain = p_pred / (c * c * p_pred + r)
        elif variant == "gain-no-c2":
            gain = c * p_pred / (p_pred + r)
        else:
            gain = c * p_pred / (c * c * p_pred + r)
        innovation = obs - m_pred if variant == "innovation-no-c" else obs - c * m_pred
        m = m_pred + gain * innovation
        p = (1.0 - gain) * p_pred if variant == "p-no-c" else (1.0 - gain * c) * p_pred
        if variant == "returns-prediction":
            means.append(m_pred)
            variances.append(p_pred)
        else:
            means.append(m)
            variances.append(p)
    return np.array(means), np.array(variances)


SLIPS = {
    "no-square": "the predicted variance must be a^2 P + sigma_w^2, not a P + sigma_w^2",
    "no-noise": "the prediction must add the process noise: P^- = a^2 P + sigma_w^2",
    "gain-no-c": "the gain is c P^- / (c^2 P^- + sigma_v^2): the factor c is missing on top",
    "gain-no-c2": "the gain is c P^- / (c^2 P^- + sigma_v^2): the factor c^2 is missing below",
    "innovation-no-c": "the innovation is y_t - c m^-: the measurement predicts c times the state",
    "p-no-c": "the updated variance is (1 - K c) P^-, with the factor c",
    "prior-is-x1": "(m0, p0) is the prior of x_0, so the first step starts with a prediction",
    "returns-prediction": "you returned the predictions (m^-, P^-); return the beliefs after each update",
}


def _simulate(rng, n, a, c, q, r, x0):
    x, y = x0, np.empty(n)
    states = np.empty(n)
    for t in range(n):
        x = a * x + np.sqrt(q) * rng.normal()
        states[t] = x
        y[t] = c * x + np.sqrt(r) * rng.normal()
    return states, y


def cases(rng: np.random.Generator) -> list[Call]:
    a = float(rng.uniform(0.5, 1.05))
    c = float(rng.uniform(0.5, 2.0))
    q, r = float(rng.uniform(0.1, 2.0)), float(rng.uniform(0.1, 3.0))
    m0, p0 = float(rng.normal()), float(rng.uniform(0.2, 3.0))
    _, y = _simulate(rng, 30, a, c, q, r, m0)
    _, y_neg = _simulate(rng, 15, 0.8, -1.5, 0.5, 0.5, 1.0)
    level = float(rng.normal(scale=3.0))
    _, y_flat = _simulate(rng, 40, 1.0, 1.0, 0.0, 1.0, level)
    _, y_long = _simulate(rng, 120, 1.0, 1.0, 0.05, 1.0, 0.0)
    return [
        Call(
            "random",
            "kalman_filter",
            (y, a, c, q, r, m0, p0),
            label=f"a = {a:.3f}, c = {c:.3f}, variances {q:.3f} and {r:.3f}, 30 steps",
        ),
        Call(
            "worked",
            "kalman_filter",
            (np.array([2.0, 1.0, 3.0]), 1.0, 1.0, 1.0, 1.0, 0.0, 1.0),
            label="the lesson's example: a = c = 1, both variances 1, y = (2, 1, 3)",
        ),
        Call(
            "negative-c",
            "kalman_filter",
            (y_neg, 0.8, -1.5, 0.5, 0.5, 1.0, 1.0),
            label="c = -1.5",
        ),
        Call(
            "blind",
            "kalman_filter",
            (rng.normal(size=6), 1.1, 0.0, 0.3, 1.0, 2.0, 0.5),
            label="c = 0: measurements carry no information",
        ),
        Call(
            "precise",
            "kalman_filter",
            (y, a, c, q, 1e-4, m0, p0),
            label="an almost perfect sensor, obs_var = 1e-4",
        ),
        Call(
            "useless",
            "kalman_filter",
            (y, 0.9, c, 0.3, 1e12, m0, p0),
            label="a useless sensor, obs_var = 1e12",
        ),
        Call(
            "flat-prior",
            "kalman_filter",
            (y_flat, 1.0, 1.0, 0.0, 1.0, 0.0, 1e8),
            label="a constant state (a = 1, process_var = 0) with p0 = 1e8",
        ),
        Call(
            "long",
            "kalman_filter",
            (y_long, 1.0, 1.0, 0.05, 1.0, 0.0, 1.0),
            label="a random walk over 120 steps (process_var = 0.05, obs_var = 1)",
        ),
    ]


def _check(g: Grader, key: str, part: int) -> str | None:
    want = np.asarray(g.expected(key, part), dtype=float)
    got = g.array(key, part, shape=want.shape, what=f"the {WHAT[part]} returned on {key}")
    rtol, atol = TOL[part]
    if np.allclose(got, want, rtol=rtol, atol=atol):
        return None
    call = g.call(key)
    where = f"kalman_filter() on {call.description}"
    if not np.all(np.isfinite(got)):
        return f"{where} returned NaN or infinite {WHAT[part]}"
    for variant, diagnosis in SLIPS.items():
        alternative = _filter(*call.args, variant=variant)[part]
        if np.allclose(got, alternative, rtol=rtol, atol=atol):
            return f"{where}: your {WHAT[part]} match a known slip: {diagnosis}"
    error = np.abs(got - want)
    t = int(np.argmax(error))
    return (
        f"{where}: the {WHAT[part]} are off from step {int(np.argmax(error > atol + rtol * np.abs(want))) + 1}"
        f"; the largest gap is at step {t + 1}: expected {want[t]:.6g}, got {got[t]:.6g}"
    )


def grade(g: Grader) -> None:
    for key, name, points in [
        ("random", "a random model", 2),
        ("worked", "the lesson's worked example", 1),
        ("negative-c", "a negative c", 1),
        ("blind", "c = 0 follows the prediction", 1),
        ("precise", "an almost perfect sensor", 1),
        ("useless", "a useless sensor", 1),
        ("flat-prior", "a constant state from a flat prior", 1),
        ("long", "a long random walk", 1),
    ]:
        g.custom(
            f"{name}: means and variances",
            lambda key=key: _check(g, key, 1) or _check(g, key, 0),
            points=points,
        )


def figures(g: Grader) -> None:
    y = g.arg("long")
    t = np.arange(1, len(y) + 1)
    yours = g.try_array("long", 0)
    fig = plots.compare_lines(
        t,
        yours,
        g.expected("long", 0),
        title="filtered mean of a random walk: yours against the reference",
        x_label="time step t",
        y_label="state estimate",
    )
    fig.add_trace(
        go.Scatter(
            x=t,
            y=y,
            mode="markers",
            name="measurements y_t",
            marker={"color": plots.NEUTRAL, "size": 4},
        )
    )
    g.figure(fig)
    g.figure(
        plots.compare_lines(
            t,
            g.try_array("long", 1),
            g.expected("long", 1),
            title="filtered variance P_t settles at the steady-state value",
            x_label="time step t",
            y_label="P_t",
        )
    )
