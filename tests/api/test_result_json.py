"""The reused serializers build exactly what a fresh ``Serializer(result).data`` does."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from apps.curriculum.loader import load_curriculum
from apps.sandbox.api.serializers import (
    ResultOutputSerializer,
    SubmissionOutputSerializer,
    result_json,
    submission_json,
)
from apps.sandbox.grading.engine import grade_code
from apps.sandbox.grading.runners import TrustedInProcessRunner
from apps.sandbox.results import SubmissionResult

SOFTMAX = Path(load_curriculum().exercise("softmax").directory)
CODES = {
    "passed": (SOFTMAX / "solution.py").read_text(),
    "diagnosed": (SOFTMAX / "mistakes" / "rt_no_keepdims.py").read_text(),
    "raised": "def softmax(z):\n    raise ValueError('no')\n",
    "rejected": "",
}


@pytest.mark.parametrize("kind", sorted(CODES))
def test_a_graded_result_reads_the_same_as_a_fresh_serializer(kind: str) -> None:
    exercise = load_curriculum().exercise("softmax")
    graded = grade_code(exercise, CODES[kind], runner=TrustedInProcessRunner(), seed=3)
    at = datetime(2026, 12, 6, 14, 5, 9, 123456, tzinfo=UTC)
    result = SubmissionResult.of_grade(graded, created_at=at, finished_at=at)
    assert json.dumps(result_json(result)) == json.dumps(ResultOutputSerializer(result).data)
    stored = SubmissionResult(
        **{**result.__dict__, "id": 7, "content_version": 2, "code": CODES[kind]}
    )
    assert json.dumps(submission_json(stored)) == json.dumps(
        SubmissionOutputSerializer(stored).data
    )
    # Reused: a second result never carries anything of the first.
    again = SubmissionResult(**{**result.__dict__, "checks": (), "figures": ()})
    assert result_json(again)["checks"] == []
    assert result_json(again)["figures"] == []
