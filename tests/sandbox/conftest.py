"""Fixtures for the sandbox tests: one real pool for the session, and host-state checks.

No mocks: every test runs learner code in the real sandbox (root or user namespaces needed).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from apps.sandbox.runner import Limits, ZygotePool  # noqa: E402

# Set before the pool starts: the sandbox must not see it (the zygote's env is built clean).
os.environ["DLMATH_TEST_SECRET"] = "hunter2-do-not-leak"

FAST = Limits(cpu_seconds=1, wall_seconds=2, memory_mb=256)

# The learner who comes next: a correct softmax that also reports what its run can see.
NEXT_LEARNER = """\
import os, socket, sys
import numpy as np

def softmax(z, skip):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    seen = sorted(name for name in os.listdir("/tmp") if name not in skip)
    return e / e.sum(axis=-1, keepdims=True), seen, socket.gethostname(), os.getpid()
"""


@pytest.fixture(scope="session")
def sandbox_pool() -> Iterator[ZygotePool]:
    pool = ZygotePool(1)
    try:
        pool.self_test()
        yield pool
    finally:
        pool.close()


def processes_of(uids: list[int]) -> list[int]:
    """Host pids whose real or effective uid is one of ``uids`` (read from the host /proc)."""
    found = []
    wanted = {str(uid) for uid in uids}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path("/proc", entry, "status").read_text()
        except OSError:
            continue  # exited meanwhile
        for line in status.splitlines():
            if line.startswith("Uid:") and wanted & set(line.split()[1:3]):
                found.append(int(entry))
    return found


def host_tmp_entries() -> set[str]:
    return set(os.listdir(tempfile.gettempdir()))


@pytest.fixture
def host_guard(sandbox_pool: ZygotePool) -> Iterator[None]:
    """After the test: no process of a slot uid is alive, host /tmp gained no child files."""
    canary = Path(tempfile.gettempdir()) / f"dlmath-test-canary-{os.getpid()}"
    canary.write_text("intact")
    before = host_tmp_entries()
    yield
    assert processes_of(sandbox_pool.slot_uids) == []
    assert canary.read_text() == "intact"
    canary.unlink()
    for name in host_tmp_entries() - before:
        path = Path(tempfile.gettempdir(), name)
        try:
            owner = path.lstat().st_uid
        except FileNotFoundError:
            continue
        assert owner not in sandbox_pool.slot_uids, f"the sandbox wrote {path} on the host"


def interpreter_dirs_in_tmp() -> list[str]:
    """Top-level names the sandbox puts in /tmp for an interpreter that lives there (a CI venv)."""
    names = set()
    for entry in sys.path:
        real = os.path.realpath(entry)
        if real.startswith("/tmp/") and os.path.isdir(real):
            names.add(real.split("/")[2])
    return sorted(names)


def assert_next_learner_unaffected(pool: ZygotePool) -> None:
    """A normal submission right after an attack passes and sees a fresh, clean run."""
    z = np.array([1.0, 2.0, 3.0])
    call = {"key": "k", "func": "softmax", "args": [z, interpreter_dirs_in_tmp()]}
    result = pool.run(NEXT_LEARNER, [call], FAST)
    assert result.status == "ok", (result.status, result.detail, result.module_error)
    value, tmp, hostname, pid = result.outcomes["k"].value
    np.testing.assert_allclose(value, np.exp(z) / np.exp(z).sum())
    assert (tmp, hostname, pid) == ([], "sandbox", 1)
    assert (result.stdout, result.stderr) == ("", "")


@pytest.fixture
def unaffected(sandbox_pool: ZygotePool, host_guard: None) -> Iterator[None]:
    """After an attack: the worker's zygote was never replaced, the next learner is unaffected,
    and (host_guard) no process of a slot uid survives and the host /tmp gained nothing."""
    failures = sandbox_pool.zygote_failures
    yield
    assert_next_learner_unaffected(sandbox_pool)
    assert sandbox_pool.zygote_failures == failures
