"""Hostile submissions. Each test states exactly what must happen, and ``host_guard`` checks
afterwards that no process of a slot uid survives and nothing was written to the host /tmp."""

from __future__ import annotations

import errno
import os
import signal
import socket
import sysconfig
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from apps.sandbox.runner import Limits, RunResult, ZygotePool
from apps.sandbox.runner.wire import Unsupported
from tests.sandbox.conftest import FAST, PROJECT_ROOT, processes_of

pytestmark = pytest.mark.usefixtures("host_guard")


def run(pool: ZygotePool, code: str, func: str | None = None, *args, limits: Limits = FAST):
    calls = [{"key": "k", "func": func, "args": list(args)}] if func else []
    return pool.run(code, calls, limits)


def value(result: RunResult):
    assert result.status == "ok", (result.status, result.detail, result.module_error)
    outcome = result.outcomes["k"]
    assert outcome.ok, outcome.error
    return outcome.value


def error(result: RunResult):
    assert result.status == "ok", (result.status, result.detail, result.module_error)
    outcome = result.outcomes["k"]
    assert not outcome.ok, outcome.value
    return outcome.error


def errno_of(code_body: str) -> str:
    """Learner code whose ``f()`` runs ``code_body`` and returns the errno it failed with."""
    body = "\n".join("        " + line for line in code_body.strip().splitlines())
    return (
        "import os, socket, errno, ctypes\n"
        "def f():\n"
        "    try:\n"
        f"{body}\n"
        "    except OSError as exc:\n"
        "        return errno.errorcode.get(exc.errno, str(exc.errno))\n"
        "    return 'succeeded'\n"
    )


# ----- time -------------------------------------------------------------------------------


# The CPU budget must decide, not the wall clock: on a loaded machine a spinning run can get
# well under one core, so these give the wall clock ample room above the 1 s CPU budget.
CPU_BOUND = Limits(cpu_seconds=1, wall_seconds=30)


def test_infinite_loop_hits_the_cpu_limit(sandbox_pool: ZygotePool) -> None:
    result = run(sandbox_pool, "def f():\n    while True:\n        pass\n", "f", limits=CPU_BOUND)
    assert result.status == "timeout"
    assert result.detail == "used more than 1.0 s of CPU time"
    assert result.cpu_seconds >= 1.0


def test_infinite_loop_at_module_level(sandbox_pool: ZygotePool) -> None:
    result = run(sandbox_pool, "while True:\n    pass\n")
    assert result.status == "timeout"
    assert result.outcomes == {}


def test_sleep_hits_the_wall_clock(sandbox_pool: ZygotePool) -> None:
    started = time.monotonic()
    result = run(sandbox_pool, "import time\ndef f():\n    time.sleep(100)\n", "f")
    assert result.status == "timeout"
    assert result.detail == "stopped after 2.0 s of wall-clock time"
    assert 2 <= time.monotonic() - started < 5


def test_blocking_pipe_read_hits_the_wall_clock(sandbox_pool: ZygotePool) -> None:
    code = "import os\nr, w = os.pipe()\nos.read(r, 1)\n"
    assert run(sandbox_pool, code).status == "timeout"


def test_stdin_is_empty_not_blocking(sandbox_pool: ZygotePool) -> None:
    assert (
        value(run(sandbox_pool, "import sys\ndef f():\n    return sys.stdin.read()\n", "f")) == ""
    )


def test_ignoring_sigterm_and_sigxcpu_does_not_help(sandbox_pool: ZygotePool) -> None:
    code = (
        "import signal\n"
        "for s in (signal.SIGTERM, signal.SIGXCPU, signal.SIGINT, signal.SIGHUP):\n"
        "    signal.signal(s, signal.SIG_IGN)\n"
        "while True:\n    pass\n"
    )
    result = run(sandbox_pool, code, limits=CPU_BOUND)
    assert result.status == "timeout"
    assert result.detail == "used more than 1.0 s of CPU time"


def test_stopped_child_does_not_hang_the_run(sandbox_pool: ZygotePool) -> None:
    code = (
        "import os, signal\npid = os.fork()\nif pid == 0:\n"
        "    os.kill(os.getpid(), signal.SIGSTOP)\nos.waitpid(pid, 0)\n"
    )
    result = run(sandbox_pool, code)
    assert result.status == "timeout"
    assert "wall-clock" in result.detail


