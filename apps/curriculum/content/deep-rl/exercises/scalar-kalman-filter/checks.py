import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

TOL = {0: (1e-5, 1e-6), 1: (1e-4, 1e-6)}  # part -> (rtol, atol): means, variances
WHAT = {0: "means", 1: "variances"}


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


def grade(g: Grader) -> None:
    # The prompt states the tolerances: means 1e-5 relative, variances 1e-4 (float32 with the
    # cancellation-free variance form stays inside both).
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
        for part, (rtol, atol) in TOL.items():
            g.check_close(
                f"{name}: {WHAT[part]}", key, part, rtol=rtol, atol=atol, points=points / 2
            )


# --- known mistakes ------------------------------------------------------------------------
def _run(y, a, c, q, r, m0, p0, step):
    """Apply ``step(m, p, obs) -> (m, p, stored_m, stored_p)`` along y."""
    m, p = m0, p0
    means, variances = [], []
    for obs in np.asarray(y, dtype=float):
        m, p, stored_m, stored_p = step(m, p, obs)
        means.append(stored_m)
        variances.append(stored_p)
    return np.array(means, dtype=float), np.array(variances, dtype=float)


def _a_not_squared(y, a, c, q, r, m0, p0):
    def step(m, p, obs):
        m_pred, p_pred = a * m, a * p + q
        s = c * c * p_pred + r
        m = m_pred + c * p_pred / s * (obs - c * m_pred)
        p = p_pred * r / s
        return m, p, m, p

    return _run(y, a, c, q, r, m0, p0, step)


def _gain_without_c(y, a, c, q, r, m0, p0):
    def step(m, p, obs):
        m_pred, p_pred = a * m, a * a * p + q
        gain = p_pred / (c * c * p_pred + r)
        m = m_pred + gain * (obs - c * m_pred)
        p = (1 - gain * c) * p_pred
        return m, p, m, p

    return _run(y, a, c, q, r, m0, p0, step)


def _innovation_without_c(y, a, c, q, r, m0, p0):
    def step(m, p, obs):
        m_pred, p_pred = a * m, a * a * p + q
        s = c * c * p_pred + r
        m = m_pred + c * p_pred / s * (obs - m_pred)
        p = p_pred * r / s
        return m, p, m, p

    return _run(y, a, c, q, r, m0, p0, step)


def _stores_predictions(y, a, c, q, r, m0, p0):
    def step(m, p, obs):
        m_pred, p_pred = a * m, a * a * p + q
        s = c * c * p_pred + r
        m = m_pred + c * p_pred / s * (obs - c * m_pred)
        return m, p_pred * r / s, m_pred, p_pred

    return _run(y, a, c, q, r, m0, p0, step)


def _stores_previous(y, a, c, q, r, m0, p0):
    def step(m, p, obs):
        m_pred, p_pred = a * m, a * a * p + q
        s = c * c * p_pred + r
        return m_pred + c * p_pred / s * (obs - c * m_pred), p_pred * r / s, m, p

    return _run(y, a, c, q, r, m0, p0, step)


def _update_then_predict(y, a, c, q, r, m0, p0):
    def step(m, p, obs):
        s = c * c * p + r
        m = m + c * p / s * (obs - c * m)
        p = p * r / s
        m, p = a * m, a * a * p + q
        return m, p, m, p

    return _run(y, a, c, q, r, m0, p0, step)


def _float32_cancellation(y, a, c, q, r, m0, p0):
    y = np.asarray(y, dtype=np.float32)
    means = np.zeros(len(y), dtype=np.float32)
    variances = np.zeros(len(y), dtype=np.float32)
    m, p = np.float32(m0), np.float32(p0)
    a, c, q, r = np.float32(a), np.float32(c), np.float32(q), np.float32(r)
    for t in range(len(y)):
        m_pred = a * m
        p_pred = a * a * p + q
        s = c * c * p_pred + r
        gain = c * p_pred / s
        m = m_pred + gain * (y[t] - c * m_pred)
        p = (np.float32(1) - gain * c) * p_pred
        means[t] = m
        variances[t] = p
    return means, variances


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "a-not-squared",
            diagnosis=(
                "Your predicted variance is a P + sigma_w^2: a variance scales with the square of "
                "the coefficient, Var[a x] = a^2 Var[x]."
            ),
            fix="P^- = a**2 * P + process_var.",
            wrong=_a_not_squared,
        ),
        Mistake(
            "gain-without-c",
            diagnosis=(
                "Your gain is P^- / (c^2 P^- + sigma_v^2), without the factor c on top: it is "
                "wrong whenever c != 1, with the wrong sign for a negative c."
            ),
            fix="K = c * P^- / (c**2 * P^- + obs_var).",
            wrong=_gain_without_c,
        ),
        Mistake(
            "innovation-without-c",
            diagnosis=(
                "Your innovation is y_t - m^-: the measurement predicts c times the state, so the "
                "surprise is y_t - c m^-."
            ),
            fix="m = m^- + K * (y[t] - c * m^-).",
            wrong=_innovation_without_c,
        ),
        Mistake(
            "stores-predictions",
            diagnosis=(
                "You return the predictions (m^-, P^-) of each step, before y_t is used; the "
                "result should be the beliefs after each update."
            ),
            fix="Store m and P after the update step.",
            wrong=_stores_predictions,
        ),
        Mistake(
            "stores-previous-belief",
            diagnosis=(
                "Each stored belief is the one before y_t is processed (starting with the prior "
                "m0, P0): your results lag one step behind."
            ),
            fix="Record m and P at the end of the loop body, after the update with y_t.",
            wrong=_stores_previous,
        ),
        Mistake(
            "update-before-predict",
            diagnosis=(
                "Each step updates with y_t before predicting: y_1 is applied to the prior of "
                "x_0, and what you store is the prediction for the next step."
            ),
            fix="Predict first (m^- = a m, P^- = a^2 P + sigma_w^2), then update with y_t.",
            wrong=_update_then_predict,
        ),
        Mistake(
            "float32-cancellation",
            diagnosis=(
                "You compute in float32 with P = (1 - K c) P^-: when c^2 P^- is much larger than "
                "sigma_v^2, K c rounds to exactly 1 and the variance to 0 (the flat prior)."
            ),
            fix="Use P = P^- * obs_var / (c**2 * P^- + obs_var), or compute in float64.",
            wrong=_float32_cancellation,
        ),
    ]


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
    fig.add_scatter(
        x=t,
        y=y,
        mode="markers",
        name="measurements y_t",
        marker={"color": plots.NEUTRAL, "size": 4},
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
