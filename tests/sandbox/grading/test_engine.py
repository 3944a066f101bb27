"""The grading engine through the real sandbox: verdicts no submission can forge."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.curriculum.loader import load_curriculum
from apps.sandbox.backends import ZygotePoolBackend
from apps.sandbox.grading.engine import grade_code

SOFTMAX_DIR = (
    Path(__file__).resolve().parents[3] / "apps/curriculum/content/probability/exercises/softmax"
)
SOLUTION = (SOFTMAX_DIR / "solution.py").read_text()


@pytest.fixture(scope="module")
def softmax():
    return load_curriculum().exercise("softmax")


def grade(exercise, code, seed=7):
    return grade_code(exercise, code, runner=ZygotePoolBackend(), seed=seed).as_json()


def test_the_reference_passes_with_full_score(softmax) -> None:
    result = grade(softmax, SOLUTION)
    assert result["status"] == "passed"
    assert result["score"] == 1.0
    assert all(check["passed"] for check in result["checks"])
    assert result["figures"]
    assert result["figures"][0]["data"]


OVERFLOWING = (
    "import numpy as np\ndef softmax(z):\n    e = np.exp(z)\n"
    "    return e / e.sum(axis=-1, keepdims=True)\n"
)


def test_an_overflowing_softmax_is_diagnosed_first_and_its_checks_say_what_went_wrong(
    softmax,
) -> None:
    result = grade(softmax, OVERFLOWING)
    assert result["status"] == "failed"
    assert 0 < result["score"] < 1
    assert result["diagnosis"]["id"] == "no-max-shift"
    assert "overflows to inf" in result["diagnosis"]["message"]
    assert "maximum" in result["diagnosis"]["fix"]
    failed = {c["name"]: c["message"] for c in result["checks"] if not c["passed"]}
    assert "NaN" in failed["stable for logits near 1000"]
    assert result["checks"][0]["passed"] is False, "failed checks come first"


def test_the_first_figure_draws_the_failing_case_with_its_nans_marked(softmax) -> None:
    figure = grade(softmax, OVERFLOWING)["figures"][0]
    assert "logits near 1000" in figure["layout"]["title"]["text"]
    names = [trace.get("name") for trace in figure["data"]]
    assert {"yours", "reference", "yours is NaN or infinite"} <= set(names)


def test_a_wrong_answer_no_declared_mistake_explains_is_described_not_guessed(softmax) -> None:
    doubled = (
        "import numpy as np\ndef softmax(z):\n    z = np.asarray(z, dtype=float)\n"
        "    e = np.exp(z - z.max(axis=-1, keepdims=True))\n"
        "    return 2 * e / e.sum(axis=-1, keepdims=True)\n"
    )
    result = grade(softmax, doubled)
    assert result["diagnosis"] is None
    failed = [c["message"] for c in result["checks"] if not c["passed"]]
    assert any("exactly 2 times the expected one" in message for message in failed)
    assert not any("maximum" in message for message in failed), "no guess at a cause"


def test_a_correct_float32_softmax_passes(softmax) -> None:
    float32 = (
        "import numpy as np\ndef softmax(z):\n    z = np.asarray(z, dtype=np.float32)\n"
        "    e = np.exp(z - z.max(axis=-1, keepdims=True))\n"
        "    return e / e.sum(axis=-1, keepdims=True)\n"
    )
    assert grade(softmax, float32)["status"] == "passed"


def test_many_gradings_share_one_warm_runner_and_keep_their_order(softmax) -> None:
    from apps.sandbox.grading.engine import GradeJob, grade_many

    jobs = [GradeJob(softmax, SOLUTION if i % 2 else OVERFLOWING, seed=i) for i in range(6)]
    results = grade_many(jobs, runner=ZygotePoolBackend(), workers=2)
    assert [r.status for r in results] == ["failed", "passed"] * 3
    assert all(r.figures == () for r in results), "sweeps skip drawing"


def test_a_batch_computes_each_trusted_outcome_once_per_seed_and_grades_as_alone(
    softmax, monkeypatch
) -> None:
    from apps.sandbox.grading import engine
    from apps.sandbox.grading.engine import GradeJob, grade_many

    mistakes = sorted((SOFTMAX_DIR / "mistakes").glob("*.py"))
    codes = [path.read_text() for path in mistakes] + [SOLUTION]
    jobs = [GradeJob(softmax, code, seed) for code in codes for seed in (3, 4)]
    jobs.append(GradeJob(softmax, SOLUTION, 5))  # graded once: nothing to share
    computed: list[str] = []
    reference_outcomes = engine.reference_outcomes

    def counted(*args, **kwargs):
        computed.append("reference")
        return reference_outcomes(*args, **kwargs)

    monkeypatch.setattr(engine, "reference_outcomes", counted)
    together = grade_many(jobs, runner=ZygotePoolBackend(), workers=1)
    # Seeds 3 and 4 each once (a second thread could race to one more), seed 5 once.
    assert len(computed) == 3
    alone = [
        engine.grade_code(job.exercise, job.code, runner=ZygotePoolBackend(), seed=job.seed)
        for job in jobs
    ]
    assert [(r.status, r.score, r.diagnosis, [c.message for c in r.checks]) for r in together] == [
        (r.status, r.score, r.diagnosis, [c.message for c in r.checks]) for r in alone
    ]


def test_a_shared_outcome_reaches_each_grading_as_a_fresh_copy(softmax) -> None:
    import numpy as np

    from apps.sandbox.grading.engine import OutcomeMemo
    from apps.sandbox.grading.grader import Outcome

    remember = OutcomeMemo(frozenset({("softmax", 1)})).scope(softmax, 1)
    first = remember("reference", lambda: {"a": Outcome(ok=True, value=np.ones(3))})
    first["a"].value[:] = 7.0  # a check that writes into the expected array
    again = remember("reference", lambda: pytest.fail("computed twice"))
    assert again["a"].value.tolist() == [1.0, 1.0, 1.0]
    alone = OutcomeMemo(frozenset()).scope(softmax, 2)
    calls = []
    alone("reference", lambda: calls.append(1) or {})
    alone("reference", lambda: calls.append(1) or {})
    assert calls == [1, 1], "a pair graded once is not kept"


def test_an_exception_reports_the_learners_line_number(softmax) -> None:
    result = grade(
        softmax, "import numpy as np\n\ndef softmax(z):\n    return z / 0 + undefined_name\n"
    )
    assert result["status"] == "error"
    assert result["error"]["type"] == "NameError"
    assert result["error"]["line"] == 4
    assert "submission.py" in result["error"]["traceback"]
    assert "runner" not in result["error"]["traceback"]


def test_a_syntax_error_reports_its_line(softmax) -> None:
    result = grade(softmax, "def softmax(z):\n    return (z\n\n\n")
    assert result["status"] == "error"
    assert result["error"]["type"] == "SyntaxError"
    assert result["error"]["line"] in (2, 3, 4, 5)
    assert result["score"] == 0


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "empty"),
        ("   \n\t\n", "empty"),
        ("x = 1\x00", "NUL"),
        ("# " + "x" * (64 * 1024) + "\n", "64 KiB"),
    ],
)
def test_code_that_cannot_run_is_rejected_before_the_sandbox(softmax, code, reason) -> None:
    result = grade(softmax, code)
    assert result["status"] == "rejected"
    assert reason in result["error"]["message"]


def test_bytes_that_are_not_utf8_are_rejected(softmax) -> None:
    result = grade(softmax, b"def softmax(z):\n    return '\xff\xfe'\n")
    assert result["status"] == "rejected"
    assert "UTF-8" in result["error"]["message"]


def test_an_infinite_loop_is_a_timeout(softmax) -> None:
    from dataclasses import replace

    quick = replace(softmax, limits={"cpu_seconds": 1.0, "wall_seconds": 2.0, "memory_mb": 256})
    result = grade(quick, "def softmax(z):\n    while True:\n        pass\n")
    assert result["status"] == "timeout"
    assert result["score"] == 0
    assert "CPU" in result["error"]["message"] or "wall" in result["error"]["message"]


def test_a_memory_bomb_is_a_memory_verdict(softmax) -> None:
    # 2 GiB written under a 512 MiB limit: the kernel's OOM kill is the evidence. (A request
    # the kernel refuses outright only raises the learner's own MemoryError: an error.)
    result = grade(softmax, "import numpy as np\ndef softmax(z):\n    return np.ones((1 << 28,))\n")
    assert result["status"] == "memory"


FORGERIES = {
    "eq always true": (
        "class Sly:\n    def __eq__(self, other): return True\n"
        "    def __array__(self, *a, **k): raise TypeError\n"
        "def softmax(z):\n    return Sly()\n"
    ),
    "fake verdict on stdout": (
        "import json\nprint(json.dumps({'status': 'passed', 'score': 1.0}))\n"
        "def softmax(z):\n    return z\n"
    ),
    "os._exit before checks": "import os\ndef softmax(z):\n    os._exit(0)\n",
    "monkey-patched numpy": (
        "import numpy as np\nnp.allclose = lambda *a, **k: True\nnp.isfinite = lambda x: np.ones_like(x, bool)\n"
        "def softmax(z):\n    return np.zeros_like(z)\n"
    ),
    "patched builtins": (
        "import builtins\nbuiltins.abs = lambda x: 0\nbuiltins.all = lambda x: True\n"
        "def softmax(z):\n    return z * 0\n"
    ),
    "exit from import": "raise SystemExit(0)\n",
}


@pytest.mark.parametrize("name", list(FORGERIES))
def test_no_trick_turns_a_wrong_answer_into_a_pass(softmax, name) -> None:
    result = grade(softmax, FORGERIES[name])
    assert result["status"] != "passed"
    assert result["score"] < 0.5
    assert not all(check["passed"] for check in result["checks"])


def test_a_fake_verdict_printed_is_only_output(softmax) -> None:
    result = grade(softmax, FORGERIES["fake verdict on stdout"])
    assert '"status": "passed"' in result["stdout"]
    assert result["status"] == "failed"


def test_a_new_seed_draws_new_hidden_cases(softmax) -> None:
    import numpy as np

    from apps.sandbox.grading.engine import exercise_checks

    cases = exercise_checks(softmax).cases
    first = cases(np.random.default_rng(1))[0].args[0]
    second = cases(np.random.default_rng(2))[0].args[0]
    assert first.shape != second.shape or not np.allclose(first, second)


# ----- complex results: compared in the reals, never a crash in the figures ------------------

COMPLEX_SOFTMAX = SOLUTION + "\n_real = softmax\ndef softmax(z):\n    return _real(z) + {}\n"


def test_a_complex_result_with_rounding_noise_passes_with_its_figures(softmax, caplog) -> None:
    result = grade(softmax, COMPLEX_SOFTMAX.format("1e-30j"))
    assert result["status"] == "passed"
    assert result["figures"]
    assert result["figures"][0]["data"]
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]


def test_a_complex_result_with_a_real_imaginary_part_fails_saying_so(softmax, caplog) -> None:
    result = grade(softmax, COMPLEX_SOFTMAX.format("0.25j"))
    assert result["status"] == "failed"
    assert (
        "should return real numbers, but returned complex numbers"
        in (result["checks"][0]["message"])
    )
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]


def test_a_figure_that_cannot_use_the_learners_value_is_skipped_quietly(
    softmax, caplog, monkeypatch
) -> None:
    # An exercise's figures() reading g.array (not try_array) on a wrong-shaped result.
    from apps.sandbox.grading import engine

    checks = engine.exercise_checks(softmax)
    drawing = engine.ExerciseChecks(
        checks.cases, checks.grade, lambda g: g.array(next(iter(g.calls)))
    )
    monkeypatch.setattr(engine, "exercise_checks", lambda _exercise: drawing)
    result = grade(softmax, "def softmax(z):\n    return [1.0]\n")
    assert result["status"] == "failed"
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]


def test_code_pasted_with_a_bom_and_non_breaking_spaces_runs_as_meant(softmax) -> None:
    pasted = "\ufeff" + SOLUTION.replace("    ", "\u00a0\u00a0\u00a0\u00a0", 3)
    assert "\u00a0" in pasted
    result = grade(softmax, pasted)
    assert result["status"] == "passed", result["error"]


def test_non_breaking_spaces_inside_strings_are_kept() -> None:
    from apps.sandbox.grading.engine import normalise_pasted_code

    code = 'x\u00a0= "a\u00a0b"  # c\u00a0d\nprint(\u00a0x)\n'
    assert normalise_pasted_code(code) == 'x = "a\u00a0b"  # c d\nprint( x)\n'
    assert normalise_pasted_code("\ufeffx = 1\n") == "x = 1\n"
    # Broken code further on: still normalised, nothing raised.
    assert normalise_pasted_code('y\u00a0= (1,\n"unterminated') == 'y = (1,\n"unterminated'


# ----- the learner's run goes on while the reference is computed ------------------------------


class _Recorded:
    """The sandbox backend, recording when its run starts, is pumped and is waited on."""

    def __init__(self, events: list[str], startable: bool = True) -> None:
        self.events, self.backend = events, ZygotePoolBackend()
        if not startable:
            self.start = None  # as a runner without start(): the engine looks it up

    def run(self, code, calls, limits):
        self.events.append("run")
        return self.backend.run(code, calls, limits)

    def start(self, code, calls, limits):
        self.events.append("start")
        pending, events = self.backend.start(code, calls, limits), self.events

        class Pending:
            def pump(self) -> None:
                events.append("pump")
                pending.pump()

            def result(self):
                events.append("result")
                return pending.result()

            def abandon(self) -> None:
                events.append("abandon")
                pending.abandon()

        return Pending()


def _recording_reference(monkeypatch, events: list[str]) -> None:
    from apps.sandbox.grading import engine

    real = engine.reference_outcomes

    def recorded(*args, **kwargs):
        events.append("reference")
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "reference_outcomes", recorded)


def test_the_run_starts_first_and_is_pumped_while_the_reference_is_computed(
    softmax, monkeypatch
) -> None:
    events: list[str] = []
    _recording_reference(monkeypatch, events)
    result = grade_code(softmax, SOLUTION, runner=_Recorded(events), seed=7)
    assert result.status == "passed"
    calls = 10  # softmax's cases
    assert events == ["start", "reference", *["pump"] * calls, "result"]


def test_a_runner_without_start_runs_after_the_reference(softmax, monkeypatch) -> None:
    events: list[str] = []
    _recording_reference(monkeypatch, events)
    result = grade_code(softmax, SOLUTION, runner=_Recorded(events, startable=False), seed=7)
    assert result.status == "passed"
    assert events == ["reference", "run"]


@pytest.mark.parametrize(
    "code",
    [
        SOLUTION,
        OVERFLOWING,
        "import numpy as np\n\ndef softmax(z):\n    return z / 0 + undefined_name\n",
        "def softmax(z):\n    return (z\n\n\n",
        "import sys\nprint('passed: 10/10')\nsys.exit(0)\n",
        "import numpy as np\ndef softmax(z):\n    return np.ones_like(z)\n",
    ],
    ids=["correct", "overflowing", "raises", "syntax", "exits", "wrong"],
)
def test_overlapped_and_one_after_the_other_grade_alike(softmax, code) -> None:
    overlapped = grade_code(softmax, code, runner=ZygotePoolBackend(), seed=11).as_json()
    sequential = grade_code(softmax, code, runner=_Recorded([], startable=False), seed=11)
    for result in (overlapped, sequential := sequential.as_json()):
        result.pop("duration_ms")
    assert overlapped == sequential


def test_a_reference_that_raises_waits_for_the_run_and_frees_its_slot(softmax, monkeypatch) -> None:
    from apps.sandbox.backends import sandbox_pool
    from apps.sandbox.grading import engine

    def broken(*args, **kwargs):
        raise RuntimeError("the reference solution is broken")

    monkeypatch.setattr(engine, "reference_outcomes", broken)
    events: list[str] = []
    with pytest.raises(RuntimeError, match="the reference solution is broken"):
        grade_code(softmax, SOLUTION, runner=_Recorded(events), seed=7)
    assert events == ["start", "abandon"]
    pool = sandbox_pool()
    assert pool._free.qsize() == len(pool._slots), "no slot left taken"
    monkeypatch.undo()
    assert grade(softmax, SOLUTION)["status"] == "passed"


def test_a_sandbox_failing_under_a_started_run_raises_as_before(softmax, monkeypatch) -> None:
    from apps.sandbox.backends import sandbox_pool
    from apps.sandbox.runner import SandboxUnavailable
    from apps.sandbox.runner import exchange as exchange_module
    from apps.sandbox.runner.interpret import SETUP_FAILED

    real = exchange_module.Exchange._collected

    def setup_failed(self):
        collected = real(self)
        collected.setup = bytearray(SETUP_FAILED + b"pretend seccomp refused")
        return collected

    monkeypatch.setattr(exchange_module.Exchange, "_collected", setup_failed)
    with pytest.raises(SandboxUnavailable, match="pretend seccomp refused"):
        grade_code(softmax, SOLUTION, runner=ZygotePoolBackend(), seed=7)
    pool = sandbox_pool()
    assert pool._free.qsize() == len(pool._slots)
