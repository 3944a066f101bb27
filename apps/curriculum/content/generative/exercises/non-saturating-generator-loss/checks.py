import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots

LOSS_TOL, GRAD_TOL = (1e-5, 1e-6), (1e-5, 1e-9)
CURVE = np.linspace(-10.0, 10.0, 81)
EXTREME = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])


def _sig(x):
    return np.exp(-np.logaddexp(0.0, -x))


def _mm(logits, variant=""):
    n = len(logits)
    loss = float(np.mean(-np.logaddexp(0.0, logits)))
    grad = -_sig(logits) / n
    if variant == "negated":
        return -loss, -grad
    if variant == "grad-sign":
        return loss, -grad
    if variant == "no-mean":
        return loss, grad * n
    if variant == "ns-gradient":
        return loss, -_sig(-logits) / n
    return loss, grad


def _ns(logits, variant=""):
    n = len(logits)
    loss = float(np.mean(np.logaddexp(0.0, -logits)))
    grad = -_sig(-logits) / n
    if variant == "mm-loss":
        return float(np.mean(-np.logaddexp(0.0, logits))), grad
    if variant == "log-one-minus":
        return float(np.mean(np.logaddexp(0.0, logits))), _sig(logits) / n
    if variant == "grad-sign":
        return loss, -grad
    if variant == "no-mean":
        return loss, grad * n
    if variant == "mm-gradient":
        return loss, -_sig(logits) / n
    return loss, grad


SLIPS = {
    "minimax_generator_loss": (
        _mm,
        {
            "negated": "the signs are flipped: the generator's minimax loss is the mean of log(1 - D), "
            "which is negative, and its derivative is -sigmoid(l) / N",
            "grad-sign": "the gradient has the wrong sign: d/dl log(1 - sigmoid(l)) = -sigmoid(l)",
            "no-mean": "the loss is a mean, so each derivative carries a factor 1/N",
            "ns-gradient": "that is the non-saturating gradient -(1 - sigmoid(l)) / N; the minimax "
            "loss has derivative -sigmoid(l) / N, which vanishes as D goes to 0",
        },
    ),
    "non_saturating_generator_loss": (
        _ns,
        {
            "mm-loss": "that is the minimax loss log(1 - D); the non-saturating loss is -log D",
            "log-one-minus": "that is -log(1 - D), the discriminator's loss on fakes; the generator's "
            "non-saturating loss is -log D",
            "grad-sign": "the gradient has the wrong sign: d/dl (-log sigmoid(l)) = -(1 - sigmoid(l))",
            "no-mean": "the loss is a mean, so each derivative carries a factor 1/N",
            "mm-gradient": "that is the minimax gradient -sigmoid(l) / N; the non-saturating "
            "derivative is -(1 - sigmoid(l)) / N",
        },
    ),
}


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


def _check(g: Grader, key: str) -> str | None:
    call = g.call(key)
    where = f"{call.func}() on {call.description}"
    loss = g.array(key, 0, shape=(), what=f"{where}, the loss")
    grad = g.array(key, 1, what=f"{where}, the gradient")
    want_loss, want_grad = float(g.expected(key, 0)), np.asarray(g.expected(key, 1))
    ok_loss = np.isclose(loss, want_loss, rtol=LOSS_TOL[0], atol=LOSS_TOL[1])
    ok_grad = np.allclose(grad, want_grad, rtol=GRAD_TOL[0], atol=GRAD_TOL[1])
    if ok_loss and ok_grad:
        return None
    if not np.isfinite(loss) or not np.all(np.isfinite(grad)):
        return (
            f"{where} returned inf or NaN: sigmoid rounds to exactly 0 or 1 for large logits, so "
            "log(sigmoid(l)) or log(1 - sigmoid(l)) is log 0; write the loss with "
            "np.logaddexp(0, x) = log(1 + e^x) instead"
        )
    model, slips = SLIPS[call.func]
    for variant, diagnosis in slips.items():
        alt_loss, alt_grad = model(*call.args, variant=variant)
        if np.isclose(loss, alt_loss, rtol=LOSS_TOL[0], atol=LOSS_TOL[1]) and np.allclose(
            grad, alt_grad, rtol=GRAD_TOL[0], atol=GRAD_TOL[1]
        ):
            return f"{where}: {diagnosis}"
    if not ok_loss:
        return f"{where}: the loss should be {want_loss:.6g}, but is {float(loss):.6g}"
    i = int(np.argmax(np.abs(grad - want_grad)))
    return (
        f"{where}: the derivative for logit {float(call.args[0][i]):.4g} should be "
        f"{want_grad[i]:.6g}, but is {grad[i]:.6g}"
    )


def grade(g: Grader) -> None:
    for prefix, label in [("mm", "minimax"), ("ns", "non-saturating")]:
        g.custom(f"{label}: random logits", lambda p=prefix: _check(g, f"{p}-random"), points=2)
        g.custom(
            f"{label}: stable at +-50 and +-1000",
            lambda p=prefix: _check(g, f"{p}-extreme"),
            points=2,
        )
        g.custom(
            f"{label}: confident rejections", lambda p=prefix: _check(g, f"{p}-confident"), points=1
        )
        g.custom(f"{label}: logits of 0", lambda p=prefix: _check(g, f"{p}-zero"), points=1)
        g.custom(f"{label}: a batch of one", lambda p=prefix: _check(g, f"{p}-one"), points=1)
        g.custom(
            f"{label}: logits from -10 to 10", lambda p=prefix: _check(g, f"{p}-curve"), points=1
        )


def figures(g: Grader) -> None:
    n = len(CURVE)
    fig = go.Figure()
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
