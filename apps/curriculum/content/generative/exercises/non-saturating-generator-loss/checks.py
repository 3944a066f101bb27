import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, plots

CURVE = np.linspace(-10.0, 10.0, 81)
EXTREME = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])


def cases(rng: np.random.Generator) -> list[Call]:
    random = 3.0 * rng.normal(size=8)
    confident = -8.0 + 0.5 * rng.normal(size=6)
    one = np.array([float(rng.normal(scale=2.0))])
    calls = []
    for prefix, func in [("mm", "minimax_generator_loss"), ("ns", "non_saturating_generator_loss")]:
        calls += [
            Call(f"{prefix}-random", func, (random,), label="8 random logits"),
            Call(f"{prefix}-extreme", func, (EXTREME,), label="the logits -1000, -50, 0, 50, 1000"),
            Call(
                f"{prefix}-confident",
                func,
                (confident,),
                label="confident rejections, logits near -8",
            ),
            Call(f"{prefix}-zero", func, (np.zeros(4),), label="four logits of 0 (D = 0.5)"),
            Call(f"{prefix}-one", func, (one,), label="a batch of one"),
            Call(f"{prefix}-curve", func, (CURVE,), label="81 logits from -10 to 10"),
        ]
    return calls


def grade(g: Grader) -> None:
    for prefix, label in [("mm", "minimax"), ("ns", "non-saturating")]:
        for case, what, points in [
            ("random", "random logits", 2),
            ("extreme", "stable at +-50 and +-1000", 2),
            ("confident", "confident rejections", 1),
            ("zero", "logits of 0", 1),
            ("one", "a batch of one", 1),
            ("curve", "logits from -10 to 10", 1),
        ]:
            key = f"{prefix}-{case}"
            g.check_close(f"{label} loss: {what}", key, 0, points=points / 2)
            g.check_close(f"{label} gradient: {what}", key, 1, points=points / 2)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _sig(x):
    return np.exp(-np.logaddexp(0.0, -x))


def _losses(logits, *, naive=False, total=False, mm_sign=1.0, ns_sign=1.0, scale=1, swap=False):
    """Both (loss, grad) pairs with one thing changed; returns {function name: (loss, grad)}."""
    x = np.asarray(logits, dtype=float)
    n = x.shape[0]
    reduce = np.sum if total else np.mean
    with np.errstate(divide="ignore", over="ignore"):
        mm = reduce(np.log(1.0 - _sig(x))) if naive else reduce(-np.logaddexp(0.0, x))
        ns = reduce(-np.log(_sig(x))) if naive else reduce(np.logaddexp(0.0, -x))
    if scale == "batch":  # the gradient of the sum: no 1/N
        scale = n
    mm_grad, ns_grad = -_sig(x) * scale / n, -_sig(-x) * scale / n
    if swap:
        mm_grad, ns_grad = ns_grad, mm_grad
    return {
        "minimax_generator_loss": (mm_sign * float(mm), mm_sign * mm_grad),
        "non_saturating_generator_loss": (float(ns), ns_sign * ns_grad),
    }


def _both(**change):
    return {
        name: (lambda logits, name=name: _losses(logits, **change)[name])
        for name in ("minimax_generator_loss", "non_saturating_generator_loss")
    }


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "naive-logs",
            diagnosis=(
                "You compute the losses as log(1 - sigmoid(l)) and -log(sigmoid(l)): for logits "
                "of +-50 and +-1000 sigmoid rounds to exactly 0 or 1 and the log is -inf or inf, "
                "while the true losses are finite (-log sigmoid(-1000) = 1000)."
            ),
            fix=(
                "Write log(1 - sigmoid(l)) = -np.logaddexp(0, l) and -log(sigmoid(l)) = "
                "np.logaddexp(0, -l)."
            ),
            wrong=_both(naive=True),
        ),
        Mistake(
            "minimax-sign",
            diagnosis=(
                "Your minimax loss is the mean of -log(1 - D) = softplus(l) with gradient "
                "+sigmoid(l)/N: that is the discriminator's loss on fakes. The generator's "
                "minimax loss is the mean of log(1 - D), negative, with derivative -sigmoid(l)/N."
            ),
            fix="loss = np.mean(-np.logaddexp(0, l)), grad = -sigmoid(l) / N.",
            wrong={"minimax_generator_loss": _both(mm_sign=-1.0)["minimax_generator_loss"]},
        ),
        Mistake(
            "ns-gradient-sign",
            diagnosis=(
                "Your non-saturating gradient is +(1 - sigmoid(l))/N: the derivative of "
                "-log sigmoid(l) is -(1 - sigmoid(l)), since raising the logit lowers the loss."
            ),
            fix="grad = -(1 - sigmoid(l)) / N = -sigmoid(-l) / N.",
            wrong={
                "non_saturating_generator_loss": _both(ns_sign=-1.0)[
                    "non_saturating_generator_loss"
                ]
            },
        ),
        Mistake(
            "gradients-swapped",
            diagnosis=(
                "Your two gradients are swapped: the minimax loss has derivative -sigmoid(l)/N "
                "(which vanishes as D goes to 0) and the non-saturating one -(1 - sigmoid(l))/N."
            ),
            fix="Give each loss its own derivative.",
            wrong=_both(swap=True),
        ),
        Mistake(
            "gradient-without-mean",
            diagnosis=(
                "Your gradients are those of the sum over the batch: the loss is a mean, so each "
                "derivative carries a factor 1/N (every entry is N times too large)."
            ),
            fix="Divide each derivative by N = len(logits).",
            wrong=_both(scale="batch"),
        ),
        Mistake(
            "loss-sum",
            diagnosis=(
                "Your losses are summed over the batch instead of averaged: each is N times the "
                "mean (the gradients are right)."
            ),
            fix="Use np.mean for the losses.",
            wrong=_both(total=True),
        ),
    ]


def figures(g: Grader) -> None:
    n = len(CURVE)
    fig = PlainFigure()
    for prefix, label, colour in [
        ("mm", "minimax", plots.NEUTRAL),
        ("ns", "non-saturating", plots.REFERENCE),
    ]:
        fig.add_scatter(
            x=CURVE,
            y=-n * np.asarray(g.expected(f"{prefix}-curve", 1)),
            name=f"{label}, reference",
            line={"color": colour, "width": 3},
        )
        yours = g.try_array(f"{prefix}-curve", 1)
        if yours is not None:
            fig.add_scatter(
                x=CURVE,
                y=-n * yours,
                name=f"{label}, yours",
                line={"color": plots.LEARNER, "dash": "dash" if prefix == "mm" else "dot"},
            )
    fig.update_layout(
        title={"text": "per-sample gradient size -N dL/dℓ: the minimax loss saturates as D → 0"},
        xaxis_title="discriminator logit ℓ on a generated sample",
        yaxis_title="-N dL/dℓ",
        height=400,
    )
    g.figure(fig)