# ----- memory -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "x = bytearray(4 * 1024**3)\n",
        "import numpy as np\nx = np.ones(4 * 1024**3 // 8)\n",
        "chunks = []\nwhile True:\n    chunks.append(bytearray(16 * 1024**2))\n",
        "import mmap\nm = mmap.mmap(-1, 4 * 1024**3)\nm[::4096] = b'x' * (4 * 1024**3 // 4096)\n",
    ],
    ids=["bytearray", "np.ones", "growth", "mmap"],
)
def test_memory_bombs_hit_the_memory_limit(sandbox_pool: ZygotePool, code: str) -> None:
    result = run(sandbox_pool, code)
    assert result.status == "memory", (result.status, result.detail, result.module_error)


def test_dev_shm_does_not_exist(sandbox_pool: ZygotePool) -> None:
    code = errno_of("open('/dev/shm/fill', 'wb').write(b'x' * 10**7)")
    assert value(run(sandbox_pool, code, "f")) == "ENOENT"


# ----- processes --------------------------------------------------------------------------


def test_fork_bomb_is_capped(sandbox_pool: ZygotePool) -> None:
    code = (
        "import os, time\n"
        "def f():\n"
        "    children = 0\n"
        "    try:\n"
        "        while True:\n"
        "            if os.fork() == 0:\n"
        "                time.sleep(60)\n"
        "                os._exit(0)\n"
        "            children += 1\n"
        "    except OSError:\n"
        "        return children\n"
    )
    assert 0 < value(run(sandbox_pool, code, "f")) < 64


def test_classic_fork_bomb_is_contained(sandbox_pool: ZygotePool) -> None:
    result = run(sandbox_pool, "import os\nwhile True:\n    try:\n        os.fork()\n"
                 "    except OSError:\n        pass\n")  # fmt: skip
    assert result.status in ("timeout", "crashed")
    assert processes_of(sandbox_pool.slot_uids) == []


def test_thread_bomb_is_capped(sandbox_pool: ZygotePool) -> None:
    code = (
        "import threading, time\n"
        "def f():\n"
        "    n = 0\n"
        "    try:\n"
        "        while True:\n"
        "            threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
        "            n += 1\n"
        "    except (RuntimeError, MemoryError):\n"
        "        return n\n"
    )
    assert 0 < value(run(sandbox_pool, code, "f")) < 64


def test_multiprocessing_cannot_start(sandbox_pool: ZygotePool) -> None:
    code = "import multiprocessing\ndef f():\n    with multiprocessing.Pool(2) as p:\n" \
           "        return p.map(abs, [-1])\n"  # fmt: skip
    assert error(run(sandbox_pool, code, "f")).type in ("FileNotFoundError", "OSError")


# ----- no program can be started, and the host's programs and configuration are not there ---

# Runnable ELF files that ARE in the sandbox root (the C library and the dynamic loader run
# when executed), so only the seccomp filter stops them; and the usual host tools.
IN_THE_ROOT = sorted(
    {
        os.path.realpath(line.split()[5])
        for line in Path("/proc/self/maps").read_text().splitlines()
        if len(line.split()) == 6 and os.path.basename(line.split()[5]).startswith("libc.so")
    }
)
PROGRAMS = [*IN_THE_ROOT, "/bin/sh", "/usr/bin/gcc", "/usr/bin/su", "/usr/bin/mount"]


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("how", ["subprocess", "os.execv", "posix_spawn", "execveat"])
def test_no_program_can_be_started(sandbox_pool: ZygotePool, program: str, how: str) -> None:
    start = {
        "subprocess": f"subprocess.run([{program!r}, '-c', 'id'], capture_output=True)",
        "os.execv": f"os.execv({program!r}, [{program!r}, '--version'])",
        "posix_spawn": f"os.waitpid(os.posix_spawn({program!r}, [{program!r}], {{}}), 0)",
        "execveat": f"libc.syscall(322, -100, {program.encode()!r}, None, None, 0)\n"
        "raise OSError(ctypes.get_errno(), 'execveat')",
    }[how]
    code = "import ctypes, subprocess\nlibc = ctypes.CDLL(None, use_errno=True)\n" + errno_of(start)
    assert value(run(sandbox_pool, code, "f")) == "EPERM"


