"""The seccomp filter every run loads (x86_64 only): an allow-list, built as classic BPF.

Default deny. A syscall not listed fails with ENOSYS, as if the kernel lacked it, so libc
falls back where it can (clone3 -> clone) and a future syscall is refused before anyone has
reviewed it. The calls a learner would try on purpose (namespaces, mounts, ptrace, keyrings,
bpf, io_uring, AIO, perf, modify_ldt, memfd_secret, landlock, pidfd_*, uid changes...) fail
with EPERM. The allowed set is what CPython and NumPy need, derived from logging
(SECCOMP_RET_LOG) every course exercise's solution and the sandbox's own tests;
tests/sandbox/test_seccomp.py pins it. No program can be started: a run is already the warm
interpreter it needs, so execve and execveat are refused (EPERM) once the filter is loaded,
and no host binary (a shell, a compiler, a setuid tool) ever runs inside the sandbox.

Some allowed calls are checked on their full 64-bit arguments (both halves of the register):
clone may not create namespaces (and, with the single-process budget, must create a thread);
socket and socketpair are AF_UNIX only; prctl and ioctl only with the options listed.
A foreign architecture (the i386 entry point) kills the process.

Loaded in the zygote (stdlib and syscalls.py); the program is built once per zygote.
"""

from __future__ import annotations

import errno
import struct
from collections.abc import Iterable

from .syscalls import NAMESPACE_FLAGS

AUDIT_ARCH_X86_64 = 0xC000003E
AF_UNIX = 1
CLONE_THREAD = 0x00010000

SECCOMP_RET_KILL_PROCESS = 0x80000000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_LOG = 0x7FFC0000
SECCOMP_RET_ALLOW = 0x7FFF0000
RET_EPERM = SECCOMP_RET_ERRNO | errno.EPERM
RET_ENOSYS = SECCOMP_RET_ERRNO | errno.ENOSYS

# Offsets into struct seccomp_data (little-endian: the low half of an argument comes first).
_NR = 0
_ARCH = 4
_ARGS = 16

# BPF opcodes.
_LD_W_ABS = 0x20
_JA = 0x05
_JEQ_K = 0x15
_JGE_K = 0x35
_JSET_K = 0x45
_RET_K = 0x06

ALLOWED: dict[str, int] = {
    # memory, signals, time, identity (read-only), threads
    "brk": 12, "mmap": 9, "mprotect": 10, "munmap": 11, "mremap": 25, "madvise": 28,
    "msync": 26, "rt_sigaction": 13, "rt_sigprocmask": 14, "rt_sigreturn": 15,
    "rt_sigpending": 127, "rt_sigtimedwait": 128, "rt_sigsuspend": 130, "sigaltstack": 131,
    "pause": 34, "alarm": 37, "getitimer": 36, "setitimer": 38, "nanosleep": 35,
    "clock_nanosleep": 230, "clock_gettime": 228, "clock_getres": 229, "gettimeofday": 96,
    "time": 201, "times": 100, "getrusage": 98, "sysinfo": 99, "uname": 63,
    "getrandom": 318, "getpid": 39, "getppid": 110, "gettid": 186, "getuid": 102,
    "geteuid": 107, "getgid": 104, "getegid": 108, "getresuid": 118, "getresgid": 120,
    "getgroups": 115, "capget": 125, "getpgrp": 111, "getpgid": 121, "getsid": 124,
    "setpgid": 109, "setsid": 112, "getpriority": 140, "sched_yield": 24,
    "sched_getaffinity": 204, "sched_getparam": 143, "sched_getscheduler": 145,
    "sched_get_priority_max": 146, "sched_get_priority_min": 147, "getcpu": 309,
    "futex": 202, "set_robust_list": 273, "get_robust_list": 274, "set_tid_address": 218,
    "rseq": 334, "arch_prctl": 158, "getrlimit": 97, "setrlimit": 160, "prlimit64": 302,
    "restart_syscall": 219, "exit": 60, "exit_group": 231,
    # processes of the run (fork itself is checked below; no exec) and signals within its
    # namespace
    "wait4": 61, "waitid": 247, "kill": 62, "tkill": 200, "tgkill": 234,
    # descriptors and files (the root is read-only; /tmp is the run's own small tmpfs)
    "read": 0, "write": 1, "pread64": 17, "pwrite64": 18, "readv": 19, "writev": 20,
    "preadv": 295, "pwritev": 296, "preadv2": 327, "pwritev2": 328, "open": 2,
    "openat": 257, "creat": 85, "close": 3, "close_range": 436, "lseek": 8, "dup": 32,
    "dup2": 33, "dup3": 292, "pipe": 22, "pipe2": 293, "fcntl": 72, "flock": 73,
    "fsync": 74, "fdatasync": 75, "truncate": 76, "ftruncate": 77, "fallocate": 285,
    "fadvise64": 221, "sendfile": 40, "copy_file_range": 326, "stat": 4, "fstat": 5,
    "lstat": 6, "newfstatat": 262, "statx": 332, "statfs": 137, "fstatfs": 138,
    "access": 21, "faccessat": 269, "faccessat2": 439, "getdents": 78, "getdents64": 217,
    "getcwd": 79, "chdir": 80, "fchdir": 81, "mkdir": 83, "mkdirat": 258, "rmdir": 84,
    "rename": 82, "renameat": 264, "renameat2": 316, "link": 86, "linkat": 265,
    "unlink": 87, "unlinkat": 263, "symlink": 88, "symlinkat": 266, "readlink": 89,
    "readlinkat": 267, "chmod": 90, "fchmod": 91, "fchmodat": 268, "umask": 95,
    "utimensat": 280,
    # waiting on descriptors (select, selectors, asyncio)
    "poll": 7, "ppoll": 271, "select": 23, "pselect6": 270, "epoll_create": 213,
    "epoll_create1": 291, "epoll_ctl": 233, "epoll_wait": 232, "epoll_pwait": 281,
    "epoll_pwait2": 441,
    # sockets: created AF_UNIX only (checked below), in an empty network namespace
    "connect": 42, "accept": 43, "accept4": 288, "bind": 49, "listen": 50, "sendto": 44,
    "recvfrom": 45, "sendmsg": 46, "recvmsg": 47, "shutdown": 48, "getsockname": 51,
    "getpeername": 52, "setsockopt": 54, "getsockopt": 55,
}  # fmt: skip

