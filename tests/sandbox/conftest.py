"""Fixtures for the sandbox tests: one real pool for the session, and host-state checks.

No mocks: every test runs learner code in the real sandbox (root or user namespaces needed).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from apps.sandbox.runner import Limits, ZygotePool  # noqa: E402

# Set before the pool starts: the sandbox must not see it (the zygote's env is built clean).
os.environ["DLMATH_TEST_SECRET"] = "hunter2-do-not-leak"

FAST = Limits(cpu_seconds=1, wall_seconds=2, memory_mb=256)


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