def test_os_system_cannot_run_a_shell(sandbox_pool: ZygotePool) -> None:
    code = "import os\ndef f():\n    return os.system('cat /work/main/pyproject.toml')\n"
    result = run(sandbox_pool, code, "f")
    assert value(result) != 0  # the child's exec failed: exit status 127
    assert "dlmath" not in result.stdout


def test_execv_at_import_is_the_learners_error(sandbox_pool: ZygotePool) -> None:
    code = "import os\nos.execv('/bin/sh', ['sh', '-c', 'echo pwned > /work/pwned-exec'])\n"
    result = run(sandbox_pool, code)
    assert result.status == "error"
    assert result.module_error.type == "PermissionError"
    assert not Path("/work/pwned-exec").exists()


def test_the_hosts_programs_and_configuration_are_not_in_the_sandbox(
    sandbox_pool: ZygotePool,
) -> None:
    # And a setuid or setgid file left in a library directory sits on a nosuid mount (besides
    # no_new_privs and the refused execve): nothing can gain a privilege from it.
    host = [
        "/usr/bin",
        "/usr/sbin",
        "/usr/local/bin",
        "/usr/local/etc",
        "/usr/local/share",
        "/usr/share",
        "/usr/include",
        "/usr/libexec",
        "/usr/lib/gcc",
        "/usr/local/cuda",
        "/bin/sh",
        "/etc/shadow",
        "/etc/ssl",
    ]
    setuid = "import os, stat\n" + "\n".join(
        [
            "def f(paths):",
            "    seen = [p for p in paths if os.path.exists(p)]",
            "    for top, _, files in os.walk('/'):",
            "        for name in files:",
            "            path = os.path.join(top, name)",
            "            try:",
            "                mode = os.lstat(path).st_mode",
            "                if mode & (stat.S_ISUID | stat.S_ISGID) and not (",
            "                    os.statvfs(path).f_flag & os.ST_NOSUID",
            "                ):",
            "                    seen.append(path)",
            "            except OSError:",
            "                pass",
            "    return seen",
        ]
    )
    walk = Limits(cpu_seconds=5, wall_seconds=10, memory_mb=256)
    assert value(run(sandbox_pool, setuid + "\n", "f", host, limits=walk)) == []


def test_double_fork_daemon_dies_with_the_run(sandbox_pool: ZygotePool) -> None:
    code = (
        "import os, time\n"
        "def f():\n"
        "    if os.fork() == 0:\n"
        "        os.setsid()\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(30)\n"
        "        os._exit(0)\n"
        "    return 'parent done'\n"
    )
    assert value(run(sandbox_pool, code, "f")) == "parent done"
    assert processes_of(sandbox_pool.slot_uids) == []


def test_kill_everything_only_reaches_its_own_namespace(sandbox_pool: ZygotePool) -> None:
    code = (
        "import os, signal, time\ndef f():\n    pid = os.fork()\n    if pid == 0:\n"
        "        time.sleep(30)\n        os._exit(0)\n    os.kill(-1, signal.SIGKILL)\n"
        "    return os.waitpid(pid, 0)[1]\n"
    )
    assert value(run(sandbox_pool, code, "f")) == signal.SIGKILL
    assert run(sandbox_pool, "def g():\n    return 1\n").status == "ok"


def test_host_processes_are_invisible(sandbox_pool: ZygotePool) -> None:
    code = errno_of(f"os.kill({os.getpid()}, 0)")
    assert value(run(sandbox_pool, code, "f")) == "ESRCH"
    assert value(run(sandbox_pool, "import os\ndef f():\n    return os.getpid()\n", "f")) == 1


# ----- output and files -------------------------------------------------------------------


def test_stdout_flood_is_capped(sandbox_pool: ZygotePool) -> None:
    code = "import sys\nfor _ in range(2000):\n    sys.stdout.write('y' * 10000)\n"
    result = run(sandbox_pool, code, limits=Limits(cpu_seconds=2, wall_seconds=4))
    assert result.status == "ok"
    assert result.stdout == "y" * 65536 + "\n[output truncated]"


