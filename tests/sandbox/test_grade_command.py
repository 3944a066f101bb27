"""`manage.py grade`: the CLI others script against (see DESIGN.md, Interfaces)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOFTMAX_DIR = ROOT / "apps/curriculum/content/probability/exercises/softmax"


def run_grade(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dlmath.settings"}
    return subprocess.run(
        [sys.executable, "manage.py", "grade", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_prints_one_result_per_file_and_exits_zero_whatever_the_verdicts(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_bytes(b"def softmax(z):\n    return '\xff'\n")
    out = run_grade(
        "--exercise",
        "softmax",
        str(SOFTMAX_DIR / "solution.py"),
        str(SOFTMAX_DIR / "starter.py"),
        str(bad),
    )
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["status"] for r in lines] == ["passed", "failed", "rejected"]
    for result in lines:
        assert "id" not in result
        assert {
            "exercise",
            "status",
            "score",
            "checks",
            "figures",
            "stdout",
            "stderr",
            "duration_ms",
        } <= set(result)
        assert result["exercise"] == "softmax"


def test_list_prints_every_exercise_slug_including_the_canonical_ones() -> None:
    out = run_grade("--list")
    assert out.returncode == 0
    slugs = out.stdout.split()
    assert len(slugs) == len(set(slugs))
    assert "softmax" in slugs


def test_an_unknown_exercise_is_a_usage_error() -> None:
    out = run_grade("--exercise", "no-such-exercise", str(SOFTMAX_DIR / "solution.py"))
    assert out.returncode == 2
    assert "unknown exercise" in out.stderr
    assert out.stdout == ""


def test_an_unreadable_file_is_a_usage_error(tmp_path: Path) -> None:
    out = run_grade("--exercise", "softmax", str(tmp_path / "missing.py"))
    assert out.returncode == 2
    assert "cannot read" in out.stderr


def test_a_known_mistake_comes_back_with_its_diagnosis_in_the_json() -> None:
    out = run_grade("--exercise", "softmax", str(SOFTMAX_DIR / "mistakes/overflows.py"))
    assert out.returncode == 0, out.stderr
    (result,) = [json.loads(line) for line in out.stdout.splitlines()]
    assert result["status"] == "failed"
    assert result["diagnosis"]["id"] == "no-max-shift"
    assert set(result["diagnosis"]) == {"id", "message", "fix", "hints"}
    passed = json.loads(run_grade("--exercise", "softmax", str(SOFTMAX_DIR / "solution.py")).stdout)
    assert passed["diagnosis"] is None