# Allowed only with the arguments checked below.
CHECKED: dict[str, int] = {
    "ioctl": 16, "socket": 41, "socketpair": 53, "clone": 56, "fork": 57, "vfork": 58,
    "prctl": 157,
}  # fmt: skip

# Refused with EPERM: what a learner tries on purpose, named so the answer is unambiguous.
REFUSED: dict[str, int] = {
    "execve": 59, "execveat": 322,  # no program is started: the run is already Python
    "shmget": 29, "shmat": 30, "shmctl": 31, "ptrace": 101, "syslog": 103, "setuid": 105,
    "setgid": 106, "setreuid": 113, "setregid": 114, "setgroups": 116, "setresuid": 117,
    "setresgid": 119, "setfsuid": 122, "setfsgid": 123, "capset": 126, "mknod": 133,
    "uselib": 134, "personality": 135, "vhangup": 153, "modify_ldt": 154, "pivot_root": 155,
    "_sysctl": 156, "adjtimex": 159, "chroot": 161, "acct": 163, "settimeofday": 164,
    "mount": 165, "umount2": 166, "swapon": 167, "swapoff": 168, "reboot": 169,
    "sethostname": 170, "setdomainname": 171, "iopl": 172, "ioperm": 173,
    "init_module": 175, "delete_module": 176, "quotactl": 179, "io_setup": 206,
    "io_destroy": 207, "io_getevents": 208, "io_submit": 209, "io_cancel": 210,
    "lookup_dcookie": 212, "clock_settime": 227, "kexec_load": 246, "add_key": 248,
    "request_key": 249, "keyctl": 250, "migrate_pages": 256, "mknodat": 259,
    "unshare": 272, "move_pages": 279, "perf_event_open": 298, "fanotify_init": 300,
    "name_to_handle_at": 303, "open_by_handle_at": 304, "clock_adjtime": 305, "setns": 308,
    "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312, "finit_module": 313,
    "seccomp": 317, "kexec_file_load": 320, "bpf": 321, "userfaultfd": 323,
    "io_pgetevents": 333, "pidfd_send_signal": 424, "io_uring_setup": 425,
    "io_uring_enter": 426, "io_uring_register": 427, "open_tree": 428, "move_mount": 429,
    "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "pidfd_open": 434,
    "pidfd_getfd": 438, "process_madvise": 440, "mount_setattr": 442, "quotactl_fd": 443,
    "landlock_create_ruleset": 444, "landlock_add_rule": 445, "landlock_restrict_self": 446,
    "memfd_secret": 447, "process_mrelease": 448, "statmount": 457, "listmount": 458,
}  # fmt: skip

# prctl options a run may use (read-only queries, its own thread names, naming its memory).
PRCTL_OPTIONS = {
    "PR_GET_PDEATHSIG": 2, "PR_GET_DUMPABLE": 3, "PR_SET_NAME": 15, "PR_GET_NAME": 16,
    "PR_GET_SECCOMP": 21, "PR_CAPBSET_READ": 23, "PR_GET_TIMERSLACK": 30,
    "PR_GET_NO_NEW_PRIVS": 39, "PR_SET_VMA": 0x53564D41,
}  # fmt: skip
# ioctl requests: terminal queries (isatty, window size) and descriptor flags.
IOCTL_REQUESTS = {
    "TCGETS": 0x5401, "TIOCGPGRP": 0x540F, "TIOCGWINSZ": 0x5413, "FIONREAD": 0x541B,
    "FIONBIO": 0x5421, "FIONCLEX": 0x5450, "FIOCLEX": 0x5451,
}  # fmt: skip
CLONE3 = 435  # flags live in memory the filter cannot read: ENOSYS sends glibc to clone(2)

