import numpy as np

from apps.sandbox.grading import Call, Grader, plots


def _probabilities(q, k, mask):
    scores = q @ k.T / np.sqrt(q.shape[1])
    allowed = np.ones(scores.shape, dtype=bool) if mask is None else mask
    empty = ~allowed.any(axis=1, keepdims=True)
    scores = np.where(allowed, scores, -np.inf)
    top = np.where(empty, 0.0, scores.max(axis=1, keepdims=True))
    exp = np.where(allowed, np.exp(scores - top), 0.0)
    return exp / np.where(empty, 1.0, exp.sum(axis=1, keepdims=True))


def _loss(q, k, v, d_out, mask):
    return float(np.sum((_probabilities(q, k, mask) @ v) * d_out))


def _variants(q, k, v, d_out, mask):
    """(dQ, dK, dV) of common wrong derivations, to name the mistake; None where a shape does not fit."""
    p = _probabilities(q, k, mask)
    scale = 1.0 / np.sqrt(q.shape[1])
    d_p = d_out @ v.T
    right = p * (d_p - (d_p * p).sum(axis=1, keepdims=True))
    no_correction = p * d_p
    builders = {
        "dS is missing the softmax correction: the Jacobian of a softmax row is diag(p) - p p^T, so "
        "subtract each row's sum of dP * P before multiplying by P": lambda: (
            no_correction @ k * scale,
            no_correction.T @ q * scale,
            p.T @ d_out,
        ),
        "dQ and dK are missing the factor 1 / sqrt(d_k) of the scores": lambda: (
            right @ k,
            right.T @ q,
            p.T @ d_out,
        ),
        "dK needs the transpose of dS: dK = dS^T Q / sqrt(d_k)": lambda: (
            right @ k * scale,
            right @ q * scale,
            p.T @ d_out,
        ),
        "dV needs the transpose of P: dV = P^T dO": lambda: (
            right @ k * scale,
            right.T @ q * scale,
            p @ d_out,
        ),
    }
    variants = {}
    for why, build in builders.items():
        try:
            variants[why] = build()
        except ValueError:  # the wrong product does not even fit these shapes
            continue
    return variants


def cases(rng: np.random.Generator) -> list[Call]:
    n_q, n_k, d = int(rng.integers(3, 6)), int(rng.integers(4, 8)), int(rng.integers(2, 5))
    n = int(rng.integers(4, 7))
    causal = np.tril(np.ones((n, n), dtype=bool))
    empty = np.ones((4, 5), dtype=bool)
    empty[1] = False
    empty[3, 2:] = False
    return [
        Call(
            "random",
            "attention_backward",
            (
                rng.normal(size=(n_q, d)),
                rng.normal(size=(n_k, d)),
                rng.normal(size=(n_k, 3)),
                rng.normal(size=(n_q, 3)),
            ),
            label=f"Q ({n_q}, {d}), K ({n_k}, {d}), V ({n_k}, 3)",
        ),
        Call(
            "square",
            "attention_backward",
            (
                rng.normal(size=(n, n)),
                rng.normal(size=(n, n)),
                rng.normal(size=(n, n)),
                rng.normal(size=(n, n)),
            ),
            label=f"square Q, K, V and dO, all ({n}, {n})",
        ),
        Call(
            "lesson",
            "attention_backward",
            (
                np.eye(2),
                np.array([[1.0, 0.0], [1.0, 1.0]]),
                np.array([[1.0, 2.0], [3.0, 4.0]]),
                np.array([[1.0, 0.0], [0.0, 0.0]]),
            ),
            label="the lesson's worked example with dO = [[1, 0], [0, 0]]",
        ),
        Call(
            "saturated",
            "attention_backward",
            (
                25 * rng.normal(size=(4, 6)),
                25 * rng.normal(size=(5, 6)),
                rng.normal(size=(5, 2)),
                rng.normal(size=(4, 2)),
            ),
            label="scores in the hundreds (nearly one-hot softmax rows)",
        ),
        Call(
            "causal",
            "attention_backward",
            (
                rng.normal(size=(n, d)),
                rng.normal(size=(n, d)),
                rng.normal(size=(n, 2)),
                rng.normal(size=(n, 2)),
                causal,
            ),
            label=f"a causal mask, n = {n}",
        ),
        Call(
            "empty",
            "attention_backward",
            (
                rng.normal(size=(4, 3)),
                rng.normal(size=(5, 3)),
                rng.normal(size=(5, 2)),
                rng.normal(size=(4, 2)),
                empty,
            ),
            label="a mask whose second row allows no key",
        ),
        Call(
            "d1",
            "attention_backward",
            (
                rng.normal(size=(3, 1)),
                rng.normal(size=(4, 1)),
                rng.normal(size=(4, 1)),
                rng.normal(size=(3, 1)),
            ),
            label="d_k = 1",
        ),
    ]


