"""In-band signals and the trusted decoder: nothing a run writes, exits with or raises is
believed, and a forged result frame costs the trusted process no more than an honest one.

The run's result pipe is fd 3; these tests write forged frames to it directly. ``unaffected``
checks afterwards that the worker's zygote was never replaced and the next learner is fine.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from apps.sandbox.runner import Limits, RunResult, ZygotePool
from apps.sandbox.runner.limits import RESULT_BYTES
from tests.sandbox.conftest import FAST, PROJECT_ROOT

pytestmark = pytest.mark.usefixtures("unaffected")

# Learner-side helpers to write a frame by hand (see apps/sandbox/runner/wire.py).
FORGE = r"""
import json, os, struct

def frame(header, blobs=(), count=None):
    data = header if isinstance(header, bytes) else json.dumps(header).encode()
    parts = [struct.pack(">I", len(data)), data, struct.pack(">I", len(blobs) if count is None else count)]
    for blob in blobs:
        parts += [struct.pack(">Q", len(blob)), blob]
    return b"".join(parts)

def npy(n_bytes, header_text=None):
    text = header_text or "{'descr': '<f8', 'fortran_order': False, 'shape': (%d,), }" % (n_bytes // 8)
    text += " " * (-(len(text) + 11) % 64) + "\n"
    size = struct.pack("<H", len(text)) if len(text) < 65536 else None
    head = b"\x93NUMPY\x01\x00" + size if size else b"\x93NUMPY\x02\x00" + struct.pack("<I", len(text))
    return head + text.encode() + b"\0" * n_bytes

def result(value):
    outcome = {"__dict__": [["ok", True], ["value", value]]}
    return {"value": {"__dict__": [["module_error", None], ["outcomes", {"__dict__": [["k", outcome]]}]]}}

def send(data):
    view = memoryview(data)
    while view:
        view = view[os.write(3, view):]
    os._exit(0)
"""

FORGE_LIMITS = Limits(cpu_seconds=5, wall_seconds=10, memory_mb=512)


def trusted_cost(
    pool: ZygotePool, code: str, calls: list | None = None
) -> tuple[RunResult, int, float]:
    """(result, peak bytes the trusted process allocated, its CPU seconds) for one run.

    The cyclic collector is run first and held off while measuring: late in a long session
    a full collection of the test process's own objects can land in the measured call and
    cost more than the frame, which says nothing about the decoder (the likeliest cause of
    one CI reading of 0.48 s against an honest 0.003 s; a zygote recycled inside the call,
    the other candidate, measured 0.03 s)."""
    gc.collect()
    gc.disable()
    tracemalloc.start()
    started = time.thread_time()
    try:
        result = pool.run(code, calls or [], FORGE_LIMITS)
        spent = time.thread_time() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        gc.enable()
    return result, peak, spent


def forged(pool: ZygotePool, body: str) -> tuple[RunResult, int, float]:
    return trusted_cost(pool, f"{FORGE}\n{body}\n")


def honest_cost(pool: ZygotePool, n_bytes: int) -> tuple[int, float]:
    """What an honest result of about ``n_bytes`` (one float64 array) costs the trusted side."""
    code = f"import numpy as np\ndef f():\n    return np.ones({n_bytes // 8})\n"
    result, peak, spent = trusted_cost(pool, code, [{"key": "k", "func": "f"}])
    assert result.status == "ok"
    assert result.outcomes["k"].value.nbytes == n_bytes // 8 * 8
    return peak, spent


def assert_refused(result: RunResult, reason: str) -> None:
    assert (result.status, result.detail) == ("crashed", "the result was malformed")
    assert reason in result.result_refusal, result.result_refusal
    assert result.outcomes == {}


MIB = 1024 * 1024


# ----- forged frames: refused, and within an honest result's cost plus a small constant -------


def test_one_array_referenced_two_thousand_times_is_refused_cheaply(
    sandbox_pool: ZygotePool,
) -> None:
    # Decoded per reference, this 1 MiB blob would cost the trusted process 2 GB.
    body = 'send(frame(result({"__tuple__": [{"__nd__": 0}] * 2000}), [npy(1 << 20)]))'
    result, peak, spent = forged(sandbox_pool, body)
    assert_refused(result, "referenced more than once")
    honest_peak, honest_spent = honest_cost(sandbox_pool, 1 << 20)
    assert peak <= honest_peak + 4 * MIB
    assert spent <= honest_spent + 0.25


def test_a_huge_header_under_an_unchecked_key_is_refused_before_parsing(
    sandbox_pool: ZygotePool,
) -> None:
    body = 'send(frame(b\'{"junk": "\' + b"x" * (30 << 20) + b\'"}\'))'
    result, peak, spent = forged(sandbox_pool, body)
    assert_refused(result, "frame header of")
    honest_peak, honest_spent = honest_cost(sandbox_pool, 30 << 20)
    assert peak <= honest_peak + 4 * MIB
    assert spent <= honest_spent + 0.25


def test_an_unknown_header_key_is_refused(sandbox_pool: ZygotePool) -> None:
    body = 'h = result(1)\nh["extra"] = list(range(1000))\nsend(frame(h))'
    assert_refused(forged(sandbox_pool, body)[0], "known keys")


def test_three_hundred_thousand_tiny_blobs_are_refused_by_count(sandbox_pool: ZygotePool) -> None:
    # Each blob was once parsed twice (~30 us each); now the count is refused before any is.
    body = 'send(frame(result([{"__nd__": i} for i in range(10_000)]), [b""] * 300_000))'
    result, peak, spent = forged(sandbox_pool, body)
    assert_refused(result, "claims 300000 blobs")
    honest_peak, honest_spent = honest_cost(sandbox_pool, 8 << 20)  # the frame is ~6.5 MiB
    assert peak <= honest_peak + 4 * MIB
    assert spent <= honest_spent + 0.25


def test_deep_nesting_is_refused_cheaply(sandbox_pool: ZygotePool) -> None:
    body = 'send(frame(b\'{"value": \' + b"[" * 130_000 + b"]" * 130_000 + b"}"))'
    result, _, spent = forged(sandbox_pool, body)
    assert_refused(result, "not valid JSON")
    assert spent < 0.5


def test_a_giant_npy_header_dict_is_refused_unparsed(sandbox_pool: ZygotePool) -> None:
    giant = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), " + "'x': 0, " * 20_000 + "}"
    body = f'send(frame(result({{"__nd__": 0}}), [npy(8, {giant!r})]))'
    result, _, spent = forged(sandbox_pool, body)
    assert_refused(result, "array header is too long")
    assert spent < 0.5


def test_an_npy_header_claiming_more_than_the_blob_holds_is_refused(
    sandbox_pool: ZygotePool,
) -> None:
    text = "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 1024), }"
    body = f'send(frame(result({{"__nd__": 0}}), [npy(64, {text!r})]))'
    result, peak, _ = forged(sandbox_pool, body)
    assert_refused(result, "not what the blob holds")
    assert peak < 16 * MIB


def test_an_oversized_result_is_dropped_while_it_is_read(sandbox_pool: ZygotePool) -> None:
    body = f'send(frame(result(1)) + b"x" * {RESULT_BYTES + MIB})'
    result, peak, _ = forged(sandbox_pool, body)
    assert result.status == "crashed"
    assert "larger than" in result.detail
    assert peak <= RESULT_BYTES + 8 * MIB


def test_a_forged_callable_spec_in_a_result_is_refused_and_never_run(
    sandbox_pool: ZygotePool, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    source = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('x')\nf = print\n"
    body = f'send(frame(result({{"__fn__": {{"source": {source!r}, "name": "f"}}}})))'
    assert_refused(forged(sandbox_pool, body)[0], "callable spec is not accepted")
    assert not marker.exists()


def test_a_returned_dict_shaped_like_a_callable_spec_stays_plain_data(
    sandbox_pool: ZygotePool,
) -> None:
    code = (
        "def f():\n    return {'__fn__': {'source': 'import os\\nos.system(\"id\")', 'name': 'f'},"
        " '__nd__': 0}\n"
    )
    result = sandbox_pool.run(code, [{"key": "k", "func": "f"}], FAST)
    value = result.outcomes["k"].value
    assert type(value) is dict
    assert type(value["__fn__"]) is dict
    assert value["__fn__"]["source"] == 'import os\nos.system("id")'
    assert value["__nd__"] == 0


# ----- in-band signals: every exit, signal and message after setup is the learner's -----------


@pytest.mark.parametrize("code", [71, 152, 137, 1])
def test_any_exit_code_is_a_learner_crash_never_a_sandbox_fault(
    sandbox_pool: ZygotePool, code: int
) -> None:
    # 71 was "setup failed" (the zygote was killed, grading stopped); 152 was "CPU limit".
    source = (
        "import os, sys\nprint('sandbox setup failed: pretend', file=sys.stderr)\n"
        f"sys.stderr.flush()\nos._exit({code})\n"
    )
    result = sandbox_pool.run(source, [], FAST)
    assert (result.status, result.detail) == (
        "crashed",
        "the process exited before returning its results",
    )
    assert result.stderr == "sandbox setup failed: pretend\n"


def test_raising_oserror_enomem_is_the_learners_error_not_a_memory_verdict(
    sandbox_pool: ZygotePool,
) -> None:
    code = "def f():\n    raise OSError(12, 'Cannot allocate memory')\n"
    result = sandbox_pool.run(code, [{"key": "k", "func": "f"}], FAST)
    assert result.status == "ok"
    assert (result.outcomes["k"].error.type, result.outcomes["k"].error.line) == ("OSError", 2)


def test_raising_memory_error_is_the_learners_error_not_a_memory_verdict(
    sandbox_pool: ZygotePool,
) -> None:
    result = sandbox_pool.run("raise MemoryError('fake')\n", [], FAST)
    assert result.status == "error"
    assert result.module_error.type == "MemoryError"


def test_claiming_cpu_time_in_output_changes_nothing(sandbox_pool: ZygotePool) -> None:
    code = "import signal\nprint('CPU time limit exceeded')\nsignal.raise_signal(signal.SIGXCPU)\n"
    result = sandbox_pool.run(code, [], FAST)
    # PID 1 of its namespace ignores a default-action SIGXCPU: the module simply finishes.
    assert result.status == "ok"
    assert result.cpu_seconds < FAST.cpu_seconds


# ----- output is neutralised before anyone stores or shows it ---------------------------------


def test_terminal_control_sequences_in_output_are_neutralised(sandbox_pool: ZygotePool) -> None:
    code = (
        "import sys\n"
        "print('a\\x1b[2J\\x1b]0;owned\\x07b\\rc\\u202ed\\x9b\\x00e\\tf')\n"
        "sys.stderr.write('\\x1b[31mred\\x1b[0m\\n')\n"
    )
    result = sandbox_pool.run(code, [], FAST)
    assert result.stdout == "a\\x1b[2J\\x1b]0;owned\\x07b\\rc\\u202ed\\x9b\\x00e\tf\n"
    assert result.stderr == "\\x1b[31mred\\x1b[0m\n"


def test_control_characters_in_an_error_message_are_neutralised(sandbox_pool: ZygotePool) -> None:
    result = sandbox_pool.run("raise ValueError('\\x1b[2Jgone\\r')\n", [], FAST)
    assert result.module_error.message == "\\x1b[2Jgone\\r"
    assert "\x1b" not in result.module_error.traceback


# Every way learner text reaches the trusted side, each carrying what a terminal, a page or a
# database must never receive raw: ESC, an RLO, a NUL and a lone surrogate.
HOSTILE_TEXT = "\\x1b[31m\\u202e\\x00\\ud800"
HOSTILE_NAME = "<b>\\x1b[31m\\u202e"  # a class name: Python refuses NUL and surrogates there
TEXT_PATHS = {
    "module-error message": f"raise ValueError('{HOSTILE_TEXT}')\n",
    "module-error type": f"raise type('{HOSTILE_NAME}', (Exception,), {{}})()\n",
    "syntax error": f"x = ('{HOSTILE_TEXT}'\n",
    # Raw ESC and RLO in the source itself, quoted back in the traceback.
    "traceback source line": "def f():\n    raise ValueError()  # \x1b[31m\u202e\n",
    "call error message": f"def f():\n    raise KeyError('{HOSTILE_TEXT}')\n",
    "call error type": f"def f():\n    raise type('{HOSTILE_NAME}', (ValueError,), {{}})('x')\n",
    "returned string": f"def f():\n    return ['{HOSTILE_TEXT}', ('{HOSTILE_TEXT}',)]\n",
    "dict key and value": f"def f():\n    return {{'{HOSTILE_TEXT}': '{HOSTILE_TEXT}'}}\n",
    "class name": f"def f():\n    return type('{HOSTILE_NAME}', (), {{}})()\n",
    "output": f"import sys\nprint('{HOSTILE_NAME}\\x00')\nsys.stderr.write('{HOSTILE_NAME}')\n",
    "forged frame": FORGE
    + (
        f"\nT = '{HOSTILE_TEXT}'\n"
        "error = {'__dict__': [['type', T], ['message', T], ['line', 1], ['traceback', T]]}\n"
        "bad = {'__dict__': [['ok', False], ['error', error]]}\n"
        "value = {'__dict__': [[T, {'__unsupported__': T}], ['s', [T]]]}\n"
        "good = {'__dict__': [['ok', True], ['value', value]]}\n"
        "tree = {'__dict__': [['module_error', None], ['outcomes', "
        "{'__dict__': [['k', good], ['f', bad]]}]]}\n"
        "send(frame({'value': tree}))\n"
    ),
}


def strings_in(value: object) -> list[str]:
    """Every string in a run's result: fields, keys, values, type names, nested anywhere."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return strings_in(dataclasses.asdict(value))
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in strings_in(key) + strings_in(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in strings_in(item)]
    return []


# Embeddings, overrides, isolates and the three marks (LRM, RLM, ALM).
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def unsafe(text: str) -> list[str]:
    """Characters no stored or shown text may hold: controls but newline and tab, bidi
    controls and marks, lone surrogates."""
    return [
        repr(char)
        for char in text
        if char not in "\n\t"
        and (unicodedata.category(char) in ("Cc", "Cs") or char in BIDI_CONTROLS)
    ]


@pytest.mark.parametrize("code", TEXT_PATHS.values(), ids=TEXT_PATHS.keys())
def test_learner_text_is_neutralised_on_every_path_into_the_trusted_side(
    sandbox_pool: ZygotePool, code: str
) -> None:
    calls = [{"key": "k", "func": "f"}] if "def f" in code else []
    result = sandbox_pool.run(code, calls, FAST)
    assert result.status in ("ok", "error"), (result.status, result.detail)
    texts = strings_in(result)
    assert not [bad for text in texts for bad in unsafe(text)]
    for text in texts:
        text.encode("utf-8")  # what a database, a JSON renderer or a page needs
    assert "\\x1b[31m" in "".join(texts), "the text arrived, escaped"


# ----- the worker keeps going -----------------------------------------------------------------


HOSTILE_FILES = {
    "exit71.py": "import os\nos._exit(71)\n",
    "exit152.py": "import os\nos._exit(152)\n",
    "enomem.py": "def softmax(z):\n    raise OSError(12, 'Cannot allocate memory')\n",
    "memoryerror.py": "raise MemoryError\n",
    "forged.py": f"{FORGE}\nsend(frame(result({{'__tuple__': [{{'__nd__': 0}}] * 2000}}), [npy(1 << 20)]))\n",
}


def test_grade_keeps_grading_after_hostile_files(tmp_path: Path) -> None:
    paths = []
    for name, source in HOSTILE_FILES.items():
        paths.append(tmp_path / name)
        paths[-1].write_text(source)
    solution = PROJECT_ROOT / "apps/curriculum/content/probability/exercises/softmax/solution.py"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dlmath.settings"}
    out = subprocess.run(
        [sys.executable, "manage.py", "grade", "--exercise", "softmax", *map(str, paths), str(solution)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    statuses = [json.loads(line)["status"] for line in out.stdout.splitlines()]
    assert statuses == ["error"] * len(HOSTILE_FILES) + ["passed"]
    assert "sandbox" not in out.stderr.lower()


def test_concurrent_hostile_runs_leave_the_pool_working() -> None:
    with ZygotePool(2) as pool:
        codes = ["import os\nos._exit(71)\n", f"{FORGE}\nsend(frame(b'{{'))\n"] * 4
        results: list[RunResult] = []
        threads = [
            threading.Thread(target=lambda c=code: results.append(pool.run(c, [], FAST)))
            for code in codes
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(r.status for r in results) == ["crashed"] * len(codes)
        assert pool.zygote_failures == 0
        z = np.arange(3.0)
        result = pool.run("def f(z):\n    return z * 2\n", [{"key": "k", "func": "f", "args": [z]}])
        np.testing.assert_array_equal(result.outcomes["k"].value, z * 2)
