"""Fail closed: try known escapes inside the real sandbox and refuse to grade if any works.

Run on every zygote before it serves a submission (the first one and every restart), as
five runs through that zygote:
1. escapes: host files, network, uid 0, mounts, namespaces, /proc, environment, the project
   directory, refused syscalls (execve and execveat among them), starting a program (the
   interpreter's own binary, a shell), host binaries and configuration under /usr; a lazy
   stdlib import must work. It also plants a secret in its code, inputs, output, /tmp and
   returned value;
2. leaks: a later run looks for that secret in /tmp, every frame up to the serving loop,
   every object the garbage collector knows, and every readable byte of its address space
   (mappings found with madvise/mmap probes, read through a pipe so nothing faults);
3. CPU: forked children spin while the run's first process sleeps; the run must end as a
   CPU timeout with their time counted (or, under the single-process budget, fork must fail);
4. a forged result frame (one 1 MiB array referenced 2000 times: 2 GB if decoded naively)
   must be refused, costing the trusted process well under a second of CPU;
5. memory: a run that touches more than its limit must end as ``memory`` (cgroup budget).
"""

from __future__ import annotations

import errno
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .limits import Limits
from .results import RunResult, SandboxUnavailable

PROJECT_ROOT = Path(__file__).resolve().parents[3]
Runner = Callable[[str, list[dict[str, Any]], Limits], RunResult]
PROBE_LIMITS = Limits(cpu_seconds=5, wall_seconds=15, memory_mb=256)

# Each probe returns True when the escape SUCCEEDED. Run as learner code, in the sandbox.
PROBES = r"""
import ctypes, os, socket, sys

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

def syscall_errno(number, *args):
    libc = ctypes.CDLL(None, use_errno=True)
    return None if libc.syscall(number, *args) != -1 else ctypes.get_errno()

def hostname():
    return socket.gethostname()

def environment():
    return sorted(os.environ)

def start_program(paths):
    import subprocess
    for path in paths:
        try:
            subprocess.run([path, "-c", "pass"], capture_output=True, timeout=5, check=False)
            return True
        except (OSError, subprocess.SubprocessError):
            pass
    return False

def host_files(paths):
    return [path for path in paths if os.path.exists(path)]

def lazy_import():
    import wave, colorsys
    return colorsys.rgb_to_hsv(1.0, 0.0, 0.0)[2] == 1.0

def plant(secret):
    print(secret)
    with open("/tmp/" + secret, "w") as handle:
        handle.write(secret)
    return secret
"""

