import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, Mistake, PlainFigure, plots

RTOL, ATOL = 1e-4, 1e-6  # ATOL applies after dividing by the reference's largest entry
CART_DT = 0.1


def _riccati(A, B, Q, R, Qf, N):
    n, m = B.shape
    P = np.empty((N + 1, n, n))
    K = np.empty((N, m, n))
    P[N] = Qf
    for t in range(N - 1, -1, -1):
        K[t] = np.linalg.solve(R + B.T @ P[t + 1] @ B, B.T @ P[t + 1] @ A)
        closed = A - B @ K[t]
        P[t] = Q + K[t].T @ R @ K[t] + closed.T @ P[t + 1] @ closed
    return K, P


def _spd(rng, n, floor):
    M = rng.normal(size=(n, n))
    return M @ M.T / n + floor * np.eye(n)


def _cart():
    A = np.array([[1.0, CART_DT], [0.0, 1.0]])
    B = np.array([[0.0], [CART_DT]])
    Q = np.diag([1.0, 0.1])
    return A, B, Q, np.array([[0.1]]), Q.copy()


def cases(rng: np.random.Generator) -> list[Call]:
    n, m = 3, 2
    A = rng.normal(size=(n, n))
    A *= 1.1 / np.abs(np.linalg.eigvals(A)).max()
    B = rng.normal(size=(n, m))
    Q, R, Qf = _spd(rng, n, 0.1), _spd(rng, m, 0.5), 2 * _spd(rng, n, 0.1)
    A2, B2 = rng.normal(size=(2, 2)), rng.normal(size=(2, 1))
    unstable = np.array([[1.5, 1.0], [0.0, 0.8]]) + 0.05 * rng.normal(size=(2, 2))
    ones = np.ones((1, 1))
    cart = _cart()
    K_random = _riccati(A, B, Q, R, Qf, 12)[0]
    K_cart = _riccati(*cart, 80)[0]
    x0 = rng.normal(size=n)
    return [
        Call("random", "lqr_gains", (A, B, Q, R, Qf, 12), label="3 states, 2 inputs, N = 12"),
        Call(
            "scalar",
            "lqr_gains",
            (ones, ones, ones, ones, ones, 8),
            label="the scalar example a = b = q = r = q_f = 1, N = 8",
        ),
        Call("cart", "lqr_gains", (*cart, 80), label="the cart of the lesson, N = 80"),
        Call(
            "one-step",
            "lqr_gains",
            (A2, B2, _spd(rng, 2, 0.1), np.array([[0.7]]), _spd(rng, 2, 0.1), 1),
            label="a horizon of one step",
        ),
        Call(
            "zero-cost",
            "lqr_gains",
            (A, B, np.zeros((n, n)), R, np.zeros((n, n)), 5),
            label="Q = Qf = 0",
        ),
        Call(
            "expensive",
            "lqr_gains",
            (A, B, Q, 1e8 * np.eye(m), Qf, 6),
            label="a very expensive input, R = 1e8 I",
        ),
        Call(
            "unstable",
            "lqr_gains",
            (unstable, np.array([[0.0], [1.0]]), np.eye(2), np.array([[1.0]]), np.eye(2), 150),
            label="an unstable system (eigenvalue near 1.5) over N = 150",
        ),
        Call(
            "roll-random",
            "lqr_rollout",
            (A, B, Q, R, Qf, K_random, x0),
            label="the optimal gains of the 3-state system from a random x0",
        ),
        Call(
            "roll-cart",
            "lqr_rollout",
            (*cart, K_cart, np.array([1.0, 0.0])),
            label="the cart from x0 = (1, 0) under its optimal gains",
        ),
        Call(
            "roll-arbitrary",
            "lqr_rollout",
            (A, B, Q, R, Qf, 0.3 * rng.normal(size=(7, m, n)), x0),
            label="arbitrary (non-optimal) gains over 7 steps",
        ),
        Call(
            "roll-zero",
            "lqr_rollout",
            (A, B, Q, R, Qf, np.zeros((4, m, n)), x0),
            label="zero gains: the system runs on its own for 4 steps",
        ),
    ]


def _scaled_close(got: np.ndarray, want: np.ndarray) -> bool:
    scale = float(np.max(np.abs(want))) or 1.0
    return bool(np.allclose(got / scale, want / scale, rtol=RTOL, atol=ATOL))


def _gains(g: Grader, key: str) -> str | None:
    call = g.call(key)
    where = f"lqr_gains() on {call.description}"
    parts = [g.array(key, i, what=f"{where}, item {i} ({'K' if i == 0 else 'P'})") for i in (0, 1)]
    wants = [np.asarray(g.expected(key, i)) for i in (0, 1)]
    if all(_scaled_close(got, want) for got, want in zip(parts, wants, strict=True)):
        return None
    if not all(np.all(np.isfinite(p)) for p in parts):
        return f"{where} returned NaN or infinite values"
    name, got, want = next(
        (n, p, w)
        for n, p, w in zip(("K", "P"), parts, wants, strict=True)
        if not _scaled_close(p, w)
    )
    error = np.abs(got - want)
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(error)), error.shape))
    return f"{where}: {name}{list(index)} should be {want[index]:.6g}, but is {got[index]:.6g}" + (
        "; the first step back from P[N] = Qf is already off"
        if name == "K" and index[0] == want.shape[0] - 1
        else ""
    )


