"""One CPU and one memory budget per run, shared by every process and thread it starts.

With per-process limits, a run that forks spinners burns every core for the whole wall
limit and passes, and honest code with threads beside a large array is killed for address
space it never touches. The cgroup budget fixes both; ``cpu_seconds`` reports the run's
real CPU time. ``unaffected`` checks the zygote survived and the next learner is fine.
"""

from __future__ import annotations

import socket

import numpy as np
import pytest

from apps.sandbox.runner import Limits, ZygotePool
from apps.sandbox.runner.limits import CPU_QUOTA_CORES
from tests.sandbox.conftest import FAST

pytestmark = pytest.mark.usefixtures("unaffected")

SPINNERS = """\
import os, time

def f(children):
    for _ in range(children):
        if os.fork() == 0:
            while True:
                pass
    time.sleep(60)  # the first process only sleeps: all the CPU is its children's
"""


def test_a_dozen_forked_spinners_end_as_a_cpu_timeout_counting_all_of_them(
    sandbox_pool: ZygotePool,
) -> None:
    limits = Limits(cpu_seconds=1, wall_seconds=20, memory_mb=256)
    result = sandbox_pool.run(SPINNERS, [{"key": "k", "func": "f", "args": [12]}], limits)
    assert (result.status, result.detail) == ("timeout", "used more than 1.0 s of CPU time")
    assert 1.0 <= result.cpu_seconds < 2.0
    # Stopped by the CPU budget long before the wall clock, and never more than the quota's
    # cores at once: the twelve processes shared one budget.
    assert result.duration_ms < 15_000
    assert result.cpu_seconds <= CPU_QUOTA_CORES * result.duration_ms / 1000 + 0.1


def test_cpu_time_of_children_that_exit_is_reported(sandbox_pool: ZygotePool) -> None:
    code = (
        "import os, time\n"
        "def burn(seconds):\n    end = time.process_time() + seconds\n"
        "    while time.process_time() < end:\n        pass\n"
        "def f():\n    pids = []\n    for _ in range(3):\n        pid = os.fork()\n"
        "        if pid == 0:\n            burn(0.3)\n            os._exit(0)\n"
        "        pids.append(pid)\n    for pid in pids:\n        os.waitpid(pid, 0)\n"
        "    return time.process_time()\n"
    )
    limits = Limits(cpu_seconds=5, wall_seconds=20, memory_mb=256)
    result = sandbox_pool.run(code, [{"key": "k", "func": "f"}], limits)
    own = result.outcomes["k"].value  # the first process's own CPU: almost none
    assert result.status == "ok"
    assert own < 0.3
    assert result.cpu_seconds >= 0.9 + own * 0.5


def test_a_sleeping_run_reports_almost_no_cpu(sandbox_pool: ZygotePool) -> None:
    result = sandbox_pool.run("import time\ntime.sleep(0.5)\n", [], FAST)
    assert result.status == "ok"
    assert result.cpu_seconds < 0.2


def test_threads_beside_a_large_array_fit_the_memory_limit(sandbox_pool: ZygotePool) -> None:
    # 16 threads reserve far more address space than they touch; only touched memory counts.
    code = (
        "import threading, numpy as np\n"
        "def f():\n    big = np.ones(190 * 2**20 // 8)\n    sums = [0.0] * 16\n"
        "    def work(i):\n        sums[i] = float(big[i::16].sum())\n"
        "    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]\n"
        "    for t in threads:\n        t.start()\n    for t in threads:\n        t.join()\n"
        "    return sum(sums), threading.active_count()\n"
    )
    limits = Limits(cpu_seconds=5, wall_seconds=20, memory_mb=512)
    result = sandbox_pool.run(code, [{"key": "k", "func": "f"}], limits)
    assert result.status == "ok", (result.status, result.detail)
    assert result.outcomes["k"].value == (190 * 2**20 // 8, 1)
    assert result.memory_peak_mb is not None
    assert 190 <= result.memory_peak_mb < 512


def test_memory_of_forked_children_counts_against_the_run(sandbox_pool: ZygotePool) -> None:
    # Each child alone fits the limit; together they do not.
    code = (
        "import os, time\n"
        "for _ in range(4):\n    if os.fork() == 0:\n"
        "        block = bytearray(100 * 2**20)\n        time.sleep(30)\n"
        "time.sleep(30)\n"
    )
    limits = Limits(cpu_seconds=5, wall_seconds=10, memory_mb=256)
    result = sandbox_pool.run(code, [], limits)
    assert (result.status, result.detail) == (
        "memory",
        "used more than 256 MiB of memory and was killed",
    )


def test_touching_more_than_the_limit_is_a_memory_verdict_with_evidence(
    sandbox_pool: ZygotePool,
) -> None:
    code = "import numpy as np\ndef f():\n    return float(np.ones(2**28).sum())\n"
    result = sandbox_pool.run(code, [{"key": "k", "func": "f"}], FAST)
    assert result.status == "memory"
    assert result.outcomes == {}


def test_a_request_the_kernel_refuses_outright_is_the_learners_memory_error(
    sandbox_pool: ZygotePool,
) -> None:
    # 4 EiB is refused by the kernel before any memory is used: no OOM kill, so no
    # memory verdict; the learner sees the MemoryError their code raised.
    code = "import numpy as np\ndef f():\n    return np.empty(2**62, dtype=np.uint8)\n"
    result = sandbox_pool.run(code, [{"key": "k", "func": "f"}], FAST)
    assert result.status == "ok"
    assert result.outcomes["k"].error.type == "MemoryError"


def test_the_run_has_its_own_hostname(sandbox_pool: ZygotePool) -> None:
    code = "import os, socket\ndef f():\n    return socket.gethostname(), os.uname().nodename\n"
    result = sandbox_pool.run(code, [{"key": "k", "func": "f"}], FAST)
    assert result.outcomes["k"].value == ("sandbox", "sandbox")
    assert socket.gethostname() != "sandbox"


def test_changing_the_hostname_is_refused(sandbox_pool: ZygotePool) -> None:
    code = (
        "import socket\ndef f():\n    try:\n        socket.sethostname('evil')\n"
        "    except OSError as exc:\n        return exc.errno\n"
    )
    result = sandbox_pool.run(code, [{"key": "k", "func": "f"}], FAST)
    assert result.outcomes["k"].value == 1  # EPERM


def test_raising_its_own_limits_is_refused(sandbox_pool: ZygotePool) -> None:
    code = (
        "import resource\ndef f():\n    try:\n"
        "        resource.setrlimit(resource.RLIMIT_CPU, (10**6, 10**6))\n"
        "    except (OSError, ValueError) as exc:\n        return type(exc).__name__\n"
    )
    result = sandbox_pool.run(code, [{"key": "k", "func": "f"}], FAST)
    assert result.outcomes["k"].value in ("ValueError", "PermissionError")


def test_honest_numpy_work_reports_its_cpu(sandbox_pool: ZygotePool) -> None:
    code = (
        "import numpy as np\ndef f():\n    a = np.random.default_rng(0).normal(size=(300, 300))\n"
        "    for _ in range(20):\n        a = np.tanh(a @ a.T / 300)\n    return a.shape\n"
    )
    result = sandbox_pool.run(code, [{"key": "k", "func": "f"}], Limits(wall_seconds=20))
    assert result.status == "ok"
    assert result.outcomes["k"].value == (300, 300)
    assert 0 < result.cpu_seconds < Limits().cpu_seconds
    np.testing.assert_equal(result.outcomes["k"].value, (300, 300))