# Looks for a secret in everything a run can read. It is given the secret's first 16 bytes and
# the hex of the next 16, so the searcher itself never holds the secret's bytes contiguously.
LEAK_SCAN = r"""
import ctypes, fcntl, gc, os, sys

PAGE = 4096
BOTTOM, TOP = 1 << 16, (1 << 47) - PAGE  # mmap_min_addr and TASK_SIZE (x86_64, 4-level)
libc = ctypes.CDLL(None, use_errno=True)
libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                      ctypes.c_int, ctypes.c_long]
libc.mmap.restype = ctypes.c_void_p
libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
libc.write.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
libc.write.restype = ctypes.c_ssize_t
MAP_FLAGS = 0x02 | 0x20 | 0x100000  # PRIVATE | ANONYMOUS | FIXED_NOREPLACE

def _found(text, head, tail):
    start = text.find(head)
    while start != -1:
        rest = text[start + len(head):start + len(head) + 16]
        if isinstance(rest, str):
            rest = rest.encode("utf-8", "replace")
        if len(rest) == 16 and rest.hex() == tail:
            return True
        start = text.find(head, start + 1)
    return False

def _hit(value, head, tail):
    if type(value) is str:
        return _found(value, head, tail)
    if type(value) in (bytes, bytearray, memoryview):
        return _found(bytes(value), head.encode(), tail)
    return False

def in_objects(head, tail):
    for obj in gc.get_objects():
        if type(obj) is dict:
            items = [*obj.keys(), *obj.values()]
        elif type(obj) in (list, tuple, set, frozenset):
            items = list(obj)
        else:
            continue
        if any(_hit(item, head, tail) for item in items):
            return True
    return False

def in_frames(head, tail):
    frame = sys._getframe()
    while frame is not None:
        for value in [*frame.f_locals.values(), *frame.f_globals.values()]:
            items = [value]
            if type(value) is dict:
                items += [*value.keys(), *value.values()]
            elif type(value) in (list, tuple):
                items += list(value)
            if any(_hit(item, head, tail) for item in items):
                return True
        frame = frame.f_back
    return False

def _state(start, length):
    if libc.madvise(start, length, 0) == 0:
        return "mapped"
    address = libc.mmap(start, length, 0, MAP_FLAGS, -1, 0)
    if address == start:
        libc.munmap(start, length)
        return "free"
    if address not in (None, ctypes.c_void_p(-1).value):
        libc.munmap(address, length)
        return "mixed"
    # The kernel checks for an overlap (EEXIST) before the address-space limit (ENOMEM):
    # ENOMEM means nothing is mapped there, only that RLIMIT_AS has no room for it.
    return "free" if ctypes.get_errno() == 12 else "mixed"

def mapped_runs(start=BOTTOM, end=TOP):
    runs, stack = [], [(start, end)]
    while stack:
        low, high = stack.pop()
        state = _state(low, high - low)
        if state == "mapped":
            runs.append((low, high))
        elif state == "mixed" and high - low > PAGE:
            middle = low + ((high - low) // 2 // PAGE) * PAGE
            stack += [(middle, high), (low, middle)]
    return sorted(runs)

def _scan_memory(needle, tail):
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, 1031, 1 << 20)  # F_SETPIPE_SZ
    scanned = 0
    for low, high in mapped_runs():
        address, carry = low, b""
        while address < high:
            copied = libc.write(write_end, address, min(1 << 20, high - address))
            if copied <= 0:
                address, carry = address + PAGE, b""
                continue
            chunk = carry + os.read(read_end, copied)
            if _found(chunk, needle, tail):
                return True
            address, carry, scanned = address + copied, chunk[-40:], scanned + copied
    return scanned

def in_memory(head, tail):  # True if found, else how many bytes were read
    return _scan_memory(head.encode(), tail)

def in_memory_hex(head_hex, tail):
    return _scan_memory(bytes.fromhex(head_hex), tail)

def in_tmp(head):
    return [name for name in os.listdir("/tmp") if name.startswith(head)]
"""

FORK_SPIN = r"""
import os, time

def spin(children):
    try:
        for _ in range(children):
            if os.fork() == 0:
                while True:
                    pass
    except OSError as exc:
        return ["fork refused", exc.errno]
    time.sleep(60)
"""

# One 1 MiB array, referenced 2000 times: a decoder that decodes each reference allocates 2 GB.
FORGED_FRAME = r"""
import json, os, struct
data = b"\x00" * (1 << 20)
text = "{'descr': '<f8', 'fortran_order': False, 'shape': (131072,), }"
text += " " * (-(len(text) + 11) % 64) + "\n"
blob = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode() + data
value = {"__tuple__": [{"__nd__": 0}] * 2000}
outcome = {"__dict__": [["ok", True], ["value", value]]}
tree = {"__dict__": [["module_error", None], ["outcomes", {"__dict__": [["k", outcome]]}]]}
header = json.dumps({"value": tree}).encode()
frame = struct.pack(">I", len(header)) + header + struct.pack(">I", 1)
os.write(3, frame + struct.pack(">Q", len(blob)) + blob)
os._exit(0)
"""

MEMORY_BOMB = "chunks = []\nwhile True:\n    chunks.append(bytearray(16 * 1024 * 1024))\n"

