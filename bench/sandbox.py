"""Benchmark the sandbox against a cold ``python -c`` process (the DESIGN.md baseline).

    .venv/bin/python bench/sandbox.py [-n 200] [--skip-decoder] [--skip-grade] [--profile]

Prints the baseline, the warm-slot latency and the 2-slot throughput of bare runs, each as a
ratio against the baseline measured in the same run, with PASS/FAIL per target; then the
whole grading path of ``manage.py grade`` (cases, reference, sandboxed run, checks, figures,
the result serialized to JSON) per submission and its throughput with one warm grading
process per core; then what forged result frames cost the trusted process (peak
allocation, CPU) against an honest frame of the same size, and a zygote's start with its
self-test. ``--profile`` prints where the grading path's CPU goes (cProfile, cumulative).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import io
import itertools
import json
import multiprocessing
import os
import pstats
import statistics
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apps.sandbox.runner import Limits, ZygotePool, wire

SOLUTION = """\
import numpy as np

def softmax(z):
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)
"""
BASELINE_SCRIPT = SOLUTION + "\nz = np.random.default_rng(0).normal(size=(64, 10))\nsoftmax(z)\n"
LATENCY_TARGET = 0.15
THROUGHPUT_TARGET = 10.0
GRADE_LATENCY_TARGET = 0.08  # issue 21: a graded softmax with its figures, per submission
GRADE_THROUGHPUT_TARGET = 150.0  # graded per second on 2 cores
WRONG_SOFTMAX = """\
import numpy as np

def softmax(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
"""


def baseline_ms(runs: int) -> float:
    """Median wall time of a cold interpreter that imports numpy and runs the solution."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", BASELINE_SCRIPT], check=True)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def grade_once(pool: ZygotePool, z: np.ndarray) -> None:
    result = pool.run(SOLUTION, [{"key": "z", "func": "softmax", "args": [z]}], Limits())
    if result.status != "ok" or not result.outcomes["z"].ok:
        raise SystemExit(f"the sandbox failed the benchmark submission: {result}")


