import itertools

import numpy as np

from apps.sandbox.grading import Call, Grader, plots

RTOL, ATOL = 1e-5, 1e-5
WORKED = (np.array([[2.0], [-1.0]]), np.zeros(2), np.array([-0.5]))


def _all_v(D: int) -> np.ndarray:
    return np.array(list(itertools.product([0.0, 1.0], repeat=D)))


def _free(V, W, b, c, variant=""):
    V = np.asarray(V, dtype=float)
    soft = np.logaddexp(0.0, V @ W + c).sum(axis=-1)
    if variant == "no-visible-bias":
        return -soft
    if variant == "flipped":
        return V @ b + soft
    if variant == "bias-plus":
        return V @ b - soft
    return -V @ b - soft


def _logz(W, b, c, variant=""):
    neg = -_free(_all_v(np.asarray(W).shape[0]), W, b, c)
    if variant == "max-only":
        return float(neg.max())
    if variant == "mean":
        return float(np.logaddexp.reduce(neg) - np.log(len(neg)))
    return float(np.logaddexp.reduce(neg))


def _ll(V, W, b, c, variant=""):
    f = _free(V, W, b, c)
    if variant == "no-logz":
        return float(np.mean(-f))
    if variant == "log-of-mean":
        return float(np.logaddexp.reduce(-f) - np.log(len(f)) - _logz(W, b, c))
    if variant == "sum":
        return float(np.sum(-f) - len(f) * _logz(W, b, c))
    return float(np.mean(-f) - _logz(W, b, c))


SLIPS = {
    "free_energy": (
        _free,
        {
            "flipped": "the sign is flipped: F(v) = -b.v - sum of softplus terms, so it is usually negative",
            "no-visible-bias": "the visible bias term -b.v is missing",
            "bias-plus": "the visible bias enters as -b.v, not +b.v",
        },
    ),
    "log_partition": (
        _logz,
        {
            "max-only": "that is only the largest term, max(-F); log Z is the log-sum-exp over all 2^D vectors",
            "mean": "that is the log of the average of exp(-F); Z is the sum, not the mean",
        },
    ),
    "average_log_likelihood": (
        _ll,
        {
            "no-logz": "log p(v) = -F(v) - log Z: the partition function is missing",
            "log-of-mean": "that is the log of the average probability; average the log-probabilities",
            "sum": "that is the sum over the rows; return the mean",
        },
    ),
}


def _params(rng, D, H, scale):
    return (
        scale * rng.normal(size=(D, H)),
        scale * rng.normal(size=D) * 0.5,
        scale * rng.normal(size=H) * 0.5,
    )


def _binary(rng, N, D):
    return (rng.random((N, D)) < 0.5).astype(float)


