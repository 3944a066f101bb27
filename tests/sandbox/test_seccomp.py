"""The seccomp allow-list: pinned, checked instruction by instruction, and tried for real.

A small interpreter for the classic-BPF subset seccomp.py emits runs the compiled program on
every syscall number and on the argument checks (both halves of each 64-bit register), so the
program is proven to say what the tables say. Then a sample of refused calls is made from
inside the sandbox, each with the errno a learner must get.
"""

from __future__ import annotations

import errno
import re
import struct
from pathlib import Path

import pytest

from apps.sandbox.runner import ZygotePool, seccomp
from tests.sandbox.conftest import FAST

# Pinned as words, the way a reviewer reads them.
ALLOWED = """
    accept accept4 access alarm arch_prctl bind brk capget chdir chmod clock_getres
    clock_gettime clock_nanosleep close close_range connect copy_file_range creat dup dup2 dup3
    epoll_create epoll_create1 epoll_ctl epoll_pwait epoll_pwait2 epoll_wait
    exit exit_group faccessat faccessat2 fadvise64 fallocate fchdir fchmod fchmodat fcntl
    fdatasync flock fstat fstatfs fsync ftruncate futex get_robust_list getcpu getcwd getdents
    getdents64 getegid geteuid getgid getgroups getitimer getpeername getpgid getpgrp getpid
    getppid getpriority getrandom getresgid getresuid getrlimit getrusage getsid getsockname
    getsockopt gettid gettimeofday getuid kill link linkat listen lseek lstat madvise mkdir
    mkdirat mmap mprotect mremap msync munmap nanosleep newfstatat open openat pause pipe pipe2
    poll ppoll pread64 preadv preadv2 prlimit64 pselect6 pwrite64 pwritev pwritev2 read readlink
    readlinkat readv recvfrom recvmsg rename renameat renameat2 restart_syscall rmdir rseq
    rt_sigaction rt_sigpending rt_sigprocmask rt_sigreturn rt_sigsuspend rt_sigtimedwait
    sched_get_priority_max sched_get_priority_min sched_getaffinity sched_getparam
    sched_getscheduler sched_yield select sendfile sendmsg sendto set_robust_list
    set_tid_address setitimer setpgid setrlimit setsid setsockopt shutdown sigaltstack stat
    statfs statx symlink symlinkat sysinfo tgkill time times tkill truncate umask uname unlink
    unlinkat utimensat wait4 waitid write writev
""".split()  # noqa: SIM905
REFUSED = """
    _sysctl acct add_key adjtimex bpf capset chroot clock_adjtime clock_settime delete_module
    execve execveat fanotify_init finit_module fsconfig fsmount fsopen fspick init_module io_cancel io_destroy
    io_getevents io_pgetevents io_setup io_submit io_uring_enter io_uring_register
    io_uring_setup ioperm iopl kcmp kexec_file_load kexec_load keyctl landlock_add_rule
    landlock_create_ruleset landlock_restrict_self listmount lookup_dcookie memfd_secret
    migrate_pages mknod mknodat modify_ldt mount mount_setattr move_mount move_pages
    name_to_handle_at open_by_handle_at open_tree perf_event_open personality pidfd_getfd
    pidfd_open pidfd_send_signal pivot_root process_madvise process_mrelease process_vm_readv
    process_vm_writev ptrace quotactl quotactl_fd reboot request_key seccomp setdomainname
    setfsgid setfsuid setgid setgroups sethostname setns setregid setresgid setresuid setreuid
    settimeofday setuid shmat shmctl shmget statmount swapoff swapon syslog umount2 unshare
    uselib userfaultfd vhangup
""".split()  # noqa: SIM905
CHECKED = ["clone", "fork", "ioctl", "prctl", "socket", "socketpair", "vfork"]
ALLOW, EPERM, ENOSYS = seccomp.SECCOMP_RET_ALLOW, seccomp.RET_EPERM, seccomp.RET_ENOSYS
AUDIT_ARCH_I386 = 0x40000003
UNISTD = Path("/usr/include/x86_64-linux-gnu/asm/unistd_64.h")


def run_filter(program: bytes, nr: int, *args: int, arch: int = seccomp.AUDIT_ARCH_X86_64) -> int:
    """What the kernel would do with this syscall: the program's return value."""
    padded = [*args, *[0] * (6 - len(args))]
    data = struct.pack("<IIQ6Q", nr, arch, 0, *(a % 2**64 for a in padded))
    pc, acc = 0, 0
    while True:
        code, jt, jf, k = struct.unpack_from("<HBBI", program, pc * 8)
        pc += 1
        if code == 0x20:  # ld [k]
            acc = struct.unpack_from("<I", data, k)[0]
        elif code == 0x05:  # ja k
            pc += k
        elif code in (0x15, 0x35, 0x45):  # jeq, jge, jset
            taken = {0x15: acc == k, 0x35: acc >= k, 0x45: bool(acc & k)}[code]
            pc += jt if taken else jf
        elif code == 0x06:  # ret k
            return k
        else:
            raise AssertionError(f"unexpected BPF opcode {code:#x}")


