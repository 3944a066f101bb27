"""The sandbox without root: the same isolation, built through a user namespace.

CI runs as root, so the test drops to `nobody` itself: in a private mount namespace it makes
the interpreter (under /root, mode 700 on these machines) reachable for that uid, then runs
tests/sandbox/unprivileged_probe.py as uid 65534 with setpriv.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _others_can_reach(path: Path) -> bool:
    """Every directory from / down to ``path`` lets other users through (o+rx)."""
    return all(os.stat(p).st_mode & 0o005 == 0o005 for p in [path, *path.parents])


pytestmark = [
    pytest.mark.skipif(
        os.geteuid() != 0 or not (shutil.which("unshare") and shutil.which("setpriv")),
        reason="needs root to drop to an unprivileged uid (and util-linux's unshare, setpriv)",
    ),
    pytest.mark.skipif(
        not (_others_can_reach(ROOT) and _others_can_reach(Path(sys.prefix))),
        reason="the checkout or its venv is not readable by other users, so `nobody` can't run it",
    ),
]


def _reachable_interpreter_script() -> str:
    """Shell run inside `unshare --mount`: expose the interpreter's prefix under a 755 path."""
    prefix = os.path.realpath(sys.base_prefix)
    # Staging mounts live on a tmpfs private to the namespace: nothing is left on the host.
    steps = ["mount -t tmpfs -o mode=755 tmpfs /mnt"]
    # Every 0700 ancestor of the interpreter hides it from nobody: cover each with a
    # tmpfs whose only content is the next step of the path, bound back in.
    parts = Path(prefix).parts
    for depth in range(2, len(parts)):
        ancestor = Path(*parts[:depth])
        if (ancestor.stat().st_mode & 0o005) != 0o005:
            child = Path(*parts[: depth + 1])
            stage = f"/mnt/stage-{depth}"
            steps += [
                f"mkdir -p {stage}",
                f"mount --bind {child} {stage}",
                f"mount -t tmpfs -o mode=755 tmpfs {ancestor}",
                f"mkdir -p {child}",
                f"mount --bind {stage} {child}",
            ]
    probe = ROOT / "tests" / "sandbox" / "unprivileged_probe.py"
    steps.append(
        "exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "
        f"env -i PATH=/usr/bin:/bin HOME=/tmp PYTHONPATH={ROOT} P={ROOT / 'manage.py'} "
        f"{sys.executable} {probe}"
    )
    return " && ".join(steps)


@pytest.fixture(scope="module")
def report() -> dict:
    out = subprocess.run(
        [
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            _reachable_interpreter_script(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def status_and_value(probe: dict) -> dict:
    return {"status": probe["status"], "value": probe["value"]}


def test_it_runs_as_an_unprivileged_uid_through_a_user_namespace(report) -> None:
    assert report["host_uid"] == 65534
    assert "user namespace" in report["layers"]
    assert {"seccomp", "no_new_privs", "read-only pivot_root filesystem"} <= set(report["layers"])
    assert status_and_value(report["identity"]) == {"status": "ok", "value": 61000}


def test_without_root_there_is_still_no_network_and_no_project(report) -> None:
    assert report["network"]["status"] == "ok"
    assert report["network"]["value"] != "connected"
    assert status_and_value(report["project"]) == {"status": "ok", "value": False}


def test_without_root_numpy_and_lazy_imports_work(report) -> None:
    assert status_and_value(report["numpy"]) == {"status": "ok", "value": 2.0}
    assert status_and_value(report["lazy_import"]) == {"status": "ok", "value": "1/3"}


def test_without_root_limits_still_hold(report) -> None:
    assert report["loop"]["status"] == "timeout"
    assert report["loop"]["cpu_seconds"] >= 1.0
    # No cgroup, so no trusted evidence of a memory verdict: the address-space limit makes
    # the allocation fail, and the MemoryError is the learner's own error.
    assert (report["memory"]["status"], report["memory"]["error"]) == ("ok", "MemoryError")


def test_without_root_a_run_is_one_process_so_its_rlimits_are_its_budget(report) -> None:
    assert status_and_value(report["fork"]) == {"status": "ok", "value": errno.EPERM}
    assert "single-process budget (fork refused; rlimits CPU and address space)" in report["layers"]


def test_without_root_cpu_of_every_thread_counts(report) -> None:
    spin = report["thread_spin"]
    assert spin["status"] == "timeout"
    assert spin["detail"] == "used more than 1.0 s of CPU time"
    assert spin["cpu_seconds"] >= 1.0


def test_without_root_threads_beside_a_large_array_pass(report) -> None:
    assert report["threads_and_array"]["status"] == "ok"
    assert report["threads_and_array"]["value"] == 190 * 2**20 // 8