ALLOWED_ENV = {"PATH", "LANG", "HOME", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"}
# Syscalls that must fail, and how: refused by name (EPERM), or unknown to the sandbox (ENOSYS).
REFUSED_SYSCALLS = {
    "execve": (59, errno.EPERM),
    "execveat": (322, errno.EPERM),
    "modify_ldt": (154, errno.EPERM),
    "io_setup": (206, errno.EPERM),
    "memfd_secret": (447, errno.EPERM),
    "pidfd_open": (434, errno.EPERM),
    "syscall 460": (460, errno.ENOSYS),
}


# Host binaries and configuration under /usr that the sandbox root does not expose.
HOST_USR = ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/etc", "/usr/share", "/usr/etc"]


def _programs() -> list[str]:
    """Programs a run must not start: a shell, and the C library and dynamic loader as this
    process maps them. Both are runnable ELF files inside the sandbox root, so only the
    seccomp filter (execve refused) stops them."""
    found = {"/bin/sh", "/usr/bin/env"}
    try:
        with open("/proc/self/maps") as maps:
            names = {parts[5].strip() for parts in map(str.split, maps) if len(parts) == 6}
    except OSError:
        names = set()
    for name in names:
        if os.path.basename(name).startswith(("libc.so", "ld-linux")) and os.path.isfile(name):
            found.add(os.path.realpath(name))
    return sorted(found)


def _project_files() -> list[str]:
    candidates = [
        PROJECT_ROOT / "pyproject.toml",
        PROJECT_ROOT / "db.sqlite3",
        PROJECT_ROOT / "db.sqlite3-wal",  # the latest writes, not yet in the file
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


def _must_run(result: RunResult, what: str) -> None:
    if result.status != "ok":
        raise SandboxUnavailable(
            f"the sandbox self-test ({what}) did not run ({result.status}: "
            f"{result.detail or ''}{result.module_error or ''})"
        )


def _escape_calls(canary: Path, secret: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The probe calls, and the keys whose value must be exactly False."""
    checks: list[dict[str, Any]] = [
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
        {"key": "start a program", "func": "start_program", "args": [_programs()]},
    ]
    checks += [
        {"key": f"read {path}", "func": "read_file", "args": [path]} for path in _project_files()
    ]
    others: list[dict[str, Any]] = [
        {"key": "env", "func": "environment"},
        {"key": "lazy", "func": "lazy_import"},
        {"key": "project", "func": "list_dir", "args": [str(PROJECT_ROOT)]},
        {"key": "hostname", "func": "hostname"},
        {"key": "host /usr", "func": "host_files", "args": [HOST_USR]},
        {"key": "plant", "func": "plant", "args": [secret]},
    ]
    others += [
        {"key": name, "func": "syscall_errno", "args": [number, 0, 0, 0]}
        for name, (number, _) in REFUSED_SYSCALLS.items()
    ]
    return checks + others, [call["key"] for call in checks]


def _escapes(run: Runner, secret: str) -> list[str]:
    canary = Path(tempfile.gettempdir()) / f"dlmath-canary-{secrets.token_hex(8)}"
    canary.write_text("canary")
    try:
        calls, must_be_false = _escape_calls(canary, secret)
        code = f"{PROBES}\nPLANTED = {secret!r}\n"
        result = run(code, calls, PROBE_LIMITS)
    finally:
        canary.unlink()
    _must_run(result, "escapes")
    out = result.outcomes
    escaped = [key for key in must_be_false if not out[key].ok or out[key].value is not False]
    if not out["env"].ok or not set(out["env"].value) <= ALLOWED_ENV:
        escaped.append(f"unexpected environment variables {out['env'].value!r}")
    if not out["project"].ok or not set(out["project"].value) <= _venv_entries():
        escaped.append(f"the project directory is visible: {out['project'].value!r}")
    if not out["host /usr"].ok or out["host /usr"].value:
        escaped.append(f"host binaries or configuration are visible: {out['host /usr'].value!r}")
    if out["hostname"].value != "sandbox":
        escaped.append(f"the host name is visible: {out['hostname'].value!r}")
    for name, (_, expected) in REFUSED_SYSCALLS.items():
        if out[name].value != expected:
            escaped.append(f"{name} was not refused with {errno.errorcode[expected]}")
    if not (out["lazy"].ok and out["lazy"].value is True):
        escaped.append("(broken, not an escape) lazy stdlib import after the uid drop failed")
    if not (out["plant"].ok and out["plant"].value == secret and secret in result.stdout):
        escaped.append("(broken, not an escape) the planting run did not run")
    return escaped


def split_secret(secret: str) -> list[str]:
    """The arguments LEAK_SCAN's functions take for ``secret`` (32 ASCII characters)."""
    return [secret[:16], secret[16:32].encode().hex()]


def _leaks(run: Runner, secret: str) -> list[str]:
    own = secrets.token_hex(16)  # this run's own secret: each scan must find it, or it is blind
    calls: list[dict[str, Any]] = [{"key": "tmp", "func": "in_tmp", "args": [secret[:16]]}]
    for scan in ("in_frames", "in_objects", "in_memory"):
        calls += [
            {"key": scan, "func": scan, "args": split_secret(secret)},
            {"key": f"own {scan}", "func": scan, "args": split_secret(own)},
        ]
    result = run(f"{LEAK_SCAN}\nOWN = {own!r}\n", calls, PROBE_LIMITS)
    _must_run(result, "leaks")
    out = result.outcomes
    found = [
        f"a later run found an earlier run's secret in {key}"
        for key in ("tmp", "in_frames", "in_objects")
        if not out[key].ok or out[key].value not in (False, [])
    ]
    if not (out["in_memory"].ok and type(out["in_memory"].value) is int):
        found.append("a later run found an earlier run's secret in its memory")
    found += [
        f"(broken, not an escape) the {scan} probe cannot see its own run"
        for scan in ("in_frames", "in_objects", "in_memory")
        if out[f"own {scan}"].value is not True
    ]
    return found


def _cpu_theft(run: Runner, budget: str) -> list[str]:
    limits = Limits(cpu_seconds=0.2, wall_seconds=10, memory_mb=256)
    result = run(FORK_SPIN, [{"key": "k", "func": "spin", "args": [3]}], limits)
    if budget == "process":
        outcome = result.outcomes.get("k")
        if outcome is None or outcome.value != ["fork refused", errno.EPERM]:
            return [f"fork was not refused under the single-process budget ({result})"]
        return []
    if result.status != "timeout" or "CPU" not in result.detail or result.cpu_seconds < 0.2:
        return [f"CPU spent in forked children escaped the run's budget ({result})"]
    return []


def _forged_frame(run: Runner) -> list[str]:
    started = time.thread_time()
    result = run(FORGED_FRAME, [], Limits(cpu_seconds=2, wall_seconds=10, memory_mb=256))
    spent = time.thread_time() - started
    if result.status != "crashed" or "more than once" not in result.result_refusal:
        return [f"a forged result frame was not refused ({result.status}: {result.detail})"]
    if spent > 1.0:
        return [f"refusing a forged result frame cost the trusted side {spent:.2f} s of CPU"]
    return []


def _memory(run: Runner, budget: str) -> list[str]:
    if budget == "process":
        return []
    result = run(MEMORY_BOMB, [], Limits(cpu_seconds=5, wall_seconds=10, memory_mb=128))
    if result.status != "memory":
        return [f"a run over its memory limit was not stopped as memory ({result.status})"]
    return []


def run_self_test(run: Runner, *, budget: str) -> None:
    """Raise SandboxUnavailable naming every escape that worked (or a broken sandbox).

    ``run`` runs code on the zygote under test; ``budget`` is how that zygote holds a run's
    CPU and memory: "cgroup", or "process" (single process, fork refused).
    """
    secret = secrets.token_hex(16)
    problems = _escapes(run, secret)
    problems += _leaks(run, secret)
    problems += _cpu_theft(run, budget)
    problems += _forged_frame(run)
    problems += _memory(run, budget)
    if problems:
        raise SandboxUnavailable(
            "the sandbox self-test found a way out, so grading is refused: " + "; ".join(problems)
        )
