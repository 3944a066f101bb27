"""What the learner is told is right (issue 15): the wrong answers that used to get advice
pointing elsewhere now get their own diagnosis first, through the real sandbox."""

from __future__ import annotations

import re

import pytest

from apps.curriculum.loader import load_curriculum
from apps.sandbox.backends import ZygotePoolBackend
from apps.sandbox.grading.engine import GradeJob, grade_code, grade_many
from apps.sandbox.grading.results import GradeResult

CURRICULUM = load_curriculum()
RUNNER = ZygotePoolBackend()

COLUMN_MAJOR = """import numpy as np

def dense_layer(images, W, b):
    images = np.asarray(images, dtype=float)
    X = images.reshape(images.shape[0], -1, order="F")
    return np.maximum(0.0, X @ W.T + b)
"""
MISSING_MEAN = """import numpy as np

def softmax_cross_entropy_grad(Z, labels):
    Z = np.asarray(Z, dtype=float)
    n = Z.shape[0]
    shifted = Z - Z.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    P = np.exp(logp)
    P[np.arange(n), labels] -= 1.0
    return -logp[np.arange(n), labels].mean(), P
"""
VT_COLUMNS = """import numpy as np

def low_rank_approximation(M, k):
    U, s, Vt = np.linalg.svd(np.asarray(M, dtype=float), full_matrices=False)
    return (U[:, :k] * s[:k]) @ Vt[:, :k].T
"""
LOG2 = """import numpy as np

def mutual_information(pxy):
    pxy = np.asarray(pxy, dtype=float)
    px, py = pxy.sum(axis=1), pxy.sum(axis=0)
    total = 0.0
    for i in range(pxy.shape[0]):
        for j in range(pxy.shape[1]):
            if pxy[i, j] > 0:
                total += pxy[i, j] * np.log2(pxy[i, j] / (px[i] * py[j]))
    return total

def plugin_mutual_information(x, y):
    xs, ys = np.unique(x), np.unique(y)
    joint = np.array([[np.mean((x == a) & (y == b)) for b in ys] for a in xs])
    return mutual_information(joint)
"""
FLOAT32_DISTANCES = """import math
import numpy as np

def nearest_farthest_ratio(X, q):
    diff = np.asarray(X, dtype=np.float32) - np.asarray(q, dtype=np.float32)
    dist = np.sqrt((diff * diff).sum(axis=1))
    return dist.min() / dist.max()

def log_ball_volume_fraction(d):
    return np.float32(d / 2 * math.log(math.pi) - math.lgamma(d / 2 + 1) - d * math.log(2))
"""
NAIVE_SOFTPLUS = """import numpy as np

def logistic_loss_and_gradient(w, X, y):
    z = X @ w
    loss = np.mean(np.log(1 + np.exp(z)) - y * z)
    return loss, X.T @ (1 / (1 + np.exp(-z)) - y) / len(y)
"""


def graded(slug: str, code: str, seed: int = 3) -> GradeResult:
    return grade_code(CURRICULUM.exercise(slug), code, runner=RUNNER, seed=seed)


def failed_messages(result: GradeResult) -> str:
    return " ".join(check.message for check in result.checks if not check.passed)


@pytest.mark.parametrize(
    ("slug", "code", "diagnosis", "misleading"),
    [
        ("dense-layer-on-images", COLUMN_MAJOR, "column-major", r"transpose|ReLU"),
        ("softmax-cross-entropy-gradient", MISSING_MEAN, "gradient-not-averaged", r"maximum"),
        ("low-rank-approximation", VT_COLUMNS, "vt-columns", r"scale by|singular values"),
        ("mutual-information-plugin", LOG2, "bits", r"0 log 0|positive cells"),
    ],
    ids=["column-major", "missing-1/N", "Vt-columns", "log2"],
)
def test_the_mistake_gets_its_own_diagnosis_first_and_no_advice_pointing_elsewhere(
    slug, code, diagnosis, misleading
) -> None:
    result = graded(slug, code)
    assert result.status != "passed"
    assert result.diagnosis is not None
    assert result.diagnosis.id == diagnosis
    assert not re.search(misleading, failed_messages(result))


def test_a_missing_mean_is_said_to_be_exactly_n_times_too_large() -> None:
    result = graded("softmax-cross-entropy-gradient", MISSING_MEAN)
    assert re.search(r"exactly \d+ times the expected one", failed_messages(result))


def test_a_correct_float32_distance_computation_passes() -> None:
    assert graded("distance-concentration", FLOAT32_DISTANCES).passed


def test_a_failing_number_is_printed_with_the_digits_that_differ() -> None:
    slightly_off = FLOAT32_DISTANCES.replace(
        "return dist.min() / dist.max()", "return 1.0002 * dist.min() / dist.max()"
    )
    result = graded("distance-concentration", slightly_off)
    match = re.search(r"expected ([-\d.e]+), got ([-\d.e]+)", failed_messages(result))
    assert match
    assert match.group(1) != match.group(2)


def test_naive_softplus_fails_under_every_seed_with_its_diagnosis() -> None:
    exercise = CURRICULUM.exercise("logistic-loss-gradient")
    jobs = [GradeJob(exercise, NAIVE_SOFTPLUS, seed) for seed in range(10)]
    results = grade_many(jobs, runner=RUNNER, workers=2)
    assert {(r.status, r.diagnosis.id if r.diagnosis else None) for r in results} == {
        ("failed", "naive-softplus")
    }
