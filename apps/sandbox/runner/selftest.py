"""Fail closed: try known escapes inside the real sandbox and refuse to grade if any works."""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .limits import Limits
from .results import SandboxUnavailable

if TYPE_CHECKING:
    from .pool import ZygotePool

PROJECT_ROOT = Path(__file__).resolve().parents[3]

# Each probe returns True when the escape SUCCEEDED. Run as learner code, in the sandbox.
PROBES = r"""
import ctypes, os, socket

def _fails(action):
    try:
        action()
    except Exception:
        return False
    return True

def read_file(path):
    return _fails(lambda: open(path, "rb").read(1))

def list_dir(path):
    try:
        return sorted(os.listdir(path))
    except OSError:
        return []

def tcp_connect(port):
    def connect():
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            pass
    return _fails(connect)

def inet_socket():
    return _fails(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close())

def become_root():
    return _fails(lambda: os.setuid(0))

def write_usr():
    return _fails(lambda: open("/usr/dlmath-self-test", "w").close())

def see_host_pid(pid):
    return _fails(lambda: os.kill(pid, 0))

def is_root():
    return os.getuid() == 0 or os.geteuid() == 0

def mount_tmpfs():
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.mount(b"none", b"/tmp", b"tmpfs", 0, None) == 0

def new_user_namespace():
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.unshare(0x10000000) == 0

def host_proc():
    return os.path.exists("/proc/1") or os.path.exists("/proc/self")

def environment():
    return sorted(os.environ)

def lazy_import():
    import wave, colorsys
    return colorsys.rgb_to_hsv(1.0, 0.0, 0.0)[2] == 1.0
"""

ALLOWED_ENV = {"PATH", "LANG", "HOME", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"}


def _project_files() -> list[str]:
    candidates = [
        PROJECT_ROOT / "pyproject.toml",
        PROJECT_ROOT / "db.sqlite3",
        PROJECT_ROOT / "platform" / "settings.py",
        Path(__file__),
    ]
    return [str(path) for path in candidates if path.exists()]


def _venv_entries() -> set[str]:
    """Names in the project root the sandbox may show: the way to a venv's site-packages."""
    entries = set()
    for entry in sys.path:
        path = Path(entry).resolve()
        if path.name in ("site-packages", "dist-packages") and PROJECT_ROOT in path.parents:
            entries.add(path.relative_to(PROJECT_ROOT).parts[0])
    return entries


def run_self_test(pool: ZygotePool) -> None:
    """Raise SandboxUnavailable naming every escape that worked (or a broken sandbox)."""
    canary = Path(tempfile.gettempdir()) / f"dlmath-canary-{secrets.token_hex(8)}"
    canary.write_text("canary")
    try:
        calls: list[dict[str, Any]] = [
            {"key": f"read {canary}", "func": "read_file", "args": [str(canary)]},
            {"key": "TCP to 127.0.0.1:6379", "func": "tcp_connect", "args": [6379]},
            {"key": "create an AF_INET socket", "func": "inet_socket"},
            {"key": "setuid(0)", "func": "become_root"},
            {"key": "write to /usr", "func": "write_usr"},
            {"key": "see a host process", "func": "see_host_pid", "args": [os.getpid()]},
            {"key": "run as uid 0", "func": "is_root"},
            {"key": "mount a filesystem", "func": "mount_tmpfs"},
            {"key": "create a user namespace", "func": "new_user_namespace"},
            {"key": "see the host /proc", "func": "host_proc"},
        ]
        calls += [
            {"key": f"read {path}", "func": "read_file", "args": [path]}
            for path in _project_files()
        ]
        checks = [*calls]
        calls += [
            {"key": "env", "func": "environment"},
            {"key": "lazy", "func": "lazy_import"},
            {"key": "project", "func": "list_dir", "args": [str(PROJECT_ROOT)]},
        ]
        result = pool.run(PROBES, calls, Limits(cpu_seconds=5, wall_seconds=15))
    finally:
        canary.unlink()
    if result.status != "ok":
        raise SandboxUnavailable(
            f"the sandbox self-test did not run ({result.status}: {result.detail or ''}"
            f"{result.module_error})"
        )
    escaped = [
        call["key"]
        for call in checks
        if not result.outcomes[call["key"]].ok or result.outcomes[call["key"]].value is not False
    ]
    env = result.outcomes["env"]
    if not env.ok or not set(env.value) <= ALLOWED_ENV:
        escaped.append(f"unexpected environment variables {env.value!r}")
    project = result.outcomes["project"]
    if not project.ok or not set(project.value) <= _venv_entries():
        escaped.append(f"the project directory is visible: {project.value!r}")
    lazy = result.outcomes["lazy"]
    if not (lazy.ok and lazy.value is True):
        escaped.append("(broken, not an escape) lazy stdlib import after the uid drop failed")
    if escaped:
        raise SandboxUnavailable(
            "the sandbox self-test found a way out, so grading is refused: " + "; ".join(escaped)
        )
