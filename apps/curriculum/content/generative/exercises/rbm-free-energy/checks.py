import itertools

import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

WORKED = (np.array([[2.0], [-1.0]]), np.zeros(2), np.array([-0.5]))


def _all_v(D: int) -> np.ndarray:
    return np.array(list(itertools.product([0.0, 1.0], repeat=D)))


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


def _difference_atol(g: Grader) -> float:
    # log p(v) = -F(v) - log Z subtracts two numbers of size max|F| (about 1250 here): a
    # correct float32 computation is off by about max|F| x 1e-7, absolutely.
    return 1e-5 * float(np.abs(g.expected("fe-large")).max())


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
        ("ll-row", "a single row", 1),
    ]:
        g.check_close(name, key, points=points)
    g.check_close(
        "log-likelihood with large weights", "ll-large", atol=_difference_atol(g), points=1
    )


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _rbm(
    *,
    bias_sign=-1.0,
    hidden_bias=True,
    naive_softplus=False,
    mean_hidden=False,
    naive_logz=False,
    ll_sign=-1.0,
):
    """The three functions with one thing changed, as {name: function}."""

    def free_energy(V, W, b, c):
        V = np.asarray(V, dtype=float)
        x = V @ W + (c if hidden_bias else 0.0)
        with np.errstate(over="ignore"):
            soft = np.log(1 + np.exp(x)) if naive_softplus else np.logaddexp(0.0, x)
        hidden = soft.mean(axis=1) if mean_hidden else soft.sum(axis=1)
        return bias_sign * (V @ b) - hidden

    def log_partition(W, b, c):
        neg = -free_energy(_all_v(np.asarray(W).shape[0]), W, b, c)
        with np.errstate(over="ignore", invalid="ignore"):
            if naive_logz:
                return float(np.log(np.sum(np.exp(neg))))
            m = neg.max()
            return float(m + np.log(np.sum(np.exp(neg - m))))

    def average_log_likelihood(V, W, b, c):
        with np.errstate(invalid="ignore"):
            return float(np.mean(ll_sign * free_energy(V, W, b, c)) - log_partition(W, b, c))

    return {
        "free_energy": free_energy,
        "log_partition": log_partition,
        "average_log_likelihood": average_log_likelihood,
    }


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "naive-softplus",
            diagnosis=(
                "You write the softplus as np.log(1 + np.exp(x)): for weights of size 250 the "
                "hidden input reaches about 1250 and np.exp overflows to inf."
            ),
            fix="Use np.logaddexp(0, x), which equals log(1 + e^x) without overflow.",
            wrong=_rbm(naive_softplus=True),
        ),
        Mistake(
            "naive-log-partition",
            diagnosis=(
                "You compute log Z as log(sum(exp(-F))): free energies near -1250 make exp "
                "overflow to inf."
            ),
            fix="Use the log-sum-exp: m = max(-F), log Z = m + log(sum(exp(-F - m))).",
            wrong={name: fn for name, fn in _rbm(naive_logz=True).items() if name != "free_energy"},
        ),
        Mistake(
            "loglik-sign-of-f",
            diagnosis=(
                "Your log-likelihood uses +F(v) - log Z; p(v) = exp(-F(v)) / Z, so "
                "log p(v) = -F(v) - log Z."
            ),
            fix="Return np.mean(-free_energy(V, W, b, c)) - log_partition(W, b, c).",
            wrong={"average_log_likelihood": _rbm(ll_sign=1.0)["average_log_likelihood"]},
        ),
        Mistake(
            "hidden-bias-missing",
            diagnosis=(
                "Your softplus argument leaves out the hidden biases: it is c_j + (W^T v)_j, "
                "not (W^T v)_j."
            ),
            fix="Use V @ W + c inside the softplus.",
            wrong=_rbm(hidden_bias=False),
        ),
        Mistake(
            "softplus-mean-over-hidden",
            diagnosis=(
                "You average the softplus terms over the hidden units; the free energy sums "
                "them over j = 1..H."
            ),
            fix="Use .sum(axis=-1) over the hidden units.",
            wrong=_rbm(mean_hidden=True),
        ),
        Mistake(
            "visible-bias-sign",
            diagnosis=(
                "Your free energy adds b.v instead of subtracting it: "
                "F(v) = -b.v - sum_j softplus(c_j + (W^T v)_j)."
            ),
            fix="Use -V @ b.",
            wrong=_rbm(bias_sign=1.0),
        ),
    ]


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
