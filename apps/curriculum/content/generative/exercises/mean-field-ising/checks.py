import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots

F_RTOL, F_ATOL, M_ATOL = 1e-5, 1e-6, 1e-5
CURVE_BETA = np.linspace(0.05, 0.6, 56)  # J = 1, z = 4: the transition is at beta = 0.25
CURVE_M = np.linspace(-1.0, 1.0, 81)


def _xlogx(x, base=np.e):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x * np.log(np.where(x > 0, x, 1.0)) / np.log(base), 0.0)


def _free(m, beta, J, z, h, variant=""):
    m = np.asarray(m, dtype=float)
    if variant == "no-halves":
        ent = _xlogx(1 + m) + _xlogx(1 - m)
    else:
        ent = _xlogx((1 + m) / 2, 2.0 if variant == "bits" else np.e) + _xlogx(
            (1 - m) / 2, 2.0 if variant == "bits" else np.e
        )
    energy = -J * z * m**2 if variant == "no-half-energy" else -0.5 * J * z * m**2
    sign = -1.0 if variant == "entropy-sign" else 1.0
    temp = beta if variant == "times-beta" else 1.0 / beta
    return energy - h * m + sign * temp * ent


def _magnet(beta, J, z, h, m0, n, variant=""):
    beta = np.asarray(beta, dtype=float)
    m = np.full(beta.shape, float(m0))
    steps = n + {"one-more": 1, "one-less": -1}.get(variant, 0)
    for _ in range(max(steps, 0)):
        if variant == "no-z":
            m = np.tanh(beta * (J * m + h))
        elif variant == "h-outside":
            m = np.tanh(beta * J * z * m + h)
        else:
            m = np.tanh(beta * (J * z * m + h))
    return m


FREE_SLIPS = {
    "entropy-sign": "the entropy term has the wrong sign: f = E - T H, and -H = sum of q log q, "
    "so the bracket of q log q terms is added",
    "times-beta": "the entropy term is multiplied by beta; it is multiplied by the temperature 1/beta",
    "no-halves": "the probabilities of the two spin states are (1 + m)/2 and (1 - m)/2, not 1 + m and 1 - m",
    "no-half-energy": "the energy per spin is -J z m^2 / 2: each of the N z / 2 edges is counted once",
    "bits": "use the natural logarithm (nats), not log base 2",
}
MAG_SLIPS = {
    "no-z": "the mean field of the neighbours is J z m: the factor z is missing",
    "h-outside": "the field is inside the bracket: tanh(beta (J z m + h)), so h is multiplied by beta too",
    "one-more": "you applied the map n_iter + 1 times; apply it exactly n_iter times",
    "one-less": "you applied the map n_iter - 1 times; apply it exactly n_iter times",
}


def cases(rng: np.random.Generator) -> list[Call]:
    J, z = float(rng.uniform(0.5, 1.5)), int(rng.choice([2, 4, 6]))
    beta, h = float(rng.uniform(0.2, 2.0)), float(rng.normal(scale=0.3))
    m_random = rng.uniform(-0.99, 0.99, size=12)
    betas = np.sort(rng.uniform(0.2, 3.0, size=8)) / (J * z)
    return [
        Call(
            "free",
            "mean_field_free_energy",
            (m_random, beta, J, z, h),
            label=f"12 magnetisations with beta = {beta:.3f}, J = {J:.3f}, z = {z}, h = {h:.3f}",
        ),
        Call(
            "free-ends",
            "mean_field_free_energy",
            (np.array([-1.0, -0.5, 0.0, 0.5, 1.0]), 1.0, 1.0, 4, 0.2),
            label="m = -1, -0.5, 0, 0.5, 1 (f(+-1) = -Jz/2 -+ h)",
        ),
        Call(
            "free-cold",
            "mean_field_free_energy",
            (m_random, 1e6, J, z, h),
            label="beta = 1e6 (almost zero temperature)",
        ),
        Call(
            "free-hot",
            "mean_field_free_energy",
            (m_random.reshape(3, 4), 1e-3, J, z, h),
            label="beta = 1e-3 (very hot), m of shape (3, 4)",
        ),
        Call(
            "free-curve",
            "mean_field_free_energy",
            (CURVE_M, 0.5, 1.0, 4, 0.0),
            label="81 magnetisations from -1 to 1 at beta J z = 2",
        ),
        Call(
            "mag",
            "mean_field_magnetisation",
            (betas, J, z, h, 1.0, 500),
            label=f"8 temperatures around the transition, J = {J:.3f}, z = {z}, h = {h:.3f}, 500 steps",
        ),
        Call(
            "mag-curve",
            "mean_field_magnetisation",
            (CURVE_BETA, 1.0, 4, 0.0, 1.0, 2000),
            label="beta from 0.05 to 0.6 with J = 1, z = 4, h = 0, m0 = 1, 2000 steps",
        ),
        Call(
            "mag-critical",
            "mean_field_magnetisation",
            (np.array([0.25]), 1.0, 4, 0.0, 1.0, 10000),
            label="the critical point beta J z = 1 after 10000 steps",
        ),
        Call(
            "mag-zero",
            "mean_field_magnetisation",
            (np.array([0.1, 0.5, 2.0]), 1.0, 4, 0.0, 0.0, 100),
            label="m0 = 0 in zero field",
        ),
        Call(
            "mag-metastable",
            "mean_field_magnetisation",
            (np.array([0.5, 1.0]), 1.0, 4, 0.025, -1.0, 300),
            label="beta J z = 2 and 4 with a small upward field, started at m0 = -1",
        ),
        Call(
            "mag-few",
            "mean_field_magnetisation",
            (np.array([0.3, 0.7]), 1.0, 2, 0.1, 0.2, 2),
            label="two steps from m0 = 0.2 (J = 1, z = 2, h = 0.1)",
        ),
        Call(
            "mag-none",
            "mean_field_magnetisation",
            (np.array([0.3, 0.7]), 1.0, 2, 0.1, 0.2, 0),
            label="n_iter = 0 (the start value is returned)",
        ),
        Call(
            "mag-cold",
            "mean_field_magnetisation",
            (np.array([1e4]), 1.0, 4, 0.0, 0.3, 50),
            label="beta = 1e4",
        ),
    ]


