"""Benchmark the sandbox against a cold ``python -c`` process (the DESIGN.md baseline).

    .venv/bin/python bench/sandbox.py [-n 200] [--skip-decoder]

Prints the baseline, the warm-slot latency and the 2-slot throughput, each as a ratio
against the baseline measured in the same run, with PASS/FAIL per target; then what forged
result frames cost the trusted process (peak allocation, CPU) against an honest frame of the
same size, and a zygote's start with its self-test.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

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


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="submissions per measurement")
    parser.add_argument("--baseline-runs", type=int, default=9)
    parser.add_argument("--skip-decoder", action="store_true", help="only the speed figures")
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
    if not args.skip_decoder:
        decoder_report()
        zygote_start_report()


if __name__ == "__main__":
    main()