@pytest.fixture(scope="module", params=[True, False], ids=["cgroup budget", "single process"])
def program(request: pytest.FixtureRequest) -> tuple[bytes, bool]:
    return seccomp.build_filter(allow_fork=request.param), request.param


def test_the_allow_list_is_exactly_this() -> None:
    assert sorted(seccomp.ALLOWED) == ALLOWED
    assert sorted(seccomp.CHECKED) == CHECKED
    assert sorted(seccomp.REFUSED) == REFUSED


@pytest.mark.skipif(not UNISTD.exists(), reason="needs the kernel headers")
def test_the_syscall_numbers_are_the_kernels() -> None:
    numbers = {
        m[1]: int(m[2]) for m in re.finditer(r"#define __NR_(\w+) (\d+)", UNISTD.read_text())
    }
    for table in (seccomp.ALLOWED, seccomp.REFUSED, seccomp.CHECKED):
        assert {n: nr for n, nr in table.items() if n in numbers} == {
            n: numbers[n] for n in table if n in numbers
        }


def test_every_syscall_number_gets_what_the_tables_say(program: tuple[bytes, bool]) -> None:
    code, allow_fork = program
    allowed, refused = set(seccomp.ALLOWED.values()), set(seccomp.REFUSED.values())
    fork = ALLOW if allow_fork else EPERM
    for nr in [*range(1024), *range(0x40000000, 0x40000200), 0xFFFFFFFF]:
        expected = ALLOW if nr in allowed else EPERM if nr in refused else ENOSYS
        if nr in (seccomp.CHECKED["fork"], seccomp.CHECKED["vfork"]):
            expected = fork
        elif nr in seccomp.CHECKED.values():
            expected = EPERM  # every checked call with all-zero arguments is refused
        if nr == seccomp.CHECKED["clone"]:
            expected = fork  # clone(0): a plain fork
        assert run_filter(code, nr) == expected, nr


def test_a_foreign_architecture_kills_the_process(program: tuple[bytes, bool]) -> None:
    for nr in (0, 1, 39, 101):
        assert run_filter(program[0], nr, arch=AUDIT_ARCH_I386) == seccomp.SECCOMP_RET_KILL_PROCESS


HIGH = 1 << 32
SIGCHLD, CLONE_THREAD = 17, 0x00010000
THREAD = 0x003D0F00  # the flags glibc's pthread_create passes
CASES = [
    ("clone", [SIGCHLD], "fork"),
    ("clone", [THREAD], ALLOW),
    ("clone", [0x40000000 | SIGCHLD], EPERM),  # CLONE_NEWNET
    ("clone", [0x10000000 | THREAD], EPERM),  # CLONE_NEWUSER
    ("clone", [(0x10000000 << 32) | SIGCHLD], EPERM),  # namespace flag in the high half
    ("clone", [HIGH | THREAD], EPERM),
    ("socket", [1, 1, 0], ALLOW),  # AF_UNIX
    ("socket", [HIGH | 1, 1, 0], EPERM),
    ("socket", [2, 1, 0], EPERM),  # AF_INET
    ("socketpair", [1, 1, 0], ALLOW),
    ("socketpair", [HIGH | 1, 1, 0], EPERM),
    ("ioctl", [0, 0x5401], ALLOW),  # TCGETS
    ("ioctl", [0, HIGH | 0x5401], EPERM),
    ("ioctl", [0, 0x5412], EPERM),  # TIOCSTI
    ("prctl", [15], ALLOW),  # PR_SET_NAME
    ("prctl", [HIGH | 15], EPERM),
    ("prctl", [22], EPERM),  # PR_SET_SECCOMP
    ("prctl", [4], EPERM),  # PR_SET_DUMPABLE
    ("prctl", [38], EPERM),  # PR_SET_NO_NEW_PRIVS
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES)
def test_arguments_are_checked_on_all_64_bits(
    program: tuple[bytes, bool], name: str, args: list[int], expected: int | str
) -> None:
    code, allow_fork = program
    if expected == "fork":
        expected = ALLOW if allow_fork else EPERM
    assert run_filter(code, seccomp.CHECKED[name], *args) == expected


def test_the_program_fits_the_kernels_limit(program: tuple[bytes, bool]) -> None:
    assert len(program[0]) % 8 == 0
    assert len(program[0]) // 8 < 4096


