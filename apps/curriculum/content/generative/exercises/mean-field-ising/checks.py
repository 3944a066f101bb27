import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

F_RTOL, F_ATOL, M_ATOL = 1e-5, 1e-6, 1e-5
CURVE_BETA = np.linspace(0.05, 0.6, 56)  # J = 1, z = 4: the transition is at beta = 0.25
CURVE_M = np.linspace(-1.0, 1.0, 81)


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


def grade(g: Grader) -> None:
    # The prompt's promise: free energies to 1e-5 relative and 1e-6 absolute, magnetisations to
    # 1e-5 absolute (an iterate near the critical point is small, and its error is absolute).
    def free(name: str, key: str, points: float) -> None:
        g.check_close(name, key, rtol=F_RTOL, atol=F_ATOL, points=points)

    def mag(name: str, key: str, points: float) -> None:
        g.check_close(name, key, rtol=0.0, atol=M_ATOL, points=points)

    free("free energy at random magnetisations", "free", 2)
    free("free energy is finite at m = -1 and m = 1", "free-ends", 2)
    free("free energy near zero temperature", "free-cold", 1)
    free("free energy at very high temperature, any shape", "free-hot", 1)
    free("free energy curve", "free-curve", 1)
    mag("magnetisation around the transition", "mag", 2)
    mag("magnetisation curve m(beta)", "mag-curve", 1)
    mag("slow convergence at the critical point", "mag-critical", 1)
    mag("m0 = 0 stays at the unstable solution", "mag-zero", 1)
    mag("metastable branch against the field", "mag-metastable", 1)
    mag("exactly n_iter steps", "mag-few", 1)
    mag("n_iter = 0", "mag-none", 1)
    mag("very low temperature", "mag-cold", 1)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _xlogx(x, *, masked=True):
    x = np.asarray(x, dtype=float)
    if not masked:
        with np.errstate(divide="ignore", invalid="ignore"):
            return x * np.log(x)
    return np.where(x > 0, x * np.log(np.where(x > 0, x, 1.0)), 0.0)


def _free_energy(*, masked=True, halves=True, energy_half=0.5, entropy_sign=1.0):
    def free_energy(m, beta, J, z, h):
        m = np.asarray(m, dtype=float)
        if halves:
            ent = _xlogx((1 + m) / 2, masked=masked) + _xlogx((1 - m) / 2, masked=masked)
        else:
            ent = (1 + m) / 2 * np.log(np.where(1 + m > 0, 1 + m, 1.0)) + (1 - m) / 2 * np.log(
                np.where(1 - m > 0, 1 - m, 1.0)
            )
        return -energy_half * J * z * m**2 - h * m + entropy_sign * ent / beta

    return {"mean_field_free_energy": free_energy}


def _magnetisation(*, field_outside=False, extra=0, stop_below=None):
    def magnetisation(beta, J, z, h, m0, n_iter):
        beta = np.asarray(beta, dtype=float)
        m = np.full(beta.shape, float(m0))
        for _ in range(int(n_iter) + extra):
            new = (
                np.tanh(beta * J * z * m + h) if field_outside else np.tanh(beta * (J * z * m + h))
            )
            done = stop_below is not None and np.max(np.abs(new - m)) < stop_below
            m = new
            if done:
                break
        return m

    return {"mean_field_magnetisation": magnetisation}


_reference_free_energy = _free_energy()["mean_field_free_energy"]


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "nan-at-pm1",
            diagnosis=(
                "Your entropy term computes x * log(x) directly, so at m = -1 or m = 1 one of the "
                "probabilities (1 +- m)/2 is 0 and 0 * log 0 gives NaN."
            ),
            fix="Use the convention 0 log 0 = 0: np.where(x > 0, x * np.log(x), 0.0) with a safe log.",
            wrong=_free_energy(masked=False),
        ),
        Mistake(
            "log-without-halves",
            diagnosis=(
                "Your entropy uses (1 + m)/2 log(1 + m) + (1 - m)/2 log(1 - m): the 1/2 inside the "
                "logarithms is missing, which shifts f by log 2 / beta."
            ),
            fix="The probabilities of the two spin states are (1 +- m)/2: use log((1 +- m)/2).",
            wrong=_free_energy(halves=False),
        ),
        Mistake(
            "energy-missing-half",
            diagnosis=(
                "Your energy per spin is -J z m^2; each of the N z / 2 edges is shared by two "
                "spins, so it is -J z m^2 / 2."
            ),
            fix="Use -0.5 * J * z * m**2.",
            wrong=_free_energy(energy_half=1.0),
        ),
        Mistake(
            "entropy-sign",
            diagnosis=(
                "Your entropy term is subtracted: f = E - T H and -H is the sum of q log q, so the "
                "bracket of q log q terms is added (it is negative)."
            ),
            fix="Return energy + (sum of q log q) / beta.",
            wrong=_free_energy(entropy_sign=-1.0),
        ),
        Mistake(
            "field-not-times-beta",
            diagnosis=(
                "Your iteration uses tanh(beta J z m + h): the field must be multiplied by beta "
                "too, tanh(beta (J z m + h))."
            ),
            fix="Put the field inside the bracket: np.tanh(beta * (J * z * m + h)).",
            wrong=_magnetisation(field_outside=True),
        ),
        Mistake(
            "one-extra-iteration",
            diagnosis="Your loop applies the map n_iter + 1 times; apply it exactly n_iter times.",
            fix="for _ in range(n_iter).",
            wrong=_magnetisation(extra=1),
        ),
        Mistake(
            "stops-at-convergence",
            diagnosis=(
                "Your iteration stops once successive values change by less than a threshold; "
                "the task asks for exactly n_iter steps, which differs where convergence is slow "
                "(near the critical point)."
            ),
            fix="Apply the map exactly n_iter times, without a stopping test.",
            wrong=_magnetisation(stop_below=1e-6),
        ),
    ]


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
    free.add_scatter(
        x=[-0.9575, 0.9575],
        y=list(_reference_free_energy(np.array([-0.9575, 0.9575]), 0.5, 1.0, 4, 0.0)),
        mode="markers",
        name="roots of m = tanh(2m)",
        marker={"color": plots.NEUTRAL, "size": 8},
    )
    g.figure(free)
