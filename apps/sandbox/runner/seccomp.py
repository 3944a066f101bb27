"""The seccomp filter every sandboxed child loads (x86_64 only), built as classic BPF.

Deny-list on purpose: NumPy and the stdlib use a wide, version-dependent set of syscalls,
so instead of guessing an allow-list we refuse (EPERM) the calls that widen what a process
can reach: new sockets other than AF_UNIX, namespaces, mounts, ptrace and cross-process
memory access, keyrings, bpf, io_uring, perf, module loading and similar. The namespaces,
the uid drop and the read-only root already contain the rest.
"""

from __future__ import annotations

import errno
import struct

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000
AF_UNIX = 1

SECCOMP_RET_KILL_PROCESS = 0x80000000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_ALLOW = 0x7FFF0000

# Offsets into struct seccomp_data.
_NR = 0
_ARCH = 4
_ARG0_LOW = 16

# BPF opcodes.
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_JSET_K = 0x45
_RET_K = 0x06

NAMESPACE_CLONE_FLAGS = 0x7E020080  # NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWTIME

SOCKET = 41
SOCKETPAIR = 53
CLONE = 56
CLONE3 = 435

DENIED_SYSCALLS: dict[str, int] = {
    "ptrace": 101,
    "syslog": 103,
    "personality": 135,
    "uselib": 134,
    "vhangup": 153,
    "pivot_root": 155,
    "_sysctl": 156,
    "adjtimex": 159,
    "chroot": 161,
    "acct": 163,
    "settimeofday": 164,
    "mount": 165,
    "umount2": 166,
    "swapon": 167,
    "swapoff": 168,
    "reboot": 169,
    "sethostname": 170,
    "setdomainname": 171,
    "iopl": 172,
    "ioperm": 173,
    "init_module": 175,
    "delete_module": 176,
    "quotactl": 179,
    "lookup_dcookie": 212,
    "clock_settime": 227,
    "kexec_load": 246,
    "add_key": 248,
    "request_key": 249,
    "keyctl": 250,
    "migrate_pages": 256,
    "unshare": 272,
    "move_pages": 279,
    "perf_event_open": 298,
    "fanotify_init": 300,
    "name_to_handle_at": 303,
    "open_by_handle_at": 304,
    "clock_adjtime": 305,
    "setns": 308,
    "process_vm_readv": 310,
    "process_vm_writev": 311,
    "kcmp": 312,
    "finit_module": 313,
    "kexec_file_load": 320,
    "bpf": 321,
    "userfaultfd": 323,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "pidfd_getfd": 438,
    "process_madvise": 440,
    "mount_setattr": 442,
    "quotactl_fd": 443,
}


def _stmt(code: int, k: int) -> bytes:
    return struct.pack("<HBBI", code, 0, 0, k)


def _jump(code: int, k: int, jt: int, jf: int) -> bytes:
    return struct.pack("<HBBI", code, jt, jf, k)


def build_filter() -> bytes:
    """Return the packed ``sock_filter`` program (8 bytes per instruction)."""
    eperm = SECCOMP_RET_ERRNO | errno.EPERM
    # clone3 passes flags in a struct the filter cannot read: ENOSYS makes glibc fall back
    # to clone(2), whose flags register we can check.
    enosys = SECCOMP_RET_ERRNO | errno.ENOSYS
    program = [
        _stmt(_LD_W_ABS, _ARCH),
        _jump(_JEQ_K, AUDIT_ARCH_X86_64, 1, 0),
        _stmt(_RET_K, SECCOMP_RET_KILL_PROCESS),
        _stmt(_LD_W_ABS, _NR),
        _jump(_JGE_K, X32_SYSCALL_BIT, 0, 1),
        _stmt(_RET_K, eperm),
    ]
    for number in sorted(DENIED_SYSCALLS.values()):
        program += [_jump(_JEQ_K, number, 0, 1), _stmt(_RET_K, eperm)]
    program += [_jump(_JEQ_K, CLONE3, 0, 1), _stmt(_RET_K, enosys)]
    # socket / socketpair: only AF_UNIX (the netns is empty anyway; this is a second wall).
    program += [
        _jump(_JEQ_K, SOCKET, 1, 0),
        _jump(_JEQ_K, SOCKETPAIR, 0, 4),
        _stmt(_LD_W_ABS, _ARG0_LOW),
        _jump(_JEQ_K, AF_UNIX, 0, 1),
        _stmt(_RET_K, SECCOMP_RET_ALLOW),
        _stmt(_RET_K, eperm),
    ]
    # clone: no namespace flags (a fork or a thread is fine).
    program += [
        _jump(_JEQ_K, CLONE, 0, 3),
        _stmt(_LD_W_ABS, _ARG0_LOW),
        _jump(_JSET_K, NAMESPACE_CLONE_FLAGS, 0, 1),
        _stmt(_RET_K, eperm),
        _stmt(_RET_K, SECCOMP_RET_ALLOW),
    ]
    return b"".join(program)