def latency_ms(n: int, z: np.ndarray) -> float:
    with ZygotePool(1) as pool:
        for _ in range(5):
            grade_once(pool, z)  # warm up
        timings = []
        for _ in range(n):
            started = time.perf_counter()
            grade_once(pool, z)
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def throughput_per_second(n: int, z: np.ndarray, slots: int = 2) -> float:
    with ZygotePool(slots) as pool:
        for _ in range(4):
            grade_once(pool, z)
        remaining = [n]
        lock = threading.Lock()

        def worker() -> None:
            while True:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                grade_once(pool, z)

        threads = [threading.Thread(target=worker) for _ in range(slots)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return n / (time.perf_counter() - started)


# --- the whole grading path of `manage.py grade`, per submission -------------------------------
def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dlmath.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    import django

    django.setup()


def _grader() -> Any:
    """A function grading one source as `manage.py grade` does, printing nothing."""
    _django()
    from django.utils import timezone

    from apps.curriculum.loader import load_curriculum
    from apps.sandbox.api.serializers import result_json
    from apps.sandbox.backends import grading_backend
    from apps.sandbox.grading.engine import grade_code
    from apps.sandbox.results import SubmissionResult

    exercise = load_curriculum().exercise("softmax")
    runner = grading_backend()

    def grade(source: bytes) -> dict[str, Any]:
        created_at = timezone.now()
        result = grade_code(exercise, source, runner=runner)
        timed = SubmissionResult.of_grade(result, created_at=created_at, finished_at=timezone.now())
        line = json.dumps(result_json(timed))
        return {"status": result.status, "figures": len(result.figures), "bytes": len(line)}

    return grade


def _zygote_cpu_ms() -> float:
    """CPU so far of this process's zygote and every run it has reaped (ms)."""
    from apps.sandbox.backends import sandbox_pool

    zygote = sandbox_pool()._slots[0].zygote  # a benchmark's look inside
    if zygote is None:
        return float("nan")
    fields = Path(f"/proc/{zygote.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


class _Phases:
    """Marks the phases of one grading (a benchmark's look inside): the run started, the
    reference computed (while the run goes on), the run's result in hand."""

    def __init__(self) -> None:
        from apps.sandbox.backends import ZygotePoolBackend
        from apps.sandbox.grading import engine

        self.marks: dict[str, float] = {}
        reference, start = engine.reference_outcomes, ZygotePoolBackend.start
        marks = self.marks

        def timed_reference(*args: Any, **kwargs: Any) -> Any:
            outcomes = reference(*args, **kwargs)
            marks["reference"] = time.perf_counter()
            return outcomes

        def timed_start(backend: Any, *args: Any) -> Any:
            pending = start(backend, *args)
            marks["started"] = time.perf_counter()
            real_result = pending.result

            def result() -> Any:
                run = real_result()
                marks["result"] = time.perf_counter()
                return run

            pending.result = result
            return pending

        engine.reference_outcomes = timed_reference
        ZygotePoolBackend.start = timed_start  # type: ignore[method-assign]


@functools.cache
def _phases() -> _Phases:
    return _Phases()


def grade_path_ms(n: int, source: bytes) -> tuple[float, float, float, dict[str, Any], str]:
    """Per submission, one warm slot: (median wall ms, median CPU ms of this process, mean CPU
    ms of the zygote and its runs, the outcome, the median wall of each phase)."""
    grade = _grader()
    phases = _phases()
    for _ in range(5):
        outcome = grade(source)
    walls, cpus = [], []
    split: dict[str, list[float]] = {"before": [], "reference": [], "wait": [], "after": []}
    sandbox_before = _zygote_cpu_ms()
    for _ in range(n):
        phases.marks.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        grade(source)
        cpus.append((time.process_time() - cpu) * 1000)
        end = time.perf_counter()
        walls.append((end - wall) * 1000)
        marks = phases.marks
        split["before"].append((marks["started"] - wall) * 1000)
        split["reference"].append((marks["reference"] - marks["started"]) * 1000)
        split["wait"].append((marks["result"] - marks["reference"]) * 1000)
        split["after"].append((end - marks["result"]) * 1000)
    sandbox = (_zygote_cpu_ms() - sandbox_before) / n
    parts = {name: statistics.median(values) for name, values in split.items()}
    breakdown = (
        f"wall medians: cases and run started {parts['before']:.2f} ms, reference (the run "
        f"going on) {parts['reference']:.2f} ms, then waiting for the run {parts['wait']:.2f} "
        f"ms, checks + figures + JSON after it {parts['after']:.2f} ms"
    )
    return statistics.median(walls), statistics.median(cpus), sandbox, outcome, breakdown


def grade_profile(n: int, source: bytes) -> None:
    grade = _grader()
    for _ in range(5):
        grade(source)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        grade(source)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    print(out.getvalue())


def _grading_process(source: bytes, n: int, ready: Any, go: Any, done: Any) -> None:
    os.environ["DLMATH_SANDBOX_SLOTS"] = "1"
    grade = _grader()
    for _ in range(5):
        grade(source)
    ready.put(os.getpid())
    go.wait()
    cpu, sandbox = time.process_time(), _zygote_cpu_ms()
    for _ in range(n):
        grade(source)
    cpu_ms = (time.process_time() - cpu) * 1000 + _zygote_cpu_ms() - sandbox
    done.put((time.perf_counter(), cpu_ms))


def grade_throughput(n: int, source: bytes, processes: int = 2) -> tuple[float, float]:
    """(graded per second, CPU ms per grading) of ``processes`` warm grading processes (a
    Celery worker's children, one sandbox slot each) sharing ``n`` submissions, from the
    moment all are released. The CPU counts each process, its zygote and the runs."""
    context = multiprocessing.get_context("spawn")
    ready, done, go = context.Queue(), context.Queue(), context.Event()
    share = -(-n // processes)
    children = [
        context.Process(target=_grading_process, args=(source, share, ready, go, done))
        for _ in range(processes)
    ]
    for child in children:
        child.start()
    for _ in children:
        ready.get(timeout=120)
    started = time.perf_counter()
    go.set()
    reports = [done.get(timeout=600) for _ in children]
    finished = max(report[0] for report in reports)
    for child in children:
        child.join()
    return share * processes / (finished - started), sum(r[1] for r in reports) / (
        share * processes
    )


def grade_command_ms(files: int, source: bytes) -> float:
    """Median time between two results of one `manage.py grade` over ``files`` files (each
    result line is read as the command prints it, unbuffered), so the command's start-up and
    its zygote's self-test are left out."""
    manage = Path(__file__).resolve().parents[1] / "manage.py"
    folder = Path(f"/tmp/dlmath-bench-grade-{os.getpid()}")
    folder.mkdir(exist_ok=True)
    paths = []
    for index in range(files):
        path = folder / f"s{index}.py"
        path.write_bytes(source)
        paths.append(str(path))
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench"),
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, str(manage), "grade", "--exercise", "softmax", *paths]
    stamps = []
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE) as child:
        assert child.stdout is not None
        for _ in child.stdout:
            stamps.append(time.perf_counter())
    gaps = [(later - earlier) * 1000 for earlier, later in itertools.pairwise(stamps)]
    return statistics.median(gaps[2:])  # the first gradings warm the caches


MIB = 1024 * 1024


def _result_frame(value: object, blobs: list[bytes]) -> bytes:
    outcome = {"__dict__": [["ok", True], ["value", value]]}
    tree = {"__dict__": [["module_error", None], ["outcomes", {"__dict__": [["k", outcome]]}]]}
    return wire.pack({"value": tree}, blobs)


def _raw_frame(header: bytes, blobs: list[bytes]) -> bytes:
    parts = [struct.pack(">I", len(header)), header, struct.pack(">I", len(blobs))]
    for blob in blobs:
        parts += [struct.pack(">Q", len(blob)), blob]
    return b"".join(parts)


def forged_frames() -> dict[str, bytes]:
    one_mib = wire.npy_bytes(np.zeros(MIB // 8))
    claim = "{'descr': '<f8', 'fortran_order': False, 'shape': (4398046511104,), }"
    claim += " " * (-(len(claim) + 11) % 64) + "\n"
    huge_claim = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(claim)) + claim.encode()
    return {
        "1 MiB blob referenced 2000 times": _result_frame(
            {"__tuple__": [{"__nd__": 0}] * 2000}, [one_mib]
        ),
        "30 MiB header, unchecked key": _raw_frame(b'{"junk":"' + b"x" * (30 * MIB) + b'"}', []),
        "300 000 tiny blobs": _result_frame([{"__nd__": 0}], [b"\0" * 8] * 300_000),
        "130 000 nested lists": _raw_frame(
            b'{"value":' + b"[" * 130_000 + b"]" * 130_000 + b"}", []
        ),
        ".npy header claiming 32 TiB": _result_frame({"__nd__": 0}, [huge_claim]),
        "largest header accepted (87 000 lists)": _raw_frame(
            b'{"value":[' + b"[]," * 87_000 + b"[]]}", []
        ),
        "4096 one-element arrays": _result_frame(
            [{"__nd__": i} for i in range(4096)], [wire.npy_bytes(np.zeros(1))] * 4096
        ),
    }


def decode_cost(frame: bytes) -> tuple[float, float]:
    """(peak MiB allocated, CPU ms) of decoding ``frame`` at the trust boundary."""
    timings = []
    for _ in range(3):
        started = time.thread_time()
        with contextlib.suppress(wire.WireError):
            wire.decode_result(frame)
        timings.append((time.thread_time() - started) * 1000)
    tracemalloc.start()
    with contextlib.suppress(wire.WireError):
        wire.decode_result(frame)
    peak = tracemalloc.get_traced_memory()[1] / MIB
    tracemalloc.stop()
    return peak, min(timings)


def decoder_report() -> None:
    print("\nforged result frames at the trust boundary (vs an honest frame of the same size):")
    print(f"{'frame':42} {'bytes':>10} {'MiB':>6} {'ms':>7} {'honest MiB':>10} {'ms':>7}")
    for name, frame in forged_frames().items():
        honest = _result_frame(
            {"__nd__": 0}, [wire.npy_bytes(np.ones(min(len(frame), 32 * MIB - 4096) // 8))]
        )
        peak, cpu = decode_cost(frame)
        honest_peak, honest_cpu = decode_cost(honest)
        print(f"{name:42} {len(frame):>10,} {peak:>6.1f} {cpu:>7.1f} {honest_peak:>10.1f} "
              f"{honest_cpu:>7.1f}")  # fmt: skip


def zygote_start_report() -> None:
    started = time.perf_counter()
    with ZygotePool(1) as pool:
        elapsed = time.perf_counter() - started
        print(f"\nzygote start incl. self-test: {elapsed * 1000:.0f} ms; layers: "
              f"{json.dumps(pool.layers)}")  # fmt: skip


def grade_report(n: int, base: float) -> None:
    print("\nthe grading path of `manage.py grade --exercise softmax` (full isolation, figures):")
    for name, source in (("correct", SOLUTION), ("wrong (no max shift)", WRONG_SOFTMAX)):
        wall, cpu, sandbox, outcome, breakdown = grade_path_ms(n, source.encode())
        ratio = wall / base
        target = f"(target <= {GRADE_LATENCY_TARGET}) {verdict(ratio <= GRADE_LATENCY_TARGET)}"
        print(
            f"  {name}: {wall:.2f} ms median = {ratio:.3f} x baseline {target}; CPU: "
            f"trusted process {cpu:.2f} ms (median), zygote + run {sandbox:.2f} ms (mean); "
            f"{outcome['status']}, {outcome['figures']} figure(s), {outcome['bytes']:,} bytes "
            f"of JSON\n    {breakdown}"
        )
    command = grade_command_ms(min(n, 40), SOLUTION.encode())
    print(f"  `manage.py grade` over 40 files, median per file: {command:.2f} ms "
          f"= {command / base:.3f} x baseline")  # fmt: skip
    throughput, cpu_ms = grade_throughput(n, SOLUTION.encode())
    print(
        f"  throughput, 2 grading processes x 1 slot: {throughput:.1f} graded/s "
        f"(target >= {GRADE_THROUGHPUT_TARGET:.0f}) "
        f"{verdict(throughput >= GRADE_THROUGHPUT_TARGET)}; CPU per grading {cpu_ms:.2f} ms "
        f"(all processes), so two idle cores could grade at most {2000 / cpu_ms:.0f}/s"
    )


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="submissions per measurement")
    parser.add_argument("--baseline-runs", type=int, default=9)
    parser.add_argument("--skip-decoder", action="store_true", help="only the speed figures")
    parser.add_argument("--skip-grade", action="store_true", help="no grading-path figures")
    parser.add_argument("--profile", action="store_true", help="profile the grading path")
    args = parser.parse_args()
    if args.profile:
        for name, source in (("correct", SOLUTION), ("wrong (no max shift)", WRONG_SOFTMAX)):
            print(f"--- {name} softmax, {args.n} gradings ---")
            grade_profile(args.n, source.encode())
        return
    z = np.random.default_rng(0).normal(size=(64, 10))

    base = baseline_ms(args.baseline_runs)
    latency = latency_ms(args.n, z)
    throughput = throughput_per_second(args.n, z)
    base_throughput = 1000 / base
    latency_ratio = latency / base
    throughput_ratio = throughput / base_throughput

    print(f"baseline (cold python -c, import numpy + softmax): {base:.1f} ms median")
    print(
        f"latency, 1 warm slot: {latency:.2f} ms median = {latency_ratio:.3f} x baseline "
        f"(target <= {LATENCY_TARGET}) {verdict(latency_ratio <= LATENCY_TARGET)}"
    )
    print(
        f"throughput, 2 slots x 2 threads: {throughput:.1f}/s = {throughput_ratio:.1f} x baseline "
        f"{base_throughput:.1f}/s (target >= {THROUGHPUT_TARGET}) "
        f"{verdict(throughput_ratio >= THROUGHPUT_TARGET)}"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not args.skip_grade:
        grade_report(args.n, base)
    if not args.skip_decoder:
        decoder_report()
        zygote_start_report()


if __name__ == "__main__":
    main()
