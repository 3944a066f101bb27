"""Benchmark the sandbox against a cold ``python -c`` process (the DESIGN.md baseline).

    .venv/bin/python bench/sandbox.py [-n 200]

Prints the baseline, the warm-slot latency and the 2-slot throughput, each as a ratio
against the baseline measured in the same run, with PASS/FAIL per target.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apps.sandbox.runner import Limits, ZygotePool

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


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="submissions per measurement")
    parser.add_argument("--baseline-runs", type=int, default=9)
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
