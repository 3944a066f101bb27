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
}


def main() -> None:
    report: dict[str, object] = {"host_uid": os.getuid()}
    with ZygotePool(1) as pool:
        pool.self_test()
        report["layers"] = pool.layers
        limits = Limits(cpu_seconds=1, wall_seconds=3, memory_mb=256)
        for name, code in PROBES.items():
            result = pool.run(code, [{"key": "k", "func": "f", "args": [], "kwargs": {}}], limits)
            outcome = result.outcomes.get("k")
            report[name] = {
                "status": result.status,
                "value": outcome.value if outcome and outcome.ok else None,
            }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