def _stabilises(g: Grader) -> str | None:
    K = g.array("unstable", 0)
    A, B = g.arg("unstable", 0), g.arg("unstable", 1)
    radius = float(np.abs(np.linalg.eigvals(A - B @ K[0])).max())
    if not np.isfinite(radius) or radius >= 1.0:
        return (
            f"with your first gain K[0] the closed loop A - B K[0] has spectral radius {radius:.6g}, "
            "so the system is not stabilised"
        )
    return None


def _rollout_check(g: Grader, key: str) -> str | None:
    call = g.call(key)
    where = f"lqr_rollout() on {call.description}"
    names = ("states", "inputs", "cost")
    got = [g.array(key, i, what=f"{where}, item {i} ({names[i]})") for i in range(3)]
    want = [np.asarray(g.expected(key, i)) for i in range(3)]
    if all(_scaled_close(a, b) for a, b in zip(got, want, strict=True)):
        return None
    for name, a, b in zip(names, got, want, strict=True):
        if not _scaled_close(a, b):
            if a.ndim == 0:
                return f"{where}: the cost should be {float(b):.6g}, but is {float(a):.6g}"
            error = np.abs(a - b)
            index = tuple(int(i) for i in np.unravel_index(int(np.argmax(error)), error.shape))
            return f"{where}: {name}{list(index)} should be {b[index]:.6g}, but is {a[index]:.6g}"
    return None


def _value_identity(g: Grader) -> str | None:
    P = g.array("random", 1)
    x0 = g.arg("roll-random", 6)
    cost = g.scalar("roll-random", 2)
    value = float(x0 @ P[0] @ x0)
    if not np.isclose(cost, value, rtol=1e-4, atol=1e-8):
        raise CheckFailed(
            f"for the 3-state system your rolled-out cost is {cost:.6g} but x0^T P[0] x0 from your "
            f"lqr_gains() is {value:.6g}; for the optimal gains the two must agree"
        )
    return None


def grade(g: Grader) -> None:
    g.custom("gains and value matrices of a 3-state system", lambda: _gains(g, "random"), points=2)
    g.custom("the scalar example approaches 0.618", lambda: _gains(g, "scalar"), points=1)
    g.custom("the cart", lambda: _gains(g, "cart"), points=1)
    g.custom("a horizon of one step", lambda: _gains(g, "one-step"), points=1)
    g.custom("zero state costs give zero gains", lambda: _gains(g, "zero-cost"), points=1)
    g.custom("a very expensive input", lambda: _gains(g, "expensive"), points=1)
    g.custom("a long horizon on an unstable system", lambda: _gains(g, "unstable"), points=1)
    g.custom("the first gain stabilises the unstable system", lambda: _stabilises(g), points=1)
    g.custom("rollout under the optimal gains", lambda: _rollout_check(g, "roll-random"), points=2)
    g.custom("rollout of the cart", lambda: _rollout_check(g, "roll-cart"), points=1)
    g.custom("rollout under arbitrary gains", lambda: _rollout_check(g, "roll-arbitrary"), points=1)
    g.custom("rollout with zero gains", lambda: _rollout_check(g, "roll-zero"), points=1)
    g.custom("rolled-out cost equals x0^T P_0 x0", lambda: _value_identity(g), points=1)


# --- known mistakes ------------------------------------------------------------------------
def _arrays(*Ms):
    return (np.asarray(M, dtype=float) for M in Ms)


def _gains_with(A, B, Q, R, Qf, N, gain, value, reverse=False):
    A, B, Q, R, Qf = _arrays(A, B, Q, R, Qf)
    n, m = B.shape
    P = np.zeros((N + 1, n, n))
    K = np.zeros((N, m, n))
    P[N] = Qf
    for i, t in enumerate(reversed(range(N))):
        Kt = gain(A, B, R, P[t + 1])
        K[i if reverse else t] = Kt
        P[t] = value(A, B, Q, R, P[t + 1], Kt)
    return K, P


def _solve_gain(A, B, R, Pn):
    return np.linalg.solve(R + B.T @ Pn @ B, B.T @ Pn @ A)


def _full_value(A, B, Q, R, Pn, K):
    closed = A - B @ K
    return Q + K.T @ R @ K + closed.T @ Pn @ closed


def _gain_without_r(A, B, Q, R, Qf, N):
    def gain(A, B, R, Pn):
        return np.linalg.lstsq(B.T @ Pn @ B, B.T @ Pn @ A, rcond=None)[0]

    return _gains_with(A, B, Q, R, Qf, N, gain, _full_value)