def test_stderr_flood_is_capped(sandbox_pool: ZygotePool) -> None:
    code = "import sys\nfor _ in range(2000):\n    sys.stderr.write('e' * 10000)\n"
    result = run(sandbox_pool, code, limits=Limits(cpu_seconds=2, wall_seconds=4, stderr_bytes=10))
    assert result.stderr == "eeeeeeeeee\n[output truncated]"


def test_huge_file_fails_with_efbig(sandbox_pool: ZygotePool) -> None:
    code = errno_of("with open('/tmp/big', 'wb') as f:\n    f.write(b'x' * (100 * 1024**2))")
    assert value(run(sandbox_pool, code, "f")) == "EFBIG"


def test_sparse_file_fails_with_efbig(sandbox_pool: ZygotePool) -> None:
    code = errno_of("with open('sparse', 'wb') as f:\n    f.truncate(10**12)")
    assert value(run(sandbox_pool, code, "f")) == "EFBIG"


def test_many_files_run_out_of_inodes(sandbox_pool: ZygotePool) -> None:
    code = errno_of("for i in range(100000):\n    open(f'/tmp/f{i}', 'w').close()")
    assert value(run(sandbox_pool, code, "f")) == "ENOSPC"


def test_filling_tmp_runs_out_of_space(sandbox_pool: ZygotePool) -> None:
    code = errno_of(
        "for i in range(10):\n    with open(f'/tmp/part{i}', 'wb') as f:\n"
        "        f.write(b'x' * (7 * 1024**2))"
    )
    assert value(run(sandbox_pool, code, "f")) == "ENOSPC"


@pytest.mark.parametrize("path", ["/usr/pwned", "/pwned", "/etc/pwned", "/dev/pwned"])
def test_the_root_filesystem_is_read_only(sandbox_pool: ZygotePool, path: str) -> None:
    code = errno_of(f"open({path!r}, 'w').close()")
    assert value(run(sandbox_pool, code, "f")) in ("EROFS", "EACCES")


def test_deep_recursion_is_a_recursion_error(sandbox_pool: ZygotePool) -> None:
    code = "def f(n=0):\n    return f(n + 1)\n"
    failure = error(run(sandbox_pool, code, "f"))
    assert failure.type == "RecursionError"
    assert failure.line == 2


def test_segfault_is_reported_as_a_crash(sandbox_pool: ZygotePool) -> None:
    result = run(sandbox_pool, "import ctypes\ndef f():\n    ctypes.string_at(0)\n", "f")
    assert result.status == "crashed"
    assert result.detail == "the process was killed by signal SIGSEGV"


# ----- secrets and host files -------------------------------------------------------------


def test_environment_has_no_secrets(sandbox_pool: ZygotePool) -> None:
    assert os.environ["DLMATH_TEST_SECRET"]
    env = value(run(sandbox_pool, "import os\ndef f():\n    return dict(os.environ)\n", "f"))
    assert "DLMATH_TEST_SECRET" not in env
    assert set(env) <= {"PATH", "LANG", "HOME", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                        "MKL_NUM_THREADS"}  # fmt: skip


def test_proc_is_absent(sandbox_pool: ZygotePool) -> None:
    code = errno_of("open('/proc/self/environ', 'rb').read()")
    assert value(run(sandbox_pool, code, "f")) == "ENOENT"


def test_etc_passwd_is_not_the_hosts(sandbox_pool: ZygotePool) -> None:
    text = value(run(sandbox_pool, "def f():\n    return open('/etc/passwd').read()\n", "f"))
    assert "root:" not in text
    assert text != Path("/etc/passwd").read_text()