Instruction = tuple[int, int, int, "int | str"]  # code, jt, jf, k (or a label for JA)


def _ld(offset: int) -> Instruction:
    return (_LD_W_ABS, 0, 0, offset)


def _ret(action: int) -> Instruction:
    return (_RET_K, 0, 0, action)


def _arg_halves_check(arg: int) -> list[Instruction]:
    """Refuse unless the argument's high 32 bits are zero; leaves the low half loaded."""
    return [
        _ld(_ARGS + 8 * arg + 4),
        (_JEQ_K, 1, 0, 0),
        _ret(RET_EPERM),
        _ld(_ARGS + 8 * arg),
    ]


def _one_of(arg: int, values: Iterable[int]) -> list[Instruction]:
    program = _arg_halves_check(arg)
    for value in sorted(set(values)):
        program += [(_JEQ_K, 0, 1, value), _ret(SECCOMP_RET_ALLOW)]
    return [*program, _ret(RET_EPERM)]


def _clone_check(allow_fork: bool) -> list[Instruction]:
    program = _arg_halves_check(0)
    program += [(_JSET_K, 0, 1, NAMESPACE_FLAGS), _ret(RET_EPERM)]
    if not allow_fork:  # the single-process budget: threads only
        program += [(_JSET_K, 1, 0, CLONE_THREAD), _ret(RET_EPERM)]
    return [*program, _ret(SECCOMP_RET_ALLOW)]


def _checked_blocks(allow_fork: bool) -> dict[int, list[Instruction]]:
    fork = [_ret(SECCOMP_RET_ALLOW if allow_fork else RET_EPERM)]
    return {
        CHECKED["ioctl"]: _one_of(1, IOCTL_REQUESTS.values()),
        CHECKED["socket"]: _one_of(0, [AF_UNIX]),
        CHECKED["socketpair"]: _one_of(0, [AF_UNIX]),
        CHECKED["clone"]: _clone_check(allow_fork),
        CHECKED["fork"]: fork,
        CHECKED["vfork"]: fork,
        CHECKED["prctl"]: _one_of(0, PRCTL_OPTIONS.values()),
    }


def _tree(entries: list[tuple[int, int | str]], default: int) -> list[Instruction]:
    """Binary search over sorted (number, action) pairs; an action is a return or a label.

    Conditional jumps only ever skip one instruction (their offsets are 8-bit); every long
    jump is a JA, whose offset has 32 bits.
    """
    if len(entries) <= 4:
        program: list[Instruction] = []
        for number, action in entries:
            target = _ret(action) if isinstance(action, int) else (_JA, 0, 0, action)
            program += [(_JEQ_K, 0, 1, number), target]
        return [*program, _ret(default)]
    middle = len(entries) // 2
    right_label = f"tree-{entries[middle][0]}"
    left = _tree(entries[:middle], default)
    right = _tree(entries[middle:], default)
    return [(_JGE_K, 0, 1, entries[middle][0]), (_JA, 0, 0, right_label), *left,
            (-1, 0, 0, right_label), *right]  # fmt: skip


def _assemble(program: list[Instruction]) -> bytes:
    """Drop label markers (code -1) and turn JA labels into offsets."""
    labels: dict[str, int] = {}
    real: list[Instruction] = []
    for instruction in program:
        if instruction[0] == -1:
            labels[str(instruction[3])] = len(real)
        else:
            real.append(instruction)
    packed = []
    for index, (code, jt, jf, k) in enumerate(real):
        if isinstance(k, str):
            k = labels[k] - index - 1
        packed.append(struct.pack("<HBBI", code, jt, jf, k))
    return b"".join(packed)


def build_filter(*, allow_fork: bool = True, default: int = RET_ENOSYS) -> bytes:
    """The packed ``sock_filter`` program (8 bytes per instruction).

    ``allow_fork`` is False under the single-process budget (no cgroups): a run may start
    threads but no processes, so its rlimits are the run's budget. ``default`` is the
    action for unlisted syscalls (SECCOMP_RET_LOG only to derive the list).
    """
    entries: dict[int, int | str] = dict.fromkeys(ALLOWED.values(), SECCOMP_RET_ALLOW)
    entries.update(dict.fromkeys(REFUSED.values(), RET_EPERM))
    entries[CLONE3] = RET_ENOSYS
    blocks = _checked_blocks(allow_fork)
    entries.update({number: f"check-{number}" for number in blocks})
    program: list[Instruction] = [
        _ld(_ARCH),
        (_JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
        _ret(SECCOMP_RET_KILL_PROCESS),
        _ld(_NR),
        *_tree(sorted(entries.items()), default),
    ]
    for number, block in blocks.items():
        program += [(-1, 0, 0, f"check-{number}"), *block]
    return _assemble(program)
