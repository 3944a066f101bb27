"""Run by test_unprivileged.py as an unprivileged uid: grade a few probes, print JSON.

Not a test module itself (no test_ prefix): it runs in a child process that has dropped
root, so the runner has to build its sandbox through a user namespace.
"""

from __future__ import annotations

import json
import os

from apps.sandbox.runner import Limits, ZygotePool

PROBES = {
    "identity": "import os\ndef f():\n    return os.getuid()\n",
    "network": (
        "import socket\ndef f():\n    try:\n"
        "        socket.create_connection(('127.0.0.1', 6379), timeout=1)\n"
        "        return 'connected'\n    except OSError as e:\n        return type(e).__name__\n"
    ),
    "project": "import os\ndef f():\n    return os.path.exists(os.environ.get('P', '/work/main/manage.py'))\n",
    "numpy": "import numpy as np\ndef f():\n    return float(np.linalg.norm(np.ones(4)))\n",
    "lazy_import": "def f():\n    import fractions, wave\n    return str(fractions.Fraction(1, 3))\n",
    "loop": "def f():\n    while True:\n        pass\n",
    "memory": "def f():\n    return len(bytearray(8 << 30))\n",
    "fork": (
        "import os\ndef f():\n    try:\n        os.fork()\n    except OSError as e:\n"
        "        return e.errno\n    return 'forked'\n"
    ),
    "thread_spin": (
        "import threading\ndef spin():\n    while True:\n        pass\n"
        "def f():\n    for _ in range(4):\n        threading.Thread(target=spin, daemon=True).start()\n"
        "    spin()\n"
    ),
    "threads_and_array": (
        "import threading, numpy as np\n"
        "def f():\n    big = np.ones(190 * 2**20 // 8)\n    sums = []\n"
        "    threads = [threading.Thread(target=lambda i=i: sums.append(float(big[i::16].sum())))"
        " for i in range(16)]\n"
        "    for t in threads:\n        t.start()\n    for t in threads:\n        t.join()\n"
        "    return round(sum(sums))\n"
    ),
}


def main() -> None:
    report: dict[str, object] = {"host_uid": os.getuid()}
    with ZygotePool(1) as pool:
        pool.self_test()
        report["layers"] = pool.layers
        for name, code in PROBES.items():
            memory = 512 if name == "threads_and_array" else 256
            # A generous wall clock: on a loaded machine 1 s of CPU can take a while.
            limits = Limits(cpu_seconds=1, wall_seconds=10, memory_mb=memory)
            result = pool.run(code, [{"key": "k", "func": "f", "args": [], "kwargs": {}}], limits)
            outcome = result.outcomes.get("k")
            report[name] = {
                "status": result.status,
                "value": outcome.value if outcome and outcome.ok else None,
                "error": outcome.error.type if outcome and outcome.error else None,
                "cpu_seconds": result.cpu_seconds,
                "detail": result.detail,
            }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