@pytest.mark.parametrize(
    "path",
    [
        PROJECT_ROOT / "pyproject.toml",
        PROJECT_ROOT / "db.sqlite3",
        PROJECT_ROOT / "db.sqlite3-wal",  # the latest writes, not yet in the file
        PROJECT_ROOT / "platform" / "settings.py",
        PROJECT_ROOT / "apps" / "sandbox" / "runner" / "wire.py",
        Path("/root/.bash_history"),
        Path("/etc/shadow"),
    ],
)
def test_project_and_host_files_are_not_visible(sandbox_pool: ZygotePool, path: Path) -> None:
    code = f"import os\ndef f():\n    return os.path.exists({str(path)!r})\n"
    assert value(run(sandbox_pool, code, "f")) is False


def test_host_tmp_is_not_visible(sandbox_pool: ZygotePool) -> None:
    with tempfile.NamedTemporaryFile("w", prefix="dlmath-visible-") as canary:
        canary.write("host secret")
        canary.flush()
        code = f"import os\ndef f():\n    return os.path.exists({canary.name!r})\n"
        assert value(run(sandbox_pool, code, "f")) is False


def test_another_submissions_files_are_not_visible(sandbox_pool: ZygotePool) -> None:
    run(sandbox_pool, "open('/tmp/answer.txt', 'w').write('42')\n")
    code = errno_of("open('/tmp/answer.txt').read()")
    assert value(run(sandbox_pool, code, "f")) == "ENOENT"


# ----- network ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "socket.create_connection(('127.0.0.1', 6379), timeout=1)",
        "socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('127.0.0.1', 53))",
        "socket.socket(socket.AF_INET6, socket.SOCK_STREAM)",
        "socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)",
        "socket.socket(socket.AF_PACKET, socket.SOCK_RAW)",
    ],
    ids=["tcp", "udp", "ipv6", "netlink", "packet"],
)
def test_network_sockets_are_refused(sandbox_pool: ZygotePool, body: str) -> None:
    assert value(run(sandbox_pool, errno_of(body), "f")) == "EPERM"


def test_dns_resolution_fails(sandbox_pool: ZygotePool) -> None:
    code = (
        "import socket\ndef f():\n    try:\n        socket.getaddrinfo('example.com', 80)\n"
        "    except OSError as exc:\n        return type(exc).__name__\n    return 'resolved'\n"
    )
    assert value(run(sandbox_pool, code, "f")) == "gaierror"


def test_host_unix_sockets_are_unreachable(sandbox_pool: ZygotePool) -> None:
    path = Path(tempfile.gettempdir()) / f"dlmath-test-{os.getpid()}.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    try:
        for target in (str(path), "/var/run/postgresql/.s.PGSQL.5432", "/run/redis.sock"):
            body = f"s = socket.socket(socket.AF_UNIX)\ns.connect({target!r})"
            assert value(run(sandbox_pool, errno_of(body), "f")) == "ENOENT"
    finally:
        server.close()
        path.unlink()


def test_abstract_unix_sockets_are_separate(sandbox_pool: ZygotePool) -> None:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    name = f"\0dlmath-test-{os.getpid()}"
    server.bind(name)
    server.listen(1)
    try:
        body = f"s = socket.socket(socket.AF_UNIX)\ns.connect({name!r})"
        assert value(run(sandbox_pool, errno_of(body), "f")) == "ECONNREFUSED"
    finally:
        server.close()


# ----- privileges and descriptors ---------------------------------------------------------


def test_inherited_descriptors_are_closed(sandbox_pool: ZygotePool) -> None:
    code = (
        "import os\ndef f():\n    bad = []\n    for fd in range(4, 21):\n        try:\n"
        "            os.write(fd, b'x')\n        except OSError as exc:\n"
        "            bad.append(exc.errno)\n    return bad\n"
    )
    assert value(run(sandbox_pool, code, "f")) == [errno.EBADF] * 17