def cases(rng: np.random.Generator) -> list[Call]:
    small = _params(rng, 5, 4, 1.0)
    # Fixed signs so that every draw overflows a naive exp: the all-ones vector gives the first
    # hidden unit an input near 1250 and a free energy near -1250.
    signs = np.array([[1, 1, -1], [1, -1, 1], [1, 1, 1], [1, -1, -1], [1, 1, 1]], dtype=float)
    large = (250.0 * signs + rng.normal(size=(5, 3)), rng.normal(size=5), rng.normal(size=3))
    ones_first = np.vstack([np.ones((1, 5)), _binary(rng, 5, 5)])
    six = _params(rng, 6, 3, 1.0)
    fig_params = _params(rng, 4, 2, 1.5)
    data = _binary(rng, 10, 6)
    return [
        Call("fe", "free_energy", (_binary(rng, 6, 5), *small), label="6 vectors, D = 5, H = 4"),
        Call(
            "fe-large",
            "free_energy",
            (ones_first, *large),
            label="weights of size 250 (a hidden input near 1250)",
        ),
        Call("fe-worked", "free_energy", (_all_v(2), *WORKED), label="the lesson's worked example"),
        Call(
            "fe-one-unit",
            "free_energy",
            (
                np.array([[0.0], [1.0], [1.0]]),
                np.array([[0.7, -1.2]]),
                np.array([0.3]),
                np.array([0.1, -0.4]),
            ),
            label="a single visible unit (D = 1), V of shape (3, 1)",
        ),
        Call(
            "fe-zero",
            "free_energy",
            (_binary(rng, 4, 3), np.zeros((3, 2)), np.zeros(3), np.zeros(2)),
            label="all-zero parameters (F = -H log 2)",
        ),
        Call("logz", "log_partition", six, label="D = 6, H = 3"),
        Call("logz-large", "log_partition", large, label="weights of size 250"),
        Call("logz-worked", "log_partition", WORKED, label="the lesson's worked example"),
        Call(
            "logz-zero",
            "log_partition",
            (np.zeros((4, 3)), np.zeros(4), np.zeros(3)),
            label="all-zero parameters, D = 4, H = 3 (log Z = 7 log 2)",
        ),
        Call("ll", "average_log_likelihood", (data, *six), label="10 random vectors, D = 6"),
        Call(
            "ll-large",
            "average_log_likelihood",
            (ones_first, *large),
            label="weights of size 250",
        ),
        Call(
            "ll-row",
            "average_log_likelihood",
            (np.array([[1.0, 0.0]]), *WORKED),
            label="the single row v = (1, 0) of the worked example (log 0.5)",
        ),
        Call("fig-fe", "free_energy", (_all_v(4), *fig_params), label="all 16 vectors, D = 4"),
        Call("fig-logz", "log_partition", fig_params, label="D = 4, H = 2"),
    ]


def _check(g: Grader, key: str) -> str | None:
    call = g.call(key)
    want = np.asarray(g.expected(key), dtype=float)
    got = g.array(key, shape=want.shape)
    if np.allclose(got, want, rtol=RTOL, atol=ATOL):
        return None
    where = f"{call.func}() on {call.description}"
    if not np.all(np.isfinite(got)):
        return (
            f"{where} returned an infinity or NaN: np.exp overflows above about 709, so compute "
            "softplus as np.logaddexp(0, x) and sums of exponentials as a log-sum-exp"
        )
    model, slips = SLIPS[call.func]
    for variant, diagnosis in slips.items():
        if np.allclose(got, model(*call.args, variant=variant), rtol=RTOL, atol=ATOL):
            return f"{where}: {diagnosis}"
    if got.ndim:
        index = int(np.argmax(np.abs(got - want)))
        return f"{where}: entry {index} should be {want[index]:.6g}, but is {got[index]:.6g}"
    return f"{where} should be {float(want):.6g}, but is {float(got):.6g}"


def grade(g: Grader) -> None:
    for key, name, points in [
        ("fe", "free energy of random vectors", 2),
        ("fe-large", "free energy stays finite for large weights", 1),
        ("fe-worked", "free energy of the worked example", 1),
        ("fe-one-unit", "a single visible unit", 1),
        ("fe-zero", "all-zero parameters", 1),
        ("logz", "log partition function by enumeration", 2),
        ("logz-large", "log Z stays finite for large weights", 1),
        ("logz-worked", "log Z of the worked example is 2.3943", 1),
        ("logz-zero", "log Z of all-zero parameters", 1),
        ("ll", "average log-likelihood of a data set", 2),
        ("ll-large", "log-likelihood with large weights", 1),
        ("ll-row", "a single row", 1),
    ]:
        g.custom(name, lambda key=key: _check(g, key), points=points)


def figures(g: Grader) -> None:
    labels = ["".join(str(int(x)) for x in row) for row in _all_v(4)]
    want = np.exp(-g.expected("fig-fe") - g.expected("fig-logz"))
    fe = g.try_array("fig-fe")
    logz = g.try_array("fig-logz", shape=())
    yours = None if fe is None or logz is None else np.exp(-fe - float(logz))
    g.figure(
        plots.compare_bars(
            labels,
            yours,
            want,
            title="p(v) = exp(-F(v) - log Z) over all 16 visible vectors of a D = 4 RBM",
            y_label="probability",
        )
    )