# ----- in the sandbox: refused calls fail with the errno a learner should see ----------------

SYSCALL = """\
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long

def f(number, *args):
    result = libc.syscall(ctypes.c_long(number), *(ctypes.c_ulong(a % 2**64) for a in args))
    return ctypes.get_errno() if result == -1 else "succeeded"
"""

REFUSED_IN_THE_SANDBOX = [
    ("execve", 59, [0, 0, 0], errno.EPERM),  # not EFAULT: refused before the NULL path is read
    ("execveat", 322, [0, 0, 0, 0, 0], errno.EPERM),
    ("modify_ldt", 154, [0, 0, 0], errno.EPERM),
    ("io_setup (AIO)", 206, [8, 0], errno.EPERM),
    ("memfd_secret", 447, [0], errno.EPERM),
    ("landlock_create_ruleset", 444, [0, 0, 1], errno.EPERM),
    ("pidfd_open", 434, [1, 0], errno.EPERM),
    ("pidfd_getfd", 438, [0, 0, 0], errno.EPERM),
    (
        "clone, namespace flag in the high half",
        56,
        [(0x10000000 << 32) | 17, 0, 0, 0, 0],
        errno.EPERM,
    ),
    ("clone3", 435, [0, 0], errno.ENOSYS),
    ("ptrace", 101, [0, 0, 0, 0], errno.EPERM),
    ("mount", 165, [0, 0, 0, 0, 0], errno.EPERM),
    ("unshare", 272, [0x10000000], errno.EPERM),
    ("setns", 308, [0, 0], errno.EPERM),
    ("keyctl", 250, [0, 0], errno.EPERM),
    ("bpf", 321, [0, 0, 0], errno.EPERM),
    ("io_uring_setup", 425, [8, 0], errno.EPERM),
    ("perf_event_open", 298, [0, 0, 0, 0, 0], errno.EPERM),
    ("userfaultfd", 323, [0], errno.EPERM),
    ("process_vm_readv", 310, [1, 0, 0, 0, 0, 0], errno.EPERM),
    ("mincore (not allowed)", 27, [0, 4096, 0], errno.ENOSYS),
    ("memfd_create (not allowed)", 319, [0, 0], errno.ENOSYS),
    ("future syscall 460", 460, [], errno.ENOSYS),
    ("future syscall 999", 999, [], errno.ENOSYS),
    ("x32 getpid", 0x40000000 | 39, [], errno.ENOSYS),
    ("prctl PR_SET_SECCOMP", 157, [22, 2, 0], errno.EPERM),
    ("prctl, option in the high half", 157, [HIGH | 16, 0], errno.EPERM),
    ("ioctl TIOCSTI", 16, [0, 0x5412, 0], errno.EPERM),
    ("ioctl, request in the high half", 16, [0, HIGH | 0x5401, 0], errno.EPERM),
    ("socket, family in the high half", 41, [HIGH | 1, 1, 0], errno.EPERM),
]


@pytest.mark.usefixtures("unaffected")
@pytest.mark.parametrize(
    ("number", "args", "expected"),
    [case[1:] for case in REFUSED_IN_THE_SANDBOX],
    ids=[case[0] for case in REFUSED_IN_THE_SANDBOX],
)
def test_a_refused_syscall_fails_with_a_clear_errno(
    sandbox_pool: ZygotePool, number: int, args: list[int], expected: int
) -> None:
    result = sandbox_pool.run(SYSCALL, [{"key": "k", "func": "f", "args": [number, *args]}], FAST)
    assert result.outcomes["k"].value == expected


@pytest.mark.usefixtures("unaffected")
def test_allowed_calls_with_allowed_arguments_work(sandbox_pool: ZygotePool) -> None:
    code = (
        f"{SYSCALL}\nimport fcntl, socket, threading, termios, array\n"
        "def g():\n    r, w = os.pipe()\n    os.write(w, b'abc')\n"
        "    n = array.array('i', [0])\n    fcntl.ioctl(r, termios.FIONREAD, n)\n"
        "    a, b = socket.socketpair()\n    a.send(b'x')\n"
        "    t = threading.Thread(target=lambda: None)\n    t.start()\n    t.join()\n"
        "    return n[0], b.recv(1).decode(), f(157, 3), f(16, 0, 0x5401, 0)\n"
    )
    result = sandbox_pool.run(code, [{"key": "k", "func": "g"}], FAST)
    # FIONREAD on a pipe, an AF_UNIX socketpair, a thread, prctl(PR_GET_DUMPABLE); and
    # ioctl(TCGETS) on /dev/null reaches the kernel, which answers ENOTTY (not the filter).
    assert result.outcomes["k"].value == (3, "x", "succeeded", errno.ENOTTY)