def test_garbage_on_the_result_pipe_is_a_crash(sandbox_pool: ZygotePool) -> None:
    result = run(sandbox_pool, "import os\nos.write(3, b'\\xff' * 100)\ndef f():\n    return 1\n",
                 "f")  # fmt: skip
    assert result.status == "crashed"
    assert result.detail == "the result was malformed"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("os.setuid(0)", "EPERM"),
        ("os.setgid(0)", "EPERM"),
        ("os.chroot('/tmp')", "EPERM"),
        (
            "libc = ctypes.CDLL(None, use_errno=True)\n"
            "if libc.mount(b'none', b'/tmp', b'tmpfs', 0, None) != 0:\n"
            "    raise OSError(ctypes.get_errno(), 'mount')",
            "EPERM",
        ),
        (
            "libc = ctypes.CDLL(None, use_errno=True)\n"
            "if libc.unshare(0x10000000) != 0:\n"
            "    raise OSError(ctypes.get_errno(), 'unshare')",
            "EPERM",
        ),
        (
            "libc = ctypes.CDLL(None, use_errno=True)\n"
            "if libc.ptrace(16, 1, 0, 0) != 0:\n"
            "    raise OSError(ctypes.get_errno(), 'ptrace')",
            "EPERM",
        ),
        (
            "libc = ctypes.CDLL(None, use_errno=True)\n"
            "if libc.syscall(321, 0, 0, 0) != 0:\n"
            "    raise OSError(ctypes.get_errno(), 'bpf')",
            "EPERM",
        ),
        (
            "libc = ctypes.CDLL(None, use_errno=True)\n"
            "if libc.syscall(425, 8, 0) < 0:\n"
            "    raise OSError(ctypes.get_errno(), 'io_uring_setup')",
            "EPERM",
        ),
        (
            "libc = ctypes.CDLL(None, use_errno=True)\n"
            "if libc.syscall(56, 0x40000000 | 17, 0, 0, 0, 0) < 0:\n"
            "    raise OSError(ctypes.get_errno(), 'clone(CLONE_NEWNET)')",
            "EPERM",
        ),
    ],
    ids=["setuid", "setgid", "chroot", "mount", "unshare", "ptrace", "bpf", "io_uring", "clone"],
)
def test_privileged_calls_fail(sandbox_pool: ZygotePool, body: str, expected: str) -> None:
    assert value(run(sandbox_pool, errno_of(body), "f")) == expected


def test_runs_as_the_unprivileged_slot_uid(sandbox_pool: ZygotePool) -> None:
    code = "import os\ndef f():\n    return os.getresuid(), os.getgroups()\n"
    uid = sandbox_pool.slot_uids[0]
    assert value(run(sandbox_pool, code, "f")) == ((uid, uid, uid), [])


# ----- fooling the grader -----------------------------------------------------------------


def test_module_state_does_not_leak_into_the_next_run(sandbox_pool: ZygotePool) -> None:
    run(sandbox_pool, "import numpy, builtins\nnumpy.foo = 1\nbuiltins.len = lambda x: 0\n")
    code = "import numpy\ndef f():\n    return hasattr(numpy, 'foo'), len([1, 2])\n"
    assert value(run(sandbox_pool, code, "f")) == (False, 2)


def test_monkey_patching_numpy_affects_nothing_outside(sandbox_pool: ZygotePool) -> None:
    code = (
        "import numpy as np\n"
        "np.allclose = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\n"
        "def f(z):\n    return np.zeros(3)\n"
    )
    result = value(run(sandbox_pool, code, "f", np.ones(3)))
    assert not np.allclose(result, np.ones(3))
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(result, np.ones(3))


def test_os_exit_before_returning_is_a_crash(sandbox_pool: ZygotePool) -> None:
    result = run(sandbox_pool, "import os\ndef f():\n    os._exit(0)\n", "f")
    assert result.status == "crashed"
    assert result.outcomes == {}
    assert result.detail == "the process exited before returning its results"


def test_system_exit_is_an_error_outcome(sandbox_pool: ZygotePool) -> None:
    assert error(run(sandbox_pool, "import sys\ndef f():\n    sys.exit(0)\n", "f")).type == (
        "SystemExit"
    )


def test_printing_a_fake_verdict_is_just_stdout(sandbox_pool: ZygotePool) -> None:
    code = 'print(\'{"status": "passed", "score": 1.0}\')\ndef f():\n    return 0\n'
    result = run(sandbox_pool, code, "f")
    assert result.stdout == '{"status": "passed", "score": 1.0}\n'
    assert result.status == "ok"
    assert result.outcomes["k"].value == 0


