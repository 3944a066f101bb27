"""Mutants of a reference: one small change each, with ids that stay put."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from apps.sandbox.grading.mutation import mutants
from apps.sandbox.grading.sweeps import MutantReport, declared_equivalents, read_mistake_file

SOFTMAX = """import numpy as np


def softmax(z):
    z = np.asarray(z, dtype=float)
    shifted = z - z.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)
"""

LOOP = """import numpy as np


def run(x, steps):
    total = 0.0
    for k in range(steps):
        total += x[k] * 2
        x = x[::-1]
    return total if total < 1 else np.log(total) @ np.eye(1)
"""


def ids(source: str) -> list[str]:
    return [mutant.id for mutant in mutants(source)]


def test_the_softmax_reference_gets_the_classic_mistakes_as_mutants() -> None:
    found = ids(SOFTMAX)
    for expected in (
        "unstabilise:L6: z - z.max(axis=-1, keepdims=True): max subtraction removed",
        "swap-axis:L6: z.max(axis=-1, keepdims=True): axis=-1 -> axis=0",
        "drop-keepdims:L8: exp.sum(axis=-1, keepdims=True): keepdims dropped",
        "sum-mean:L8: exp.sum(axis=-1, keepdims=True): sum -> mean",
        "max-min:L6: z.max(axis=-1, keepdims=True): max -> min",
        "float32-result:L4: softmax() result as float32",
        "float32-inputs:L4: softmax() inputs as float32",
    ):
        assert expected in found


def test_loops_bounds_comparisons_and_products_are_mutated() -> None:
    operators = {mutant.operator for mutant in mutants(LOOP)}
    assert {
        "drop-from-loop",
        "loop-bound",
        "compare",
        "mul-matmul",
        "log-base",
        "off-by-one",
    } <= operators


def test_ids_are_stable_and_unique_and_every_mutant_differs_from_the_reference() -> None:
    first, second = mutants(SOFTMAX), mutants(SOFTMAX)
    assert [m.id for m in first] == [m.id for m in second]
    assert len({m.id for m in first}) == len(first)
    assert len({m.source for m in first}) == len(first)


def test_every_mutant_compiles_and_the_float32_one_returns_float32() -> None:
    for mutant in mutants(SOFTMAX):
        namespace: dict = {}
        exec(compile(mutant.source, mutant.id, "exec"), namespace)
        if mutant.operator == "float32-result":
            assert namespace["softmax"](np.zeros(3)).dtype == np.float32


def test_a_mistake_files_header_says_what_grading_must_find(tmp_path: Path) -> None:
    path = tmp_path / "rt_global_max.py"
    path.write_text("# mistake: subtracts the global max\n# diagnosis: global-max\nimport numpy\n")
    mistake = read_mistake_file(path)
    assert (mistake.description, mistake.diagnosis, mistake.expect) == (
        "subtracts the global max",
        "global-max",
        None,
    )
    legacy = tmp_path / "old.py"
    legacy.write_text("# expect: returned NaN\n\nx = 1\n# diagnosis: too-late\n")
    assert read_mistake_file(legacy).expect == "returned NaN"
    assert read_mistake_file(legacy).diagnosis is None, "only the header counts"


def test_equivalent_mutants_need_a_reason_each(tmp_path: Path) -> None:
    (tmp_path / "equivalent_mutants.yaml").write_text('"a:L1: x": "because"\n')
    assert declared_equivalents(tmp_path) == {"a:L1: x": "because"}
    (tmp_path / "equivalent_mutants.yaml").write_text('"a:L1: x": ""\n')
    with pytest.raises(ValueError, match="one-line reason"):
        declared_equivalents(tmp_path)


def test_the_kill_rate_leaves_out_equivalent_mutants() -> None:
    report = MutantReport("x", killed=["a", "b", "c"], survived=["d"], equivalent={"e": "why"})
    assert report.total == 5
    assert report.counted == 4
    assert report.kill_rate == 0.75


def _exercise(tmp_path: Path, slug: str, mistakes: dict[str, str]) -> SimpleNamespace:
    folder = tmp_path / slug
    (folder / "mistakes").mkdir(parents=True)
    (folder / "solution.py").write_text("def double(x):\n    return 2 * x\n")
    (folder / "checks.py").write_text(
        "import numpy as np\nfrom apps.sandbox.grading import Call\n"
        "def cases(rng):\n    return [Call('a', 'double', (float(rng.integers(1, 9)),))]\n"
        "def grade(g):\n    g.check_close('doubles', 'a')\n"
    )
    for name, text in mistakes.items():
        (folder / "mistakes" / name).write_text(text)

    return SimpleNamespace(
        slug=slug,
        content_hash=f"{slug}-{tmp_path.name}",
        limits={"cpu_seconds": 5, "wall_seconds": 10, "memory_mb": 256},
        review_path="",
        checks_path=folder / "checks.py",
        solution_path=folder / "solution.py",
    )


def test_a_red_team_file_that_passes_is_pending_until_its_exercise_is_converted(
    tmp_path: Path,
) -> None:
    from apps.sandbox.grading.runners import TrustedInProcessRunner
    from apps.sandbox.grading.sweeps import sweep

    passing = "# mistake: doubles correctly after all\ndef double(x):\n    return x + x\n"
    failing = "# expect: off by\ndef double(x):\n    return 3 * x\n"
    spec = _exercise(tmp_path, "doubling", {"rt_same.py": passing, "triple.py": failing})
    kwargs = {"runner": TrustedInProcessRunner(), "reference_seeds": (1, 2), "workers": 1}
    unconverted = sweep([spec], mistake_seeds=(1, 2), converted=frozenset(), **kwargs)
    assert unconverted.problems == {}
    assert "rt_same: passes at seed 1" in unconverted.pending["doubling"]
    converted = sweep([spec], mistake_seeds=(1, 2), converted=frozenset({"doubling"}), **kwargs)
    assert "rt_same: passes at seed 1" in converted.problems["doubling"]