def _reversed_gains(A, B, Q, R, Qf, N):
    return _gains_with(A, B, Q, R, Qf, N, _solve_gain, _full_value, reverse=True)


def _missing_krk(A, B, Q, R, Qf, N):
    def value(A, B, Q, R, Pn, K):
        closed = A - B @ K
        return Q + closed.T @ Pn @ closed

    return _gains_with(A, B, Q, R, Qf, N, _solve_gain, value)


def _rollout_with(A, B, Q, R, Qf, K, x0, sign=-1.0, charge_next=False, final=True):
    A, B, Q, R, Qf, K = _arrays(A, B, Q, R, Qf, K)
    x = np.asarray(x0, dtype=float)
    xs, us, J = [x], [], 0.0
    for t in range(K.shape[0]):
        u = sign * (K[t] @ x)
        if not charge_next:
            J += x @ Q @ x + u @ R @ u
        x = A @ x + B @ u
        if charge_next:
            J += x @ Q @ x + u @ R @ u
        xs.append(x)
        us.append(u)
    if final:
        J += x @ Qf @ x
    return np.array(xs), np.array(us).reshape(K.shape[0], B.shape[1]), float(J)


def _cost_on_next_state(A, B, Q, R, Qf, K, x0):
    return _rollout_with(A, B, Q, R, Qf, K, x0, charge_next=True)


def _plus_input(A, B, Q, R, Qf, K, x0):
    return _rollout_with(A, B, Q, R, Qf, K, x0, sign=1.0)


def _no_final_cost(A, B, Q, R, Qf, K, x0):
    return _rollout_with(A, B, Q, R, Qf, K, x0, final=False)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "gains-reversed",
            diagnosis=(
                "Your gains are stored in the order the backward recursion computes them: K[0] "
                "holds K_(N-1), the gain of the last step."
            ),
            fix="Store K_t at index t (K[t] = ...), so K[0] is the gain applied first.",
            wrong={"lqr_gains": _reversed_gains},
        ),
        Mistake(
            "gain-without-r",
            diagnosis=(
                "Your gain is (B^T P B)^-1 B^T P A: R is missing from the matrix you invert, so "
                "the price of the input is ignored."
            ),
            fix="K_t = np.linalg.solve(R + B.T @ P[t + 1] @ B, B.T @ P[t + 1] @ A).",
            wrong={"lqr_gains": _gain_without_r},
        ),
        Mistake(
            "riccati-missing-krk",
            diagnosis=(
                "Your Riccati step is P_t = Q + (A - B K)^T P (A - B K), without K^T R K: the "
                "cost of the input the gain applies is left out of the value."
            ),
            fix="P_t = Q + K.T @ R @ K + (A - B K).T @ P[t + 1] @ (A - B K).",
            wrong={"lqr_gains": _missing_krk},
        ),
        Mistake(
            "input-sign",
            diagnosis="Your rollout applies u_t = K_t x_t: the feedback is u_t = -K_t x_t.",
            fix="u = -K[t] @ x.",
            wrong={"lqr_rollout": _plus_input},
        ),
        Mistake(
            "cost-on-next-state",
            diagnosis=(
                "You charge the step cost on x_(t+1), after the update, instead of on x_t: "
                "x_0 is never charged and x_N is charged twice."
            ),
            fix="Add x @ Q @ x + u @ R @ u before x = A @ x + B @ u.",
            wrong={"lqr_rollout": _cost_on_next_state},
        ),
        Mistake(
            "no-terminal-cost",
            diagnosis="Your total cost leaves out the final term x_N^T Qf x_N.",
            fix="After the loop add x @ Qf @ x.",
            wrong={"lqr_rollout": _no_final_cost},
        ),
    ]


def figures(g: Grader) -> None:
    t = np.arange(80)
    yours = g.try_array("cart", 0)
    want = g.expected("cart", 0)
    fig = PlainFigure()
    for j, (label, colour) in enumerate([("position", plots.REFERENCE), ("velocity", "#b45309")]):
        fig.add_scatter(
            x=t,
            y=want[:, 0, j],
            name=f"reference gain on {label}",
            line={"color": colour, "width": 3},
        )
        if yours is not None:
            fig.add_scatter(
                x=t,
                y=yours[:, 0, j],
                name=f"your gain on {label}",
                line={"color": plots.LEARNER, "dash": "dash"},
            )
    fig.update_layout(
        title={"text": "LQR gains of the cart over the horizon"},
        xaxis_title="time step t",
        yaxis_title="gain entry",
        height=380,
    )
    g.figure(fig)
    states = g.try_array("roll-cart", 0)
    g.figure(
        plots.compare_lines(
            np.arange(81),
            None if states is None else states[:, 0],
            g.expected("roll-cart", 0)[:, 0],
            title="the cart's position under the optimal gains",
            x_label="time step t",
            y_label="position",
        )
    )