def _check(g: Grader, key: str, slips: dict, model, rtol: float, atol: float) -> str | None:
    call = g.call(key)
    want = np.asarray(g.expected(key), dtype=float)
    got = g.array(key, shape=want.shape)
    if np.allclose(got, want, rtol=rtol, atol=atol):
        return None
    where = f"{call.func}() on {call.description}"
    bad = ~np.isfinite(got)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        extra = (
            ": at m = -1 or m = 1 one of the terms is 0 * log 0, which is 0 by convention"
            if call.func == "mean_field_free_energy"
            else ""
        )
        return f"{where} returned NaN or infinity at index {index}{extra}"
    for variant, diagnosis in slips.items():
        if np.allclose(got, model(*call.args, variant=variant), rtol=rtol, atol=atol):
            return f"{where}: {diagnosis}"
    error = np.abs(got - want)
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(error)), error.shape))
    return f"{where} is off at index {index}: expected {want[index]:.6g}, got {got[index]:.6g}"


def grade(g: Grader) -> None:
    def free(key: str):
        return lambda: _check(g, key, FREE_SLIPS, _free, F_RTOL, F_ATOL)

    def mag(key: str):
        return lambda: _check(g, key, MAG_SLIPS, _magnet, 0.0, M_ATOL)

    g.custom("free energy at random magnetisations", free("free"), points=2)
    g.custom("free energy is finite at m = -1 and m = 1", free("free-ends"), points=2)
    g.custom("free energy near zero temperature", free("free-cold"), points=1)
    g.custom("free energy at very high temperature, any shape", free("free-hot"), points=1)
    g.custom("free energy curve", free("free-curve"), points=1)
    g.custom("magnetisation around the transition", mag("mag"), points=2)
    g.custom("magnetisation curve m(beta)", mag("mag-curve"), points=1)
    g.custom("slow convergence at the critical point", mag("mag-critical"), points=1)
    g.custom("m0 = 0 stays at the unstable solution", mag("mag-zero"), points=1)
    g.custom("metastable branch against the field", mag("mag-metastable"), points=1)
    g.custom("exactly n_iter steps", mag("mag-few"), points=1)
    g.custom("n_iter = 0", mag("mag-none"), points=1)
    g.custom("very low temperature", mag("mag-cold"), points=1)


def figures(g: Grader) -> None:
    fig = plots.compare_lines(
        1.0 / CURVE_BETA,
        g.try_array("mag-curve"),
        g.expected("mag-curve"),
        title="mean-field magnetisation against temperature (J = 1, z = 4: T_c = 4)",
        x_label="temperature T = 1/β",
        y_label="m",
    )
    fig.add_vline(x=4.0, line={"color": plots.NEUTRAL, "dash": "dot"})
    g.figure(fig)
    free = plots.compare_lines(
        CURVE_M,
        g.try_array("free-curve"),
        g.expected("free-curve"),
        title="mean-field free energy per spin at βJz = 2: two minima, a maximum at m = 0",
        x_label="m",
        y_label="f(m)",
    )
    free.add_trace(
        go.Scatter(
            x=[-0.9575, 0.9575],
            y=list(_free(np.array([-0.9575, 0.9575]), 0.5, 1.0, 4, 0.0)),
            mode="markers",
            name="roots of m = tanh(2m)",
            marker={"color": plots.NEUTRAL, "size": 8},
        )
    )
    g.figure(free)