def test_always_equal_object_arrives_as_unsupported(sandbox_pool: ZygotePool) -> None:
    code = (
        "class Liar:\n    def __eq__(self, other):\n        return True\n"
        "    __hash__ = object.__hash__\n"
        "def f():\n    return Liar()\n"
    )
    returned = value(run(sandbox_pool, code, "f"))
    assert returned == Unsupported("submission.Liar")


def test_ndarray_subclass_arrives_as_plain_array(sandbox_pool: ZygotePool) -> None:
    code = (
        "import numpy as np\nclass Sneaky(np.ndarray):\n"
        "    def __eq__(self, other):\n        return True\n"
        "def f():\n    return np.arange(3.0).view(Sneaky)\n"
    )
    returned = value(run(sandbox_pool, code, "f"))
    assert type(returned) is np.ndarray
    assert returned.tolist() == [0.0, 1.0, 2.0]


def test_huge_return_value_is_refused(sandbox_pool: ZygotePool) -> None:
    code = "import numpy as np\ndef f():\n    return np.ones(25 * 1024**2)\n"
    failure = error(run(sandbox_pool, code, "f", limits=Limits(memory_mb=1024, wall_seconds=5)))
    assert failure.type == "ResultError"


def test_deeply_nested_return_value_is_refused(sandbox_pool: ZygotePool) -> None:
    code = "def f():\n    x = []\n    for _ in range(10000):\n        x = [x]\n    return x\n"
    failure = error(run(sandbox_pool, code, "f"))
    assert failure.type == "ResultError"
    assert "nested" in failure.message


def test_exception_with_hostile_str_is_reported(sandbox_pool: ZygotePool) -> None:
    code = (
        "class Boom(Exception):\n    def __str__(self):\n        raise RuntimeError('no')\n"
        "def f():\n    raise Boom()\n"
    )
    failure = error(run(sandbox_pool, code, "f"))
    assert failure.type == "Boom"
    assert failure.line == 5


def test_forged_result_frame_claiming_a_huge_array_is_refused(sandbox_pool: ZygotePool) -> None:
    code = (
        "import os, io, json, struct, numpy as np\n"
        "buf = io.BytesIO()\n"
        "np.lib.format.write_array_header_1_0(buf, {'descr': '<f8', 'fortran_order': False,"
        " 'shape': (2**31, 1024)})\n"
        "blob = buf.getvalue()\n"
        "header = json.dumps({'value': {'__dict__': [['module_error', None], ['outcomes',"
        " {'__dict__': [['k', {'__dict__': [['ok', True], ['value', {'__nd__': 0}]]}]]}]]},"
        " 'blobs': 1}).encode()\n"
        "frame = struct.pack('>I', len(header)) + header + struct.pack('>Q', len(blob)) + blob\n"
        "os.write(3, frame)\n"
        "os._exit(0)\n"
    )
    result = run(sandbox_pool, code)
    assert result.status == "crashed"
    assert result.detail == "the result was malformed"


# ----- what a run learns about the runner ----------------------------------------------------


def test_a_closed_result_pipe_shows_no_runner_paths(sandbox_pool: ZygotePool) -> None:
    result = run(sandbox_pool, "import os\nos.close(3)\n")
    assert result.status == "crashed"
    assert "the results could not be sent back: OSError" in result.stderr
    assert "Traceback" not in result.stderr
    assert str(PROJECT_ROOT) not in result.stderr


def test_the_command_line_and_sys_path_name_no_host_path(sandbox_pool: ZygotePool) -> None:
    code = (
        "import sys\n"
        "def f():\n"
        "    frame, argvs = sys._getframe(), []\n"
        "    while frame is not None:\n"
        "        argvs += [repr(v) for k, v in frame.f_locals.items() if 'argv' in k]\n"
        "        frame = frame.f_back\n"
        "    return sys.argv, sys.orig_argv, sys.path, argvs\n"
    )
    argv, orig_argv, path, in_frames = value(run(sandbox_pool, code, "f"))
    assert argv == orig_argv == ["submission.py"]
    assert str(PROJECT_ROOT) not in repr(in_frames)
    # Only the standard library and site-packages (a venv's may live in the project).
    stdlib = os.path.realpath(sysconfig.get_paths()["stdlib"])
    assert [p for p in path if not p.startswith(stdlib) and "site-packages" not in p] == []