NAMES = ("dQ", "dK", "dV")


def grade(g: Grader) -> None:
    def matches(keys):
        def run():
            for key in keys:
                args = g.args(key)
                q, k, v, d_out = args[:4]
                mask = args[4] if len(args) > 4 else None
                where = g.call(key).description
                got = [g.array(key, part) for part in range(3)]
                expected = [np.asarray(g.expected(key, part)) for part in range(3)]
                scale = max(float(np.abs(e).max()) for e in expected) or 1.0
                # Saturated rows have scores in the hundreds: float32 rounding of about 1e-5 relative.
                rtol = 1e-4 if key == "saturated" else 1e-5
                ok = [
                    np.allclose(a, b, rtol=rtol, atol=1e-6 * scale)
                    for a, b in zip(got, expected, strict=True)
                ]
                if all(ok):
                    continue
                if not all(np.all(np.isfinite(a)) for a in got):
                    return (
                        f"on {where} your gradients contain NaN: a row with no allowed key must have P = 0 "
                        "(and so zero gradients), and large scores need the softmax's row-maximum shift"
                    )
                for why, variant in _variants(q, k, v, d_out, mask).items():
                    if all(
                        a.shape == b.shape and np.allclose(a, b, rtol=rtol, atol=1e-6 * scale)
                        for a, b in zip(got, variant, strict=True)
                    ):
                        return f"on {where}: {why}"
                part = ok.index(False)
                worst = np.unravel_index(
                    int(np.argmax(np.abs(got[part] - expected[part]))), got[part].shape
                )
                return (
                    f"on {where} {NAMES[part]} differs at index {tuple(int(i) for i in worst)}: expected "
                    f"{expected[part][worst]:.6g}, got {got[part][worst]:.6g}"
                )
            return None

        return run

    q, k, v, d_out = g.args("random")
    for part, name, x in ((0, "dQ", q), (1, "dK", k), (2, "dV", v)):

        def loss(z, part=part):
            args = [q, k, v]
            args[part] = z
            return _loss(*args, d_out, None)

        g.check_gradient(
            f"{name} agrees with finite differences",
            "random",
            loss,
            x,
            part,
            eps=1e-6,
            rtol=1e-4,
            atol=1e-6,
        )
    g.custom(
        "matches the reference, including a square case and the lesson's example",
        matches(("random", "square", "lesson")),
        points=2,
    )
    g.custom("saturated softmax rows and d_k = 1", matches(("saturated", "d1")))
    g.custom("a causal mask", matches(("causal",)))
    g.custom("a row with nothing to attend to has zero gradients", matches(("empty",)), points=2)


def figures(g: Grader) -> None:
    q, k, v, d_out = g.args("random")
    eps = 1e-6
    numeric = np.zeros_like(q)
    for index in np.ndindex(q.shape):
        step = np.zeros_like(q)
        step[index] = eps
        numeric[index] = (
            _loss(q + step, k, v, d_out, None) - _loss(q - step, k, v, d_out, None)
        ) / (2 * eps)
    g.figure(
        plots.heatmap_pair(
            g.try_array("random", 0),
            numeric,
            title="dQ: yours (left) against central finite differences (right)",
        )
    )
