"""How much slower work runs on a core that has just been idle (this host's frequency and idle
states), for the same code back to back and after a pause.

    .venv/bin/python bench/idle.py [--gaps 0,5,50] [-n 60]

Prints, per pause length, the median time of a fixed pure-Python loop and of a warm sandbox
run of the softmax solution (``ZygotePool(1)``, as in bench/sandbox.py). The end-to-end path
(bench/e2e.py) is made of such pauses (the learner's request wakes gunicorn, the worker, the
zygote and the run in turn), so on a host where an idle core wakes slowly the worker's run
takes several times what bench/sandbox.py's tight loop measures. No target: an explanation.

What it showed (bench/README.md, "Fourth pass"): most of a sandbox run's slowdown after a
pause was not the core but the kernel. Moving a process into a cgroup v1 takes a lock that,
unless another move happened within the last few milliseconds, first waits for an RCU grace
period: 10-11 ms of the 18.6 ms a run took after a 50 ms pause (0.06 ms back to back). The
run's process is now forked and joined to its cgroups ahead of its run (Supervisor.fork_spare),
and a run after a 50 ms pause takes about what it takes back to back.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def loop() -> int:
    total = 0
    for i in range(20_000):
        total += i * i
    return total


def timed(work: Callable[[], object], gap: float, n: int) -> float:
    timings = []
    for _ in range(n):
        if gap:
            time.sleep(gap)
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gaps", default="0,5,50", help="pauses before each repetition, ms")
    parser.add_argument("-n", type=int, default=60, help="repetitions per pause")
    args = parser.parse_args()
    gaps = [float(g) / 1000 for g in args.gaps.split(",")]

    import numpy as np
    from sandbox import SOLUTION

    from apps.sandbox.runner.limits import Limits
    from apps.sandbox.runner.pool import ZygotePool

    z = np.random.default_rng(0).normal(size=(64, 10))
    calls = [{"key": "z", "func": "softmax", "args": [z]}]
    runs: list[float] = []

    def run() -> None:
        result = pool.run(SOLUTION, calls, Limits())
        if result.status != "ok":
            raise SystemExit(f"the sandbox failed the benchmark submission: {result}")
        runs.append(result.duration_ms)

    with ZygotePool(1) as pool:
        for _ in range(10):
            run()  # warm up
        for gap in gaps:
            runs.clear()
            looped = timed(loop, gap, args.n)
            wall = timed(run, gap, args.n)
            print(
                f"after a {gap * 1000:.0f} ms pause: loop {looped:.2f} ms; sandbox run "
                f"{wall:.2f} ms wall, {statistics.median(runs):.2f} ms inside the zygote"
            )


if __name__ == "__main__":
    main()
